"""The electrodes table: positions (x, y, z), location, and the probe/shank (electrode group),
with the coordinate units and the declared space checked and recorded.

NWB's schema asks for x, y, z in micrometres (+x posterior, +y inferior, +z right). A file may
say otherwise in the column's description ("... in mm"); that is honoured and recorded. The
space (which atlas the coordinates belong to) is read from the descriptions of the table, its
columns or its electrode groups (probes) when they name one: a BrainGlobe atlas name (``allen_mouse_25um``) or the Allen CCF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from neuroblend.errors import NeuroBlendError

UM_PER = {"um": 1.0, "mm": 1000.0, "m": 1.0e6}
_UNIT_WORDS = (("um", r"\b(um|µm|μm|micron|microns|micrometers?|micrometres?)\b"),
               ("mm", r"\b(mm|millimeters?|millimetres?)\b"),
               ("m", r"\b(m|meters?|metres?)\b"))
_ATLAS_NAME = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*_\d+(?:\.\d+)?um)\b")
_CCF = re.compile(r"\b(ccf|ccfv3|common coordinate framework)\b", re.IGNORECASE)
CCF_ATLAS_PREFIX = "allen_mouse"


@dataclass
class Electrodes:
    """The electrodes of a file: rows of its electrodes table, positions in micrometres."""

    ids: np.ndarray  # int64 [E]
    position_um: np.ndarray  # float64 [E, 3], the file's coordinates converted to um
    location: list[str]
    group: list[str]  # electrode group (probe or shank) name
    probe: list[str]  # device of the group
    units_in_file: str  # "um" | "mm" | "m"
    units_source: str  # where the units were read
    declared_space: str  # an atlas name, "allen_mouse" (CCF) or "" (not declared)


def read_electrodes(nwbfile) -> Electrodes:
    """Read the electrodes table; a missing table or missing x/y/z columns raise."""
    table = nwbfile.electrodes
    if table is None or len(table) == 0:
        raise NeuroBlendError("the file has no electrodes table, so its units cannot be placed "
                              "(NWB keeps electrode positions in /general/extracellular_ephys)")
    missing = [c for c in "xyz" if c not in table.colnames]
    if missing:
        raise NeuroBlendError(f"the electrodes table has no {', '.join(missing)} column: electrode "
                              "positions are missing, so the units cannot be placed")
    units, source = _coordinate_units(table)
    xyz = np.stack([np.asarray(table[c].data[:], dtype=np.float64) for c in "xyz"], axis=1)
    groups = list(table["group"].data[:]) if "group" in table.colnames else [None] * len(table)
    return Electrodes(
        ids=np.asarray(table.id.data[:], dtype=np.int64),
        position_um=xyz * UM_PER[units],
        location=_text_column(table, "location"),
        group=[g.name if g is not None else "" for g in groups],
        probe=[g.device.name if g is not None and g.device is not None else "" for g in groups],
        units_in_file=units, units_source=source, declared_space=_declared_space(table, groups))


def _text_column(table, name: str) -> list[str]:
    if name not in table.colnames:
        return [""] * len(table)
    return [v.decode() if isinstance(v, bytes) else str(v) for v in table[name].data[:]]


def _coordinate_units(table) -> tuple[str, str]:
    """The units of x, y, z from their descriptions; the schema's micrometres if none says."""
    found = set()
    for column in "xyz":
        text = str(table[column].description or "").lower()
        for unit, pattern in _UNIT_WORDS:
            if re.search(pattern, text):
                found.add(unit)
                break
    if len(found) > 1:
        raise NeuroBlendError("the x, y, z columns of the electrodes table name different units "
                              f"({', '.join(sorted(found))}) in their descriptions")
    if found:
        return found.pop(), "electrodes x/y/z column descriptions"
    return "um", "NWB schema (x, y, z in micrometres)"


def _declared_space(table, groups) -> str:
    """The space the descriptions of the table, its x/y/z columns or its electrode groups name."""
    texts = [str(table.description or "")] + [str(table[c].description or "") for c in "xyz"]
    texts += sorted({str(g.description or "") for g in groups if g is not None})
    for text in texts:
        match = _ATLAS_NAME.search(text)
        if match:
            return match.group(1)
    if any(_CCF.search(text) for text in texts):
        return CCF_ATLAS_PREFIX
    return ""


def space_family(name: str) -> str:
    """An atlas name without its resolution: ``allen_mouse_25um`` -> ``allen_mouse``."""
    return re.sub(r"_\d+(?:\.\d+)?um$", "", name)


def check_space(electrodes: Electrodes, atlas_name: str, used: np.ndarray,
                shape_um: np.ndarray) -> None:
    """Refuse ``--atlas`` when the file declares another space, or when the used electrodes lie
    outside the atlas volume (another space, or other units, than the file says)."""
    declared = electrodes.declared_space
    if declared and space_family(declared) != space_family(atlas_name):
        raise NeuroBlendError(
            f"the electrode positions are in {declared} space (named in the electrodes table), "
            f"but --atlas is {atlas_name}; use an atlas of that space")
    points = electrodes.position_um[used]
    margin = 0.05 * shape_um
    outside = np.flatnonzero(((points < -margin) | (points > shape_um + margin)).any(axis=1))
    if outside.size:
        row = int(used[outside[0]])
        raise NeuroBlendError(
            f"{outside.size} of {len(points)} electrodes lie outside atlas {atlas_name}'s volume "
            f"(0..{', '.join(f'{s:g}' for s in shape_um)} um), e.g. electrode "
            f"{int(electrodes.ids[row])} at {np.round(points[outside[0]], 1).tolist()} um: the "
            f"file's coordinates are not in this atlas's space (or not in "
            f"{electrodes.units_in_file}, as {electrodes.units_source} says)")


def check_positions(electrodes: Electrodes, used: np.ndarray) -> None:
    """Refuse NaN or infinite positions of the electrodes the units use."""
    bad = used[~np.isfinite(electrodes.position_um[used]).all(axis=1)]
    if bad.size:
        ids = ", ".join(str(int(electrodes.ids[r])) for r in bad[:5])
        raise NeuroBlendError(f"{bad.size} electrode(s) used by units have no position (x, y or "
                              f"z is NaN): electrode id {ids}{' ...' if bad.size > 5 else ''}")
