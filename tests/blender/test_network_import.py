"""Networks in Blender: cells at a level of detail, connection arcs whose pulses travel after the
presynaptic spike and reach the synapse at the delay, and a saved .blend that re-renders the
same in a fresh process without NeuroBlend and without the data file."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector
from render_check import assert_saved_scene_renders_the_same, render_pixels

from neuroblend.blender.core import studio
from neuroblend.blender.network import connections as network_connections
from neuroblend.blender.network import lod
from neuroblend.blender.simulation.scene import import_simulation_file
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.files.fileformat import save_document
from neuroblend.network import geometry as ng
from neuroblend.spike.playback_settings import SpikeLook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from network_docs import DELAY, PEAK, REST, SPIKE_TIMES, toy_network  # noqa: E402

SIZE = (160, 90)
FPMS = 2.0  # frame = 1 + 2 t


def _frame(t: float) -> int:
    return int(round(1 + FPMS * t))


def _scene(doc, level="auto"):
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=SIZE, samples=4,
                                      denoise=False, bloom=False)
    root = import_simulation_file(
        doc, scene=scene, name="toy", level=level,
        settings=SpikeLook(vmin=REST, vmax=PEAK, frames_per_ms=FPMS))
    root["nb_connection_radius"] = 12.0  # thick enough to measure at this small size
    root["nb_synapse_radius"] = 15.0
    spike_playback.fit_timeline(root, scene)
    spike_playback.frame_simulation(root, scene, view=(0.0, -1.0, 0.0))
    return scene, root


def _brightness(image, scene, root, um, radius=2) -> float:
    world = root.matrix_world @ (Vector(tuple(um)) * 0.01)
    x, y, _ = world_to_camera_view(scene, scene.camera, world)
    r, c = int((1 - y) * SIZE[1]), int(x * SIZE[0])
    return float(image[max(r - radius, 0):r + radius + 1, max(c - radius, 0):c + radius + 1]
                 .sum(axis=2).max())


def _objects(root, marker: str) -> list:
    return [o for o in root.children if o.get(marker)]


def test_import_builds_cells_connections_and_synapses():
    scene, root = _scene(toy_network())
    assert root[lod.LEVEL_PROPERTY] == "full"
    assert len(spike_playback.cell_objects(root)) == 3
    arcs, spheres = _objects(root, "nb_network")
    dg = bpy.context.evaluated_depsgraph_get()
    mesh = arcs.evaluated_get(dg).to_mesh()
    assert len(mesh.polygons) > 0 and "nb_u" in mesh.attributes
    rows = np.zeros(len(mesh.vertices), np.int32)
    mesh.attributes["nb_connection"].data.foreach_get("value", rows)
    assert set(rows.tolist()) == {0, 1}


@pytest.mark.parametrize("level, objects", [("simplified", 3), ("soma", 1),
                                           (["full", "soma", "soma"], 2)])
def test_level_of_detail_by_hand(level, objects):
    scene, root = _scene(toy_network(), level=level)
    assert root[lod.LEVEL_PROPERTY] == (level if isinstance(level, str) else "mixed")
    assert len(spike_playback.cell_objects(root)) == objects


def test_activity_reaches_the_cells_at_different_frames(artifact_dir):
    doc = toy_network()
    scene, root = _scene(doc)
    somata = ng.soma_centers(ng.placed_document(doc))
    lit = {}
    for c, t in enumerate(SPIKE_TIMES):
        image = render_pixels(scene, _frame(t + 0.5), artifact_dir / f"t{t:g}.png")
        lit[c] = [_brightness(image, scene, root, somata[k]) for k in range(3)]
    for c in range(3):  # at each spike time the firing cell is the brightest
        others = [lit[c][k] for k in range(3) if k != c]
        assert lit[c][c] > 1.5 * max(others), lit


@pytest.mark.parametrize("arcs", ["tubes", "curves"])
def test_pulse_travels_along_the_connection_and_the_synapse_flashes(artifact_dir, monkeypatch,
                                                                   arcs):
    if arcs == "curves":  # what a big network gets: hair curves, synapses instanced
        monkeypatch.setattr(network_connections, "BIG_NETWORK", 0)
    doc = toy_network()
    scene, root = _scene(doc)
    assert {o.type for o in _objects(root, "nb_network")} == {
        "MESH", "CURVES" if arcs == "curves" else "MESH"}
    for obj in spike_playback.cell_objects(root):
        obj.hide_render = True  # the connections alone
    placed = ng.placed_document(doc)
    start, end = ng.soma_centers(placed)[[0]], ng.synapse_points(placed)[[0]]
    path = ng.connection_paths(start, end, n_points=5)[0]  # u = 0, .25, .5, .75, 1
    t0 = SPIKE_TIMES[0]
    images = {t: render_pixels(scene, _frame(t), artifact_dir / f"{arcs}{t:g}.png")
              for t in (t0 - 1, t0 + DELAY / 4, t0 + 3 * DELAY / 4, t0 + DELAY + 0.5)}
    early, late = images[t0 + DELAY / 4], images[t0 + 3 * DELAY / 4]
    quarter = [_brightness(im, scene, root, path[1]) for im in (early, late)]
    three_quarters = [_brightness(im, scene, root, path[3]) for im in (early, late)]
    assert quarter[0] > 1.5 * quarter[1]  # the pulse is near the soma first ...
    assert three_quarters[1] > 1.5 * three_quarters[0]  # ... and near the synapse later
    before = _brightness(images[t0 - 1], scene, root, path[2])
    assert before < 0.7 * max(quarter[0], three_quarters[1])  # rest is dimmer than a pulse
    synapse = [_brightness(images[t], scene, root, end[0], radius=1)
               for t in (t0 + DELAY / 4, t0 + DELAY + 0.5)]
    assert synapse[1] > 1.5 * synapse[0]  # the synapse flashes on arrival


def test_saved_network_renders_identically_in_a_fresh_process(artifact_dir, tmp_path):
    sim = tmp_path / "net.pkl"
    save_document(toy_network(), sim)
    scene, root = _scene(str(sim))
    frame = _frame(SPIKE_TIMES[1] + 1.0)  # cell 1 lit, pulse 1 -> 2 on its way
    original = render_pixels(scene, frame, artifact_dir / "original.png")
    assert_saved_scene_renders_the_same(scene, frame, original, sim, artifact_dir, tmp_path, 1)


def test_render_job_takes_a_level_of_detail(tmp_path):
    from neuroblend.blender.jobs import render_spike
    from neuroblend.cli.render import job_options

    sim, blend = tmp_path / "net.pkl", tmp_path / "net.blend"
    save_document(toy_network(), sim)
    written = render_spike.run(job_options("spike", [
        str(sim), "--out", str(tmp_path), "--save-blend", str(blend), "--no-render", "--lod",
        "simplified"]))
    assert written == [blend] and blend.is_file()
    root = bpy.data.objects["NB Spike net"]
    assert root["nb_level_of_detail"] == "simplified"
    assert len([o for o in root.children if o.get("nb_network")]) == 2
    with pytest.raises(SystemExit):
        job_options("spike", [str(sim), "--out", str(tmp_path), "--lod", "tiny"])
