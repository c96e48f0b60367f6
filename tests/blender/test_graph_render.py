"""`render network`: the graph morph in geometry nodes and on rendered frames."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector
from PIL import Image
from render_check import render_fresh

from neuroblend.blender.core import compat, render, studio
from neuroblend.blender.graph import scene as graph_scene
from neuroblend.colormaps.luts import get_lut
from neuroblend.files.fileformat import save_document
from neuroblend.graph.edges import edges_record
from neuroblend.graph.model import GraphOptions
from neuroblend.graph.motion import Rearrange
from neuroblend.graph.render_options import rest_lifted_lut

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import graph_fixtures as fx  # noqa: E402

pytest.importorskip("scipy")
START, END = 20, 50
SIZE = (480, 270)
# spring keeps red at 1 for every activity; the edges are pure green: easy to tell apart
LOOK = graph_scene.GraphLook(colormap="spring", glow=0.0, edge_darkening=0.0,
                             edge_color=(0.0, 1.0, 0.0), edge_strength=1.0, rim=0.0)


def _network():
    return fx.small_network(edges=edges_record(3, 4, 0.5, seed=1))


def _build(scene, stagger=0.5):
    studio.setup_studio_scene(scene, resolution=SIZE, samples=8, denoise=False, bloom=False)
    options = GraphOptions(Rearrange(START, END, stagger))
    root, graph = graph_scene.import_network_graph(_network(), options, look=LOOK, scene=scene,
                                                   name="net")
    graph_scene.frame_graph(graph, scene)
    return root, graph


def _project(scene, points) -> np.ndarray:
    out = []
    for p in points:
        u, v, _ = world_to_camera_view(scene, scene.camera, Vector(p))
        out.append((u * SIZE[0], (1.0 - v) * SIZE[1]))
    return np.array(out)


def _tube_vertices(obj, frame) -> np.ndarray:
    """World positions of the evaluated edge-tube vertices at ``frame`` (the object's mesh)."""
    bpy.context.scene.frame_set(frame)
    evaluated = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
    mesh = evaluated.to_mesh()
    co = np.empty(len(mesh.vertices) * 3, dtype=np.float32)
    mesh.vertices.foreach_get("co", co)
    evaluated.to_mesh_clear()
    return co.reshape(-1, 3).astype(np.float64)


def _segment_distance(points, a, b) -> np.ndarray:
    """[P, S] distance of each point to each segment a[s] -> b[s]."""
    d = b - a
    t = np.clip(np.einsum("psk,sk->ps", points[:, None] - a[None], d) / (d * d).sum(1), 0, 1)
    return np.linalg.norm(points[:, None] - (a[None] + t[..., None] * d[None]), axis=2)


def _sphere_centres(obj) -> np.ndarray:
    """World positions of the sphere instances the modifier makes at the current frame."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    return np.array([tuple(inst.matrix_world.translation) for inst in depsgraph.object_instances
                     if inst.is_instance and inst.parent and inst.parent.original == obj])


def test_geometry_nodes_move_spheres_and_edge_ends_exactly_as_the_model(fresh_scene):
    root, graph = _build(fresh_scene)
    obj = graph_scene.graph_object(root)
    mod = obj.modifiers[graph_scene.MODIFIER]
    assert len(compat.fcurves(obj)) == 1  # ONE animated factor drives the move
    for frame in (1, START, 27, 35, 44, END, 70):
        expected = graph.positions_at(frame)
        tubes, radius = _tube_vertices(obj, frame), graph.radius / 10
        assert fx.match_error(_sphere_centres(obj), expected) < 1e-4, frame
        a, b = expected[graph.edges[:, 0]], expected[graph.edges[:, 1]]
        assert _segment_distance(tubes, a, b).min(axis=1).max() < radius * 1.01, frame
        ends = np.concatenate([a, b])  # every edge end is ringed by its tube's end
        assert np.linalg.norm(ends[:, None] - tubes[None], axis=2).min(axis=1).max() < \
            radius * 1.01, frame
        assert compat.get_modifier_input(mod, "Factor") == pytest.approx(graph.factor(frame))


def test_many_edges_get_lighter_tubes_still_on_their_segments(fresh_scene, monkeypatch):
    obj = graph_scene.graph_object(_build(fresh_scene)[0])
    full = len(_tube_vertices(obj, 1))
    monkeypatch.setattr(graph_scene, "MANY_EDGES", 0)  # as a graph of > 5,000 edges
    root, graph = _build(fresh_scene)
    obj = graph_scene.graph_object(root)
    tubes = _tube_vertices(obj, 27)
    expected = graph.positions_at(27)
    a, b = expected[graph.edges[:, 0]], expected[graph.edges[:, 1]]
    assert _segment_distance(tubes, a, b).min(axis=1).max() < graph.radius / 10 * 1.01
    assert len(tubes) < full / 5  # 6 pieces x 3 sides instead of 24 x 6


def test_rendered_frames_show_shuffled_then_layered_with_attached_edges_and_activity_colours(
        fresh_scene, artifact_dir):
    _root, graph = _build(fresh_scene)
    lut = (rest_lifted_lut(get_lut("spring"), LOOK.rest_lift)[:, :3] * 255).round()
    vmin, vmax = graph.activity_range()
    frames = {}
    for frame in (10, 35, 60):
        path = render.render_still(fresh_scene, artifact_dir / f"frame_{frame}.png", frame=frame)
        frames[frame] = np.asarray(Image.open(path))[..., :3].astype(int)
    spheres = {f: fx.blob_centroids(rgb[..., 0] > 128) for f, rgb in frames.items()}
    assert fx.match_error(spheres[10], _project(fresh_scene, graph.shuffled)) < 1.0
    assert fx.match_error(spheres[60], _project(fresh_scene, graph.layered)) < 1.0
    # mid-move: spheres where the model says, every edge on the line between its neurons
    now = _project(fresh_scene, graph.positions_at(35))
    radius_px = np.linalg.norm(_project(fresh_scene, [(graph.radius, 0, 0)])
                               - _project(fresh_scene, [(0, 0, 0)]))
    assert fx.isolated_error(spheres[35], now, 2.5 * radius_px) < 1.0
    points = fx.segment_samples(now[graph.edges[:, 0]], now[graph.edges[:, 1]]).reshape(-1, 2)
    clear = np.linalg.norm(points[:, None] - now[None], axis=2).min(axis=1) > 1.5 * radius_px
    cols, rows = points[clear].astype(int).T
    lit = frames[35][rows, cols]
    assert clear.sum() > 20 and np.all(lit[:, 1] > 60) and np.all(lit[:, 0] < 60)
    # colours: the sphere centre shows the colormap at the neuron's smoothed activity
    for frame in (10, 60):
        centres = _project(fresh_scene, graph.positions_at(frame)).astype(int)
        seen = frames[frame][centres[:, 1], centres[:, 0]]
        t = np.clip((graph.activity_at(frame) - vmin) / (vmax - vmin), 0, 1)
        assert np.abs(seen - lut[np.minimum((t * 256).astype(int), 255)]).max() <= 3, frame
    assert np.ptp(graph.activity_at(10)) > 0.3 * (vmax - vmin)  # colours do differ


def test_every_resting_neuron_shows_on_black_in_the_default_look(fresh_scene, artifact_dir):
    """No activity at all (the default model often dies out): every sphere still reads."""
    studio.setup_studio_scene(fresh_scene, resolution=SIZE, samples=4, denoise=False, bloom=False)
    doc = fx.small_network(edges=edges_record(3, 4, 0.5, seed=1), p_spont=0.0)
    _root, graph = graph_scene.import_network_graph(doc, GraphOptions(Rearrange(START, END)),
                                                    scene=fresh_scene, name="rest")
    graph_scene.frame_graph(graph, fresh_scene)
    assert not graph.activity.any()
    for frame in (10, 60):
        path = render.render_still(fresh_scene, artifact_dir / f"rest_{frame}.png", frame=frame)
        rgb = np.asarray(Image.open(path))[..., :3].astype(int)
        for col, row in _project(fresh_scene, graph.positions_at(frame)).astype(int):
            assert rgb[row - 1:row + 2, col - 1:col + 2].max() > 40, (frame, col, row)


@pytest.mark.slow
def test_render_job_saves_a_blend_that_plays_in_a_fresh_process(artifact_dir, tmp_path):
    from neuroblend.blender.jobs import render_network
    from neuroblend.cli.render import job_options

    net, blend = tmp_path / "net.pkl", artifact_dir / "net.blend"
    save_document(_network(), net)
    written = render_network.run(job_options("network", [
        str(net), "--rearrange", f"{START}-{END}", "--frames", "35-35", "--out", str(artifact_dir),
        "--resolution", "320x180", "--samples", "4", "--no-bloom", "--save-blend", str(blend)]))
    assert sorted(written) == sorted([blend, artifact_dir / "frame_0035.png"])
    scene = bpy.context.scene
    assert (scene.frame_start, scene.frame_end) == (35, 35)
    net.unlink()  # everything needed is inside the .blend
    fresh = render_fresh(blend, artifact_dir / "fresh.png", 35, tmp_path).astype(int)
    original = np.asarray(Image.open(artifact_dir / "frame_0035.png").convert("RGB"), dtype=int)
    assert original.max() > 100 and np.abs(original - fresh).max() <= 2


def test_render_job_refuses_bad_timing_with_one_line(tmp_path):
    from neuroblend.cli.render import job_options

    with pytest.raises(SystemExit) as stop:
        job_options("network", [str(tmp_path / "net.pkl"), "--rearrange", "50-20",
                                "--out", str(tmp_path)])
    assert stop.value.code == 2
