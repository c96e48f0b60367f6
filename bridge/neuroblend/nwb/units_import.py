"""NWB units + electrodes -> a ``neuroblend.units`` document, placed in an atlas's Blender frame.

With an atlas, the electrode coordinates (micrometres in that atlas's space, the axis order of
its volume, as BrainGlobe and the Allen CCF keep them) go through the atlas export's own
transform (:func:`neuroblend.atlas.atlas_export.atlas_frame`, or the transform an exported atlas
file records), so units line up with exported regions. Without one, the NWB axes (+x posterior, +y inferior, +z right: BrainGlobe "asl")
map to the same right-handed millimetre frame, centred on the electrodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuroblend.atlas import geometry as geo
from neuroblend.errors import NeuroBlendError
from neuroblend.nwb import electrodes as el
from neuroblend.nwb.selection import MS_PER_S, Selection
from neuroblend.nwb.spike_reader import windowed_spikes
from neuroblend.nwb.units_file import FORMAT

NWB_ORIENTATION = "asl"  # NWB electrodes: +x posterior, +y inferior, +z right
QUALITY_COLUMNS = ("quality", "KSLabel", "label")
REGION_COLUMNS = ("brain_region", "brain_area", "region", "acronym", "location",
                  "ecephys_structure_acronym")


@dataclass(frozen=True)
class AtlasSpace:
    """An atlas frame to place units in: its space (name, orientation, volume) and transform."""

    name: str
    orientation: str
    shape_um: np.ndarray
    transform: np.ndarray  # atlas um -> Blender mm
    origin_um: np.ndarray


def space_of_atlas(atlas, origin=None) -> AtlasSpace:
    """The frame ``neuroblend atlas export`` gives a local atlas (``LocalAtlas``) at ``origin``."""
    from neuroblend.atlas.atlas_export import atlas_frame

    matrix, origin_um = atlas_frame(atlas, origin)
    return AtlasSpace(atlas.name, atlas.orientation, atlas.shape_um, matrix, origin_um)


def space_of_atlas_file(doc: dict) -> AtlasSpace:
    """The frame an exported ``neuroblend.atlas`` document records."""
    atlas = doc["atlas"]
    shape_um = np.asarray(atlas["shape"], float) * np.asarray(atlas["resolution_um"], float)
    return AtlasSpace(str(atlas["name"]), str(atlas["orientation"]), shape_um,
                      np.asarray(doc["transform"], float), np.asarray(doc["origin_um"], float))


def unit_electrodes(units, electrodes: el.Electrodes) -> np.ndarray:
    """Row in the electrodes table of each unit's electrode (its first, if it lists several)."""
    n = len(units)
    if "electrodes" in units.colnames:
        index = np.asarray(units.electrodes_index.data[:], dtype=np.int64)
        rows = np.asarray(units.electrodes.data[:], dtype=np.int64)
        starts = np.concatenate([[0], index[:-1]])
        empty = np.flatnonzero(index <= starts)
        if empty.size:
            raise NeuroBlendError(f"unit {int(units.id.data[empty[0]])} lists no electrode, so "
                                  "it cannot be placed")
        first = rows[starts]
    elif "peak_channel_id" in units.colnames:  # Allen Brain Observatory style
        wanted = np.asarray(units["peak_channel_id"].data[:], dtype=np.int64)
        lookup = {int(i): r for r, i in enumerate(electrodes.ids)}
        missing = [int(i) for i in wanted if int(i) not in lookup]
        if missing:
            raise NeuroBlendError(f"peak_channel_id {missing[0]} is not an electrode id")
        first = np.array([lookup[int(i)] for i in wanted], dtype=np.int64)
    else:
        raise NeuroBlendError("the Units table has no electrodes column (nor peak_channel_id), "
                              "so its units cannot be placed")
    if n and (first.min() < 0 or first.max() >= len(electrodes.ids)):
        raise NeuroBlendError("the Units table's electrodes point past the electrodes table")
    return first


def _text(units, names) -> list[str] | None:
    for name in names:
        if name in units.colnames:
            return [v.decode() if isinstance(v, bytes) else str(v) for v in units[name].data[:]]
    return None


def build_units_document(nwbfile, selection: Selection, *, source: Path,
                         space: AtlasSpace | None = None) -> dict:
    """The ``neuroblend.units`` document of ``nwbfile``'s units in ``selection``, placed in the
    frame of ``space`` if given."""
    from neuroblend.files.document import base_meta
    from neuroblend.files.fileformat import make_document

    units = nwbfile.units
    if units is None or len(units) == 0:
        raise NeuroBlendError("the file has no Units table (no spike-sorted units); for a "
                              "patch-clamp sweep use --sweep N --morphology CELL")
    electrodes = el.read_electrodes(nwbfile)
    electrode = unit_electrodes(units, electrodes)
    used = np.unique(electrode)
    el.check_positions(electrodes, used)
    keep = np.union1d(used, np.flatnonzero(np.isfinite(electrodes.position_um).all(axis=1)))
    matrix, origin_um, atlas_name, orientation = _frame(electrodes, used, space)
    offsets, times_s, in_file = windowed_spikes(units, selection)
    remap = np.full(len(electrodes.ids), -1, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    regions = _text(units, REGION_COLUMNS) or [electrodes.location[r] for r in electrode]
    payload = {
        "window_ms": _window_ms(selection, times_s),
        "selection": selection.describe(),
        "unit_ids": np.asarray(units.id.data[:], dtype=np.int64),
        "spike_offsets": offsets,
        "spike_times": times_s * MS_PER_S,
        "unit_electrode": remap[electrode].astype(np.int32),
        "unit_quality": _text(units, QUALITY_COLUMNS) or [""] * len(units),
        "unit_region": regions,
        "electrodes": _electrode_payload(electrodes, keep, matrix),
        "transform": matrix,
        "space": {"atlas": atlas_name, "orientation": orientation,
                  "origin_um": [float(v) for v in origin_um],
                  "declared": electrodes.declared_space,
                  "units_in_file": electrodes.units_in_file,
                  "units_source": electrodes.units_source},
    }
    meta = base_meta(source=str(source), atlas=atlas_name, selection=selection.source)
    meta.update(spikes_in_file=in_file, session_start_time=str(nwbfile.session_start_time),
                session_id=str(nwbfile.session_id or ""), identifier=str(nwbfile.identifier))
    return make_document(FORMAT, payload, units={"time": "ms", "space": "mm",
                                                 "source_space": "um"}, meta=meta)


def _frame(electrodes: el.Electrodes, used: np.ndarray, space: AtlasSpace | None):
    """(transform, origin um, atlas name, orientation) of the frame change."""
    if space is None:
        centre = electrodes.position_um[used].mean(axis=0)
        return geo.blender_transform(NWB_ORIENTATION, centre), centre, "", NWB_ORIENTATION
    el.check_space(electrodes, space.name, used, space.shape_um)
    return space.transform, space.origin_um, space.name, space.orientation


def _window_ms(selection: Selection, times_s: np.ndarray) -> np.ndarray:
    lo, hi = selection.start, selection.stop
    if not np.isfinite(lo):
        lo = float(times_s.min()) if len(times_s) else 0.0
    if not np.isfinite(hi):
        hi = float(times_s.max()) if len(times_s) else lo
    return np.array([lo, hi], dtype=np.float64) * MS_PER_S


def _electrode_payload(electrodes: el.Electrodes, keep: np.ndarray, matrix) -> dict:
    pos_um = electrodes.position_um[keep]
    return {
        "id": electrodes.ids[keep],
        "position_um": pos_um,
        "position": geo.apply_transform(matrix, pos_um).astype(np.float32),
        "location": [electrodes.location[r] for r in keep],
        "group": [electrodes.group[r] for r in keep],
        "probe": [electrodes.probe[r] for r in keep],
    }


def units_from_nwb(path: Path, atlas_doc: dict | None = None) -> dict:
    """The whole session's units of the NWB file ``path``, placed in ``atlas_doc``'s frame if
    given (``neuroblend render units FILE.nwb``: one command from a recording to a video)."""
    from neuroblend.nwb.nwb_open import open_nwb

    space = space_of_atlas_file(atlas_doc) if atlas_doc is not None else None
    with open_nwb(path) as nwbfile:
        return build_units_document(nwbfile, Selection(), source=path, space=space)
