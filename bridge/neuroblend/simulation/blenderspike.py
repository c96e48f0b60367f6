"""BlenderSpike (``blenderspike_py``) pickles -> ``neuroblend.simulation`` documents (the format's
legacy import, registered in :data:`neuroblend.files.fileformat.LEGACY_CONVERTERS`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroblend.errors import FileFormatError
from neuroblend.simulation.simulation_build import build_simulation_document
from neuroblend.simulation.simulation_file import SECTION_TYPES, section_type

_LEGACY_NOTE = ("converted from a BlenderSpike pickle: values were resampled to a fixed number of "
                "animation frames, so the original time base is unknown (time is in frames)")

SOURCE = "BlenderSpike pickle"


def _is_blenderspike(obj: Any) -> bool:
    return (isinstance(obj, list) and bool(obj) and all(isinstance(s, dict) for s in obj)
            and all(k in obj[0] for k in ("X", "Y", "Z", "DIAM", "Voltage")))


def from_legacy(obj: Any) -> dict | None:
    """Convert a BlenderSpike (``blenderspike_py``) pickle to a simulation document, else None.

    Such a pickle is a list of per-section dicts with ``ID``, ``type``, ``X``/``Y``/``Z``/``DIAM``
    (3D points) and ``Voltage`` ({frame: per-segment values}). It stores no parents: they are
    inferred from touching section ends. Its time base is unknown, so time is in frames.
    """
    if not _is_blenderspike(obj):
        return None
    names, types, points, diams, traces = [], [], [], [], []
    frames = None
    for i, sec in enumerate(obj):
        xyz, diam = _section_points(sec, i)
        keys, block = _section_trace(sec, i)
        if frames is None:
            frames = keys
        elif keys != frames:
            raise FileFormatError(SOURCE, f"section {i} has frames {keys[:1]}..{keys[-1:]}, "
                                  f"section 0 has {frames[:1]}..{frames[-1:]}")
        kind = str(sec.get("type", ""))
        kind = kind if kind in SECTION_TYPES else section_type(kind)
        names.append(f"{kind}[{sec.get('ID', i)}]")
        types.append(kind)
        points.append(xyz)
        diams.append(diam)
        traces.append(block)
    parent, parent_x, flipped = _infer_tree(points, diams, types)
    traces = [t[::-1] if f else t for t, f in zip(traces, flipped, strict=True)]
    try:
        time = np.asarray(frames, dtype=np.float64)
    except (TypeError, ValueError):
        raise FileFormatError(SOURCE, "Voltage frame keys must be numbers") from None
    cell = {"name": "BlenderSpike", "nseg": [len(t) for t in traces],
            "sections": {"name": names, "type": types, "parent": parent, "parent_x": parent_x,
                         "points": points, "diameters": diams}}
    try:
        return build_simulation_document(
            [cell], time, np.concatenate(traces), variable="v",
            units={"time": "frame", "values": "mV"},
            meta={"time_base": "unknown", "note": _LEGACY_NOTE,
                  "source_format": "BlenderSpike (blenderspike_py) pickle"})
    except ValueError as exc:
        raise FileFormatError(SOURCE, str(exc)) from None


def _section_points(sec: dict, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Section ``i``'s points [n, 3] and diameters [n], checked."""
    missing = [k for k in ("X", "Y", "Z", "DIAM", "Voltage") if k not in sec]
    if missing:
        raise FileFormatError(SOURCE, f"section {i} lacks {', '.join(missing)}")
    try:
        xyz = np.column_stack([np.asarray(sec[k], dtype=np.float64).reshape(-1)
                               for k in ("X", "Y", "Z")])
        diam = np.asarray(sec["DIAM"], dtype=np.float64).reshape(-1)
    except ValueError:
        raise FileFormatError(SOURCE, f"section {i}: X, Y, Z and DIAM must be number lists "
                              "of equal length") from None
    if len(diam) != len(xyz) or len(xyz) < 2:
        raise FileFormatError(SOURCE, f"section {i}: X, Y, Z and DIAM need the same number "
                              f"of points (at least 2), got {len(xyz)} and {len(diam)}")
    return xyz, diam


def _section_trace(sec: dict, i: int) -> tuple[list, np.ndarray]:
    """Section ``i``'s frame keys and voltages [segments, frames], checked."""
    voltage = sec["Voltage"]
    if isinstance(voltage, dict):
        keys = sorted(voltage)
        trace = [voltage[k] for k in keys]
    elif isinstance(voltage, (list, tuple, np.ndarray)):
        keys, trace = list(range(len(voltage))), list(voltage)
    else:
        raise FileFormatError(SOURCE, f"section {i}: Voltage must map frames to values")
    try:
        block = np.column_stack([np.asarray(v, dtype=np.float32).reshape(-1) for v in trace])
    except ValueError:
        raise FileFormatError(SOURCE, f"section {i}: Voltage frames have different numbers "
                              "of segments") from None
    if block.size == 0:
        raise FileFormatError(SOURCE, f"section {i} has no voltage values")
    return keys, block


def _infer_tree(points: list, diams: list, types: list) -> tuple:
    """Parents from geometry: a section whose end touches a point of an attached section is its
    child (reversed in place if needed so its first point is at the parent end; the returned
    ``flipped`` says which). The first soma (else section 0) is the root; sections that touch
    nothing stay roots (-1)."""
    n = len(points)
    parent = np.full(n, -1, dtype=np.int32)
    parent_x = np.zeros(n, dtype=np.float32)
    flipped = np.zeros(n, dtype=bool)
    root = types.index("soma") if "soma" in types else 0
    attached = [root]
    pending = set(range(n)) - {root}
    while attached and pending:
        p = attached.pop(0)
        cloud = points[p]
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(cloud, axis=0), axis=1))])
        tol = max(1e-3, 0.01 * float(np.max(diams[p])))
        # a non-root section's first point is its own branch point, shared with its siblings
        first = 0 if p == root else 1
        for c in sorted(pending):
            for flip in (False, True):
                end = points[c][-1 if flip else 0]
                dist = np.linalg.norm(cloud[first:] - end, axis=1)
                k = int(np.argmin(dist)) + first
                if dist[k - first] <= tol:
                    if flip:
                        points[c], diams[c] = points[c][::-1], diams[c][::-1]
                        flipped[c] = True
                    parent[c] = p
                    parent_x[c] = arc[k] / arc[-1] if arc[-1] > 0 else 1.0
                    pending.discard(c)
                    attached.append(c)
                    break
    return parent, parent_x, flipped
