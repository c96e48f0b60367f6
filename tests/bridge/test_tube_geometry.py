"""Tube geometry of cells (numpy, no Blender): vertices on their compartments, soma joins,
side counts, option checks."""

from __future__ import annotations

import numpy as np
import pytest
from spike_docs import toy_document

from neuroblend.spike.tube_geometry import TubeOptions, cell_geometry, tube_radius


def _arc_position(points: np.ndarray, centre: np.ndarray) -> tuple[float, float]:
    """(distance from the polyline, normalised arc length of the closest point)."""
    seg = np.diff(points, axis=0)
    lengths = np.linalg.norm(seg, axis=1)
    cum = np.concatenate([[0.0], np.cumsum(lengths)])
    t = np.clip(np.einsum("ij,ij->i", centre - points[:-1], seg) / lengths**2, 0, 1)
    closest = points[:-1] + seg * t[:, None]
    dist = np.linalg.norm(closest - centre, axis=1)
    i = int(np.argmin(dist))
    return float(dist[i]), float((cum[i] + t[i] * lengths[i]) / cum[-1])


def _parent_point(sec: dict, i: int) -> np.ndarray:
    p = int(sec["parent"][i])
    pts = sec["points"][sec["point_offsets"][p]:sec["point_offsets"][p + 1]].astype(float)
    cum = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    target = float(sec["parent_x"][i]) * cum[-1]
    return np.array([np.interp(target, cum, pts[:, d]) for d in range(3)])


@pytest.mark.parametrize("soma", ["sphere", "traced"])
def test_every_vertex_sits_on_its_compartment(soma):
    doc = toy_document(n_cells=2)
    options = TubeOptions(soma=soma, units_per_um=0.01)
    for cell in doc["cells"]:
        geo = cell_geometry(cell, options)
        sec, comp = cell["sections"], cell["compartments"]
        rows = np.arange(len(comp["section"])) + cell["row_start"]
        assert set(np.unique(geo.rows)) == set(rows), "every compartment has vertices"
        centres = geo.centers / options.units_per_um
        for vertex in np.unique(np.round(centres, 4), axis=0, return_index=True)[1]:
            local = geo.rows[vertex] - cell["row_start"]
            s = int(comp["section"][local])
            n = int(np.sum(comp["section"] == s))
            k = local - int(np.argmax(comp["section"] == s))
            pts = sec["points"][sec["point_offsets"][s]:sec["point_offsets"][s + 1]].astype(float)
            if sec["type"][s] == "soma" and soma == "sphere":
                continue  # checked below
            dist, frac = _arc_position(pts, centres[vertex])
            # a stub joins the parent's point to the section's first point (flared trunks
            # have rings along it)
            joint = _parent_point(sec, s) if sec["parent"][s] >= 0 else pts[0]
            on_stub = np.linalg.norm(joint - pts[0]) > 1e-3 and _arc_position(
                np.stack([joint, pts[0]]), centres[vertex])[0] < 1e-3
            assert on_stub or dist < 1e-3, f"vertex {vertex} is off section {s}"
            if not on_stub:
                assert k / n - 1e-4 <= frac <= (k + 1) / n + 1e-4, (s, k, n, frac)
        # tube vertices lie at the displayed radius around their ring centre
        spread = np.linalg.norm(geo.positions - geo.centers, axis=1) / options.units_per_um
        expected = tube_radius(geo.radius_um, geo.mean_radius_um, options)
        assert np.allclose(spread, expected, rtol=1e-4, atol=1e-4)


def test_soma_sphere_and_branch_joins():
    doc = toy_document()
    cell = doc["cells"][0]
    geo = cell_geometry(cell, TubeOptions(soma="sphere", units_per_um=1.0))
    soma = geo.rows == 0
    # a sphere around the soma centre with the traced cylinder's area: 4 pi r^2 = pi 12 * 12
    assert np.allclose(np.linalg.norm(geo.positions[soma], axis=1), 6.0, atol=1e-4)
    # every child tube starts (ring centre) exactly at its parent's point at parent_x
    sec = cell["sections"]
    centres = geo.centers
    for s in (1, 2, 3):
        start = _parent_point(sec, s)
        assert np.min(np.linalg.norm(centres - start, axis=1)) < 1e-4, f"section {s} has a gap"


def test_resolution_and_no_face_spans_two_compartments():
    cell = toy_document()["cells"][0]
    geo = cell_geometry(cell, TubeOptions(resolution=6, soma="traced", adaptive=False))
    sizes = np.diff(np.append(geo.loop_start, len(geo.loop_vertices)))
    assert set(sizes) == {3, 4}  # quads, and triangle fans closing the tips
    corner_rows = geo.rows[geo.loop_vertices]
    face = np.repeat(np.arange(len(sizes)), sizes)
    lo = np.minimum.reduceat(corner_rows, geo.loop_start)
    hi = np.maximum.reduceat(corner_rows, geo.loop_start)
    assert np.array_equal(lo, hi), "a face mixes compartments"
    assert face.max() == len(sizes) - 1


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="soma shape"):
        TubeOptions(soma="cube").check()
    with pytest.raises(ValueError, match="resolution"):
        TubeOptions(resolution=2).check()
