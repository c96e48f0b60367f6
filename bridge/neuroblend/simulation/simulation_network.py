"""The network part of ``neuroblend.simulation`` version 2: spikes, connections, cell placement.

``spikes``: ``{"cell": int32 [S], "time": float64 [S] (ms)}``, each time within the recorded time.
``connections``: ``{"pre": int32 [K], "post": int32 [K], "post_section": int32 [K],
"post_x": float32 [K], "delay": float64 [K] (ms, >= 0), "weight": float64 [K]}``; ``pre``/``post``
index ``cells``, ``post_section`` indexes the post cell's sections, ``post_x`` is the normalised
position along that section in the file's orientation (0 at its parent end).
``cells[i]["placement"]`` (optional): float64 [4, 4] affine transform (um) from the cell's points
to the network frame, for cells whose points are not already placed.
All three are optional; version-1 files have none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

SPIKE_ARRAYS = {"cell": np.int32, "time": np.float64}
CONNECTION_ARRAYS = {"pre": np.int32, "post": np.int32, "post_section": np.int32,
                     "post_x": np.float32, "delay": np.float64, "weight": np.float64}
_TIME_TOLERANCE = 1e-6
MAX_DELAY_MS = 1e4  # a connection's delay: 10 s is far beyond any axon
MAX_WEIGHT = 1e6  # |weight| (uS or any unit): finite and renderable
MAX_NETWORK_UM = 1e7  # placed coordinates (and placement translations): within 10 m
MAX_PLACEMENT_SCALE = 1e3  # entries of a placement's rotation/scale part


def is_network(doc: Mapping) -> bool:
    """True for a document with connections or spikes (a version-2 network file)."""
    return "connections" in doc or "spikes" in doc


def empty_connections() -> dict:
    """A connections table with no connections."""
    return {k: np.zeros(0, dtype=d) for k, d in CONNECTION_ARRAYS.items()}


def coerce_tables(spikes: Mapping | None, connections: Mapping | None) -> dict:
    """The ``spikes``/``connections`` payload entries with the format's dtypes (only those given)."""
    out: dict[str, Any] = {}
    for key, table, spec in (("spikes", spikes, SPIKE_ARRAYS),
                             ("connections", connections, CONNECTION_ARRAYS)):
        if table is not None:
            out[key] = {k: np.asarray(table[k], dtype=d).reshape(-1) for k, d in spec.items()}
    return out


def placed_points(cell: Mapping) -> np.ndarray:
    """The cell's points in the network frame (its ``placement`` applied, if it has one)."""
    points = np.asarray(cell["sections"]["points"], dtype=np.float64)
    placement = cell.get("placement")
    if placement is None:
        return points
    matrix = np.asarray(placement, dtype=np.float64)
    return points @ matrix[:3, :3].T + matrix[:3, 3]


def network_problems(doc: Mapping) -> list[str]:
    """What is wrong with the version-2 parts of a simulation document (empty when valid)."""
    out: list[str] = []
    raw_cells = doc.get("cells")
    cells: list = raw_cells if isinstance(raw_cells, list) else []
    for i, cell in enumerate(cells):
        if isinstance(cell, Mapping) and "placement" in cell:
            where = f"cells[{i}].placement"
            found = _placement_problems(cell["placement"], where)
            out += found or _placed_extent_problems(cell, where)
    has_network = "spikes" in doc or "connections" in doc
    if has_network and doc.get("version", 2) < 2:
        out.append("spikes/connections need version 2 of the format (this file says version "
                   f"{doc.get('version')})")
    if "spikes" in doc:
        out += _spike_problems(doc["spikes"], len(cells), doc.get("time"))
    if "connections" in doc:
        out += _connection_problems(doc["connections"], cells)
    return out


def _table_problems(table: Any, where: str, spec: Mapping) -> tuple[list[str], int | None]:
    if not isinstance(table, Mapping):
        return [f"{where} must be a dict of arrays ({', '.join(spec)})"], None
    out = []
    for key, dtype in spec.items():
        arr = table.get(key)
        if not isinstance(arr, np.ndarray) or arr.dtype != np.dtype(dtype) or arr.ndim != 1:
            out.append(f"{where}.{key} must be a 1-D numpy {np.dtype(dtype).name} array")
    if out:
        return out, None
    lengths = {key: len(table[key]) for key in spec}
    first = next(iter(spec))
    for key, n in lengths.items():
        if n != lengths[first]:
            return [f"{where}.{key} has {n} entries but {where}.{first} has "
                    f"{lengths[first]} (mismatched lengths)"], None
    return out, lengths[first]


def _spike_problems(spikes: Any, n_cells: int, time: Any) -> list[str]:
    out, n = _table_problems(spikes, "spikes", SPIKE_ARRAYS)
    if n is None or n == 0:
        return out
    cell, t = spikes["cell"], spikes["time"]
    bad = np.flatnonzero((cell < 0) | (cell >= n_cells))
    if len(bad):
        i = int(bad[0])
        out.append(f"spikes[{i}] names cell {int(cell[i])}, but the file has {n_cells} cells "
                   f"(0..{n_cells - 1})")
    bad = np.flatnonzero(~np.isfinite(t))
    if len(bad):
        out.append(f"spikes[{int(bad[0])}].time is not a finite number")
    elif isinstance(time, np.ndarray) and time.ndim == 1 and len(time):
        lo, hi = float(time[0]), float(time[-1])
        tol = _TIME_TOLERANCE * max(1.0, abs(hi - lo))
        bad = np.flatnonzero((t < lo - tol) | (t > hi + tol))
        if len(bad):
            i = int(bad[0])
            out.append(f"spikes[{i}].time is {float(t[i]):g}, outside the recorded time "
                       f"{lo:g}..{hi:g}")
    return out


def _connection_problems(conn: Any, cells: list) -> list[str]:
    out, n = _table_problems(conn, "connections", CONNECTION_ARRAYS)
    if n is None or n == 0:
        return out
    n_cells = len(cells)
    for key in ("pre", "post"):
        bad = np.flatnonzero((conn[key] < 0) | (conn[key] >= n_cells))
        if len(bad):
            i = int(bad[0])
            return out + [f"connections[{i}].{key} names cell {int(conn[key][i])}, but the "
                          f"file has {n_cells} cells (0..{n_cells - 1})"]
    n_sections = np.array([_section_count(c) for c in cells])
    post, section = conn["post"], conn["post_section"]
    bad = np.flatnonzero((section < 0) | (section >= n_sections[post]))
    if len(bad):
        i = int(bad[0])
        out.append(f"connections[{i}].post_section is {int(section[i])}, but cell "
                   f"{int(post[i])} has {int(n_sections[post[i]])} sections")
    x = conn["post_x"]
    bad = np.flatnonzero(~((x >= 0) & (x <= 1)))
    if len(bad):
        out.append(f"connections[{int(bad[0])}].post_x is {float(x[bad[0]]):g}, expected 0..1")
    delay = conn["delay"]
    bad = np.flatnonzero(~((delay >= 0) & (delay <= MAX_DELAY_MS)))
    if len(bad):
        out.append(f"connections[{int(bad[0])}].delay is {float(delay[bad[0]]):g} ms, expected "
                   f"a finite delay 0..{MAX_DELAY_MS:g} ms")
    weight = conn["weight"]
    bad = np.flatnonzero(~(np.abs(weight) <= MAX_WEIGHT))
    if len(bad):
        out.append(f"connections[{int(bad[0])}].weight is {float(weight[bad[0]]):g}, expected "
                   f"a finite weight within +-{MAX_WEIGHT:g}")
    return out


def _section_count(cell: Any) -> int:
    try:
        return len(cell["sections"]["name"])
    except (TypeError, KeyError):
        return 0


def _placement_problems(placement: Any, where: str) -> list[str]:
    if (not isinstance(placement, np.ndarray) or placement.dtype != np.float64
            or placement.shape != (4, 4)):
        return [f"{where} must be a float64 [4, 4] affine matrix (um)"]
    if not np.all(np.isfinite(placement)):
        return [f"{where} contains NaN or infinite values"]
    if not np.allclose(placement[3], (0, 0, 0, 1)):
        return [f"{where}: the last row must be (0, 0, 0, 1)"]
    if np.abs(placement[:3, :3]).max() > MAX_PLACEMENT_SCALE:
        return [f"{where}: rotation/scale entries reach {np.abs(placement[:3, :3]).max():.3g}, "
                f"expected within +-{MAX_PLACEMENT_SCALE:g}"]
    if np.abs(placement[:3, 3]).max() > MAX_NETWORK_UM:
        return [f"{where}: the translation reaches {np.abs(placement[:3, 3]).max():.3g} um, "
                f"expected within +-{MAX_NETWORK_UM:g} um"]
    return []


def _placed_extent_problems(cell: Mapping, where: str) -> list[str]:
    """The placed points must stay within MAX_NETWORK_UM (checked once the points are valid)."""
    points = cell.get("sections", {}).get("points") if isinstance(cell.get("sections"),
                                                                   Mapping) else None
    if (not isinstance(points, np.ndarray) or points.ndim != 2 or points.shape[1:] != (3,)
            or not len(points) or not np.all(np.isfinite(points))):
        return []  # the simulation format's own checks name this
    reach = float(np.abs(placed_points(cell)).max())
    if not reach <= MAX_NETWORK_UM:
        return [f"{where}: placed points reach {reach:.3g} um, expected within "
                f"+-{MAX_NETWORK_UM:g} um"]
    return []


def summarize_network(doc: Mapping) -> dict:
    """Counts for ``neuroblend inspect``: spikes, spiking cells, connections, delays."""
    out: dict[str, Any] = {}
    spikes = doc.get("spikes")
    if spikes is not None:
        out["spikes"] = int(len(spikes["time"]))
        out["spiking_cells"] = int(len(np.unique(spikes["cell"])))
        if len(spikes["time"]):
            out["first_spike"] = f"{float(spikes['time'].min()):g} ms"
    conn = doc.get("connections")
    if conn is not None:
        out["connections"] = int(len(conn["pre"]))
        if len(conn["delay"]):
            out["delays"] = (f"{float(conn['delay'].min()):g} .. "
                             f"{float(conn['delay'].max()):g} ms")
    return out
