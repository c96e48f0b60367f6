"""Heightmap grid arithmetic (numpy, no Blender): positions, faces around holes, wire spacing."""

from __future__ import annotations

import numpy as np
import pytest

from neuroblend.surface.grid import (
    auto_height_scale,
    default_wire_every,
    grid_positions,
    grid_topology,
)


def test_positions_run_from_top_left_over_the_extent():
    xy = grid_positions((3, 4), (0.0, 3.0, -1.0, 1.0))
    assert xy.shape == (12, 2)
    assert tuple(xy[0]) == (0.0, 1.0) and tuple(xy[-1]) == (3.0, -1.0)


def test_every_face_uses_its_own_edges_and_holes_drop_the_faces_they_touch():
    quads, corner_edges, edges, wire = grid_topology((4, 5))
    assert len(quads) == 3 * 4 and len(edges) == 4 * 4 + 3 * 5 and wire.all()
    for quad, corners in zip(quads, corner_edges, strict=True):
        for k in range(4):  # corner k's edge joins it to the next corner
            assert set(edges[corners[k]]) == {quad[k], quad[(k + 1) % 4]}
    holes = np.zeros((4, 5), bool)
    holes[1, 1] = True
    quads, corner_edges, edges, _ = grid_topology((4, 5), holes)
    assert len(quads) == 12 - 4 and 6 not in quads  # vertex (1, 1) is index 6
    assert corner_edges.max() == len(edges) - 1


def test_wire_spacing_and_height_scale():
    assert default_wire_every((400, 100)) == 10 and default_wire_every((10, 10)) == 1
    _, _, _, wire = grid_topology((5, 5), wire_every=2)
    assert 0 < wire.sum() < len(wire)
    z = np.array([[0.0, 2.0]])
    assert auto_height_scale(z, (0.0, 4.0, 0.0, 1.0)) == pytest.approx(0.35 * 4 / 2)
    assert auto_height_scale(np.zeros((2, 2)), (0.0, 1.0, 0.0, 1.0)) == 1.0
