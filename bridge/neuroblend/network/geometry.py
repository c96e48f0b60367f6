"""Pure geometry and timing of a network for display: placed cells, levels of detail, connection
paths and the pulse each connection carries (numpy only; the bpy side is neuroblend.blender).

Pulse signal: for connection k and time t, with ts the presynaptic cell's latest spike at or
before t, ``phase = (t - ts) / delay``: 0 when the pulse leaves the soma, 1 when it reaches the
synapse; the synapse flashes while 1 <= phase <= 1 + flash / delay. Outside that (no spike yet,
or the flash is over) the phase is NaN, "off".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.simulation.simulation_network import placed_points

LEVELS = ("full", "simplified", "soma")
AUTO_FULL_MAX_CELLS = 150  # "auto": full morphologies up to this many cells
AUTO_SIMPLIFIED_MAX_CELLS = 400  # then simplified sections, then soma only
_MIN_DELAY = 1e-3  # ms, so that a zero delay still shows an arrival


def choose_level(n_cells: int, level: str = "auto") -> str:
    """The level of detail for a network of ``n_cells``: ``level`` itself unless "auto"."""
    if level == "auto":
        if n_cells <= AUTO_FULL_MAX_CELLS:
            return "full"
        return "simplified" if n_cells <= AUTO_SIMPLIFIED_MAX_CELLS else "soma"
    if level not in LEVELS:
        raise NeuroBlendError(f"level of detail {level!r}: use auto, {', '.join(LEVELS)}")
    return level


def choose_levels(n_cells: int, level: str | Sequence[str] = "auto") -> list[str]:
    """One level of detail per cell: ``level`` for all (choose_level), or a level per cell."""
    if isinstance(level, str):
        return [choose_level(n_cells, level)] * n_cells
    levels = [str(v) for v in level]
    if len(levels) != n_cells:
        raise NeuroBlendError(f"{len(levels)} levels of detail given for {n_cells} cells")
    bad = [v for v in levels if v not in LEVELS]
    if bad:
        raise NeuroBlendError(f"level of detail {bad[0]!r}: use one of {', '.join(LEVELS)}")
    return levels


def placed_document(doc: Mapping) -> dict:
    """A shallow copy of ``doc`` whose cells' points are in the network frame (placement
    applied and dropped); cells without a placement are shared unchanged."""
    cells = []
    for cell in doc["cells"]:
        if cell.get("placement") is None:
            cells.append(cell)
            continue
        sections = dict(cell["sections"], points=placed_points(cell).astype(np.float32))
        cells.append({k: v for k, v in cell.items() if k != "placement"} | {"sections": sections})
    return dict(doc, cells=cells)


def simplified_cell(cell: Mapping) -> dict:
    """The cell with each section reduced to a straight tube between its end points (same
    compartments and rows, so playback is unchanged)."""
    sec = cell["sections"]
    offsets = np.asarray(sec["point_offsets"])
    keep = np.sort(np.concatenate([offsets[:-1], offsets[1:] - 1]))
    soma = [i for i, t in enumerate(sec["type"]) if t == "soma"]
    keep_mask = np.zeros(len(sec["points"]), dtype=bool)
    keep_mask[keep] = True
    for i in soma:  # the soma keeps its outline: it is what stays recognisable
        keep_mask[offsets[i]:offsets[i + 1]] = True
    counts = np.add.reduceat(keep_mask, offsets[:-1]).astype(np.int64)
    new_offsets = np.concatenate([[0], np.cumsum(counts)])
    sections = dict(sec, points=sec["points"][keep_mask], diameters=sec["diameters"][keep_mask],
                    point_offsets=new_offsets)
    return dict(cell, sections=sections)


def soma_cell(cell: Mapping) -> dict:
    """Only the cell's soma (its first soma section, else section 0), keeping its rows."""
    sec, comp = cell["sections"], cell["compartments"]
    i = next((k for k, t in enumerate(sec["type"]) if t == "soma"), 0)
    rows = np.flatnonzero(comp["section"] == i)
    offsets = sec["point_offsets"]
    pick = slice(int(offsets[i]), int(offsets[i + 1]))
    sections = {"name": [sec["name"][i]], "type": ["soma"], "parent": np.array([-1], np.int32),
                "parent_x": np.zeros(1, np.float32),
                "point_offsets": np.array([0, pick.stop - pick.start], np.int64),
                "points": sec["points"][pick], "diameters": sec["diameters"][pick]}
    return {"name": cell["name"], "row_start": int(cell["row_start"]) + int(rows[0]),
            "sections": sections,
            "compartments": {"section": np.zeros(len(rows), np.int32), "x": comp["x"][rows]}}


def soma_document(doc: Mapping) -> dict:
    """A shallow copy of ``doc`` keeping only each cell's soma (soma_cell) and its rows of
    ``values``: what the soma level of detail needs to bake (far less data for big networks)."""
    cells, rows, start = [], [], 0
    for cell in doc["cells"]:
        soma = soma_cell(cell)
        n = len(soma["compartments"]["section"])
        rows.append(np.arange(soma["row_start"], soma["row_start"] + n))
        cells.append(dict(soma, row_start=start))
        start += n
    return dict(doc, cells=cells, values=doc["values"][np.concatenate(rows)])


def value_sample(values: np.ndarray, size: int = 1_000_000) -> np.ndarray:
    """An evenly strided sample of about ``size`` values, for colour-range percentiles."""
    stride = max(1, int(np.sqrt(values.size / size)))
    return values[::stride, ::stride]


def soma_centers(doc: Mapping) -> np.ndarray:
    """float64 [n_cells, 3]: the mean point of each cell's first soma section (else section 0)."""
    out = np.zeros((len(doc["cells"]), 3))
    for c, cell in enumerate(doc["cells"]):
        sec = cell["sections"]
        i = next((k for k, t in enumerate(sec["type"]) if t == "soma"), 0)
        out[c] = np.asarray(sec["points"][sec["point_offsets"][i]:sec["point_offsets"][i + 1]],
                            dtype=np.float64).mean(axis=0)
    return out


def synapse_points(doc: Mapping) -> np.ndarray:
    """float64 [K, 3]: where each connection's synapse sits (document frame); one arc-length
    table per (cell, section) used, so a million connections cost no Python loop each."""
    conn = doc["connections"]
    out = np.zeros((len(conn["pre"]), 3))
    keys = np.stack([np.asarray(conn["post"], np.int64),
                     np.asarray(conn["post_section"], np.int64)], axis=1).reshape(-1, 2)
    pairs, which = np.unique(keys, axis=0, return_inverse=True)
    order = np.argsort(which.ravel(), kind="stable")
    bounds = np.searchsorted(which.ravel()[order], np.arange(len(pairs) + 1))
    x = np.asarray(conn["post_x"], dtype=np.float64)
    for g, (post, section) in enumerate(pairs):
        rows = order[bounds[g]:bounds[g + 1]]
        out[rows] = points_on_section(doc["cells"][int(post)], int(section), x[rows])
    return out


def points_on_section(cell: Mapping, section: int, x: np.ndarray) -> np.ndarray:
    """float64 [len(x), 3]: the points at normalised arc lengths ``x`` along ``section``."""
    sec = cell["sections"]
    pts = np.asarray(sec["points"][sec["point_offsets"][section]:
                                   sec["point_offsets"][section + 1]], dtype=np.float64)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    if arc[-1] <= 0:
        return np.repeat(pts[:1], len(x), axis=0)
    return np.stack([np.interp(x * arc[-1], arc, pts[:, k]) for k in range(3)], axis=1)


def connection_paths(start: np.ndarray, end: np.ndarray, n_points: int = 12,
                     lift: float = 0.25) -> np.ndarray:
    """float64 [K, n_points, 3]: arcs from ``start`` to ``end`` bowing up (+y, towards the pia)
    by ``lift`` times their length, so they read as connections rather than dendrites."""
    u = np.linspace(0.0, 1.0, n_points)[None, :, None]
    length = np.linalg.norm(end - start, axis=1)
    control = (start + end) / 2 + np.outer(length * lift * 2, [0.0, 1.0, 0.0])
    a, b, c = start[:, None], control[:, None], end[:, None]
    return (1 - u) ** 2 * a + 2 * (1 - u) * u * b + u ** 2 * c


def pulse_phases(doc: Mapping, time: np.ndarray, flash_ms: float = 1.5,
                 block: int = 65536) -> np.ndarray:
    """float32 [K, T]: the pulse phase of every connection at every ``time`` (module docstring);
    filled ``block`` connections at a time so temporaries stay small."""
    conn, spikes = doc["connections"], doc.get("spikes")
    time = np.asarray(time, dtype=np.float64)
    out = np.full((len(conn["pre"]), len(time)), np.nan, dtype=np.float32)
    if spikes is None or not len(spikes["time"]):
        return out
    pre_cells, pre_index = np.unique(conn["pre"], return_inverse=True)
    since = np.full((len(pre_cells), len(time)), np.nan)  # time since each cell's last spike
    order = np.lexsort((spikes["time"], spikes["cell"]))  # by cell, then time
    by_cell, by_time = spikes["cell"][order], spikes["time"][order]
    first = np.asarray(np.searchsorted(by_cell, pre_cells, side="left"))
    stop = np.asarray(np.searchsorted(by_cell, pre_cells, side="right"))
    for i in range(len(pre_cells)):
        times = by_time[first[i]:stop[i]]
        if len(times):
            last = np.searchsorted(times, time, side="right") - 1
            since[i] = np.where(last >= 0, time - times[np.maximum(last, 0)], np.nan)
    delay = np.maximum(np.asarray(conn["delay"], dtype=np.float64), _MIN_DELAY)
    pre_index = pre_index.ravel()
    for start in range(0, len(out), block):
        rows = slice(start, start + block)
        s, d = since[pre_index[rows]], delay[rows, None]
        with np.errstate(invalid="ignore"):
            out[rows] = np.where(s > d + flash_ms, np.nan, s / d)
    return out
