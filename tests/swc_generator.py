"""Realistic SWC reconstructions for tests: soma, a long thin axon with collaterals, dendrites
with many branch orders, written depth-first with optionally scrambled (non-sequential) ids."""

from __future__ import annotations

import numpy as np


def _branch(rng, start, direction, n_points, step, radius):
    """Points of one unbranched stretch growing from ``start`` (excluded)."""
    pts = []
    pos, d = np.asarray(start, float), np.asarray(direction, float)
    for _ in range(n_points):
        d = d + rng.normal(0, 0.15, 3)
        d /= np.linalg.norm(d)
        pos = pos + step * d
        pts.append((pos.copy(), radius))
    return pts


def generate_cell(seed: int, *, max_order: int = 6, axon_points: int = 400,
                  scramble_ids: bool = True) -> str:
    """SWC text of one random cell (every parent listed before its children)."""
    rng = np.random.default_rng(seed)
    rows = []  # (type, xyz, radius, parent_row)

    def add(kind, xyz, radius, parent):
        rows.append((kind, xyz, radius, parent))
        return len(rows) - 1

    soma = add(1, np.zeros(3), 6.0, -1)
    add(1, np.array([0, -6.0, 0]), 6.0, soma)
    add(1, np.array([0, 6.0, 0]), 6.0, soma)

    def grow(kind, parent, direction, order, radius):
        here = parent
        for xyz, r in _branch(rng, rows[parent][1], direction, int(rng.integers(4, 25)),
                              float(rng.uniform(1.5, 4.0)), radius):
            here = add(kind, xyz, r, here)
        if order < max_order and rng.random() < 0.85:
            for _ in range(2):
                child_dir = direction + rng.normal(0, 0.6, 3)
                grow(kind, here, child_dir / np.linalg.norm(child_dir), order + 1,
                     max(0.15, radius * 0.75))

    # long thin axon with a few collaterals
    here = soma
    for k, (xyz, r) in enumerate(_branch(rng, rows[soma][1], np.array([0, -1.0, 0]),
                                         axon_points, 5.0, 0.25)):
        here = add(2, xyz, r, here)
        if k in (axon_points // 4, axon_points // 2):
            grow(2, here, np.array([1.0, -0.3, 0]), max_order - 2, 0.2)
    for kind, n_trees in ((3, 4), (4, 1)):
        for _ in range(n_trees):
            d = rng.normal(0, 1, 3)
            d[1] = abs(d[1]) + 0.5
            grow(kind, soma, d / np.linalg.norm(d), 1, 1.5)
    ids = np.arange(1, len(rows) + 1)
    if scramble_ids:  # increasing but with gaps, as in many database files
        ids = np.cumsum(rng.integers(1, 7, len(rows)))
    lines = ["# generated test cell"]
    for k, (kind, xyz, radius, parent) in enumerate(rows):
        pid = ids[parent] if parent >= 0 else -1
        lines.append(f"{ids[k]} {kind} {xyz[0]:.3f} {xyz[1]:.3f} {xyz[2]:.3f} {radius:.3f} {pid}")
    return "\n".join(lines) + "\n"
