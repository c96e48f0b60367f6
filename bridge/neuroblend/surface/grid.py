"""Heightmap grids in numpy: vertex positions over the extent, quad topology around holes, wire
spacing and the automatic height scale."""

from __future__ import annotations

import numpy as np


def grid_positions(shape, extent) -> np.ndarray:
    """float32 ``[ny * nx, 2]`` x, y of every grid vertex (row 0 at ymax, column 0 at xmin)."""
    ny, nx = shape
    xmin, xmax, ymin, ymax = extent
    x = np.linspace(xmin, xmax, nx, dtype=np.float64)
    y = np.linspace(ymax, ymin, ny, dtype=np.float64)
    xy = np.empty((ny, nx, 2), dtype=np.float32)
    xy[..., 0] = x[None, :]
    xy[..., 1] = y[:, None]
    return xy.reshape(-1, 2)


def grid_topology(shape, holes: np.ndarray | None = None, wire_every: int = 1):
    """Faces and edges of a grid, with cells touching a hole dropped.

    Returns int32 ``quads [F, 4]`` (counter-clockwise seen from +Z), ``corner_edges [F, 4]``
    (edge of each face corner, to the next corner), ``edges [E, 2]`` (only edges of kept faces)
    and bool ``wire [E]`` (edges on every ``wire_every``-th row/column and the last ones).
    """
    ny, nx = shape
    index = np.arange(ny * nx, dtype=np.int32).reshape(ny, nx)
    n_rows_edges = ny * (nx - 1)
    row_edge = np.arange(n_rows_edges, dtype=np.int32).reshape(ny, nx - 1)  # along a row
    col_edge = n_rows_edges + np.arange((ny - 1) * nx, dtype=np.int32).reshape(ny - 1, nx)
    all_edges = np.concatenate([
        np.stack([index[:, :-1], index[:, 1:]], axis=-1).reshape(-1, 2),
        np.stack([index[:-1, :], index[1:, :]], axis=-1).reshape(-1, 2)])
    on_row = (np.arange(ny) % wire_every == 0) | (np.arange(ny) == ny - 1)
    on_col = (np.arange(nx) % wire_every == 0) | (np.arange(nx) == nx - 1)
    all_wire = np.concatenate([np.repeat(on_row, nx - 1), np.tile(on_col, ny - 1)])
    quads = np.stack([index[1:, :-1], index[1:, 1:], index[:-1, 1:], index[:-1, :-1]], axis=-1)
    corner_edges = np.stack([row_edge[1:, :], col_edge[:, 1:], row_edge[:-1, :],
                             col_edge[:, :-1]], axis=-1)
    quads, corner_edges = quads.reshape(-1, 4), corner_edges.reshape(-1, 4)
    if holes is None or not holes.any():
        return quads, corner_edges, all_edges, all_wire
    keep = ~(holes[1:, :-1] | holes[1:, 1:] | holes[:-1, 1:] | holes[:-1, :-1]).ravel()
    quads, corner_edges = quads[keep], corner_edges[keep]
    used = np.zeros(len(all_edges), dtype=bool)
    used[corner_edges.ravel()] = True
    renumber = (np.cumsum(used) - 1).astype(np.int32)
    return quads, renumber[corner_edges], all_edges[used], all_wire[used]


def default_wire_every(shape, lines: int = 40) -> int:
    """Row/column spacing of the wireframe that draws about ``lines`` lines across the grid."""
    return max(1, round(max(shape) / lines))


RELIEF = 0.35  # the automatic height scale: relief this fraction of the longest side


def auto_height_scale(z: np.ndarray, extent, relief: float = RELIEF) -> float:
    """Height scale making the relief ``relief`` times the surface's longest side."""
    span = max(extent[1] - extent[0], extent[3] - extent[2])
    zrange = float(np.nanmax(z) - np.nanmin(z))
    return relief * span / zrange if zrange > 0 else 1.0
