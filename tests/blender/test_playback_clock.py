"""The playback clock: a frame change reaches the playback shader without touching any cell
object (so Cycles re-syncs no mesh, BVH or light tree), with the colours of the old frame driver,
in Cycles and EEVEE."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from render_check import render_pixels
from spike_docs import PEAK, REST, SPIKE_SAMPLE, toy_document, use_old_frame_driver

from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.spike.playback_settings import SpikeLook

SIZE = (96, 54)
SPIKE_FRAME = 1 + SPIKE_SAMPLE  # frames_per_ms 2 and 0.5 ms samples: frame 1 + k shows sample k


def _scene(engine: str = "cycles", n_cells: int = 1):
    scene = studio.setup_studio_scene(bpy.context.scene, engine=engine, resolution=SIZE,
                                      samples=4, denoise=False, bloom=False)
    root = spike_playback.import_simulation(
        toy_document(n_cells), scene=scene, name="toy",
        settings=SpikeLook(vmin=REST, vmax=PEAK, frames_per_ms=2.0))
    spike_playback.frame_simulation(root, scene, view=(0.0, -1.0, 0.0))
    return scene, root


def test_a_frame_change_updates_no_cell_object_or_material():
    scene, root = _scene(n_cells=2)
    cells = {obj.name for obj in spike_playback.cell_objects(root)}
    material = root["nb_material"]
    scene.frame_set(2)
    updated: list[set] = []

    def record(_scene, depsgraph):
        updated.append({update.id.name for update in depsgraph.updates})

    bpy.app.handlers.frame_change_post.append(record)
    try:
        for frame in (3, 4, SPIKE_FRAME):
            scene.frame_set(frame)
    finally:
        bpy.app.handlers.frame_change_post.remove(record)
    assert len(updated) == 3
    for names in updated:
        assert scene.name in names  # the clock: Cycles re-syncs the shaders reading it
        assert not names & cells, names
        assert material not in names, names
    assert scene[playback_clock.CLOCK_PROPERTY] == SPIKE_FRAME


def test_clock_is_one_python_free_driver_and_emission_is_not_a_light():
    scene, root = _scene()
    playback_clock.ensure_clock(scene)  # idempotent
    drivers = [c for c in scene.animation_data.drivers
               if c.data_path == f'["{playback_clock.CLOCK_PROPERTY}"]']
    assert len(drivers) == 1 and drivers[0].driver.expression == "frame"
    assert drivers[0].driver.is_simple_expression
    material = bpy.data.materials[root["nb_material"]]
    node = material.node_tree.nodes[playback_clock.FRAME_NODE]
    assert (node.attribute_type, node.attribute_name) == ("VIEW_LAYER", "nb_frame")
    assert material.cycles.emission_sampling == "NONE"
    assert material.animation_data is None or not any(
        "Frame" in c.data_path for c in material.animation_data.drivers)


def test_colours_equal_the_old_frame_driver_within_1_of_255(artifact_dir):
    scene, root = _scene()
    scene.render.use_persistent_data = True  # as videos render: one Cycles session, updated
    frames = (1, SPIKE_FRAME - 1, SPIKE_FRAME, SPIKE_FRAME + 3)
    new = [render_pixels(scene, f, artifact_dir / f"new_{f}.png") for f in frames]
    use_old_frame_driver(bpy.data.materials[root["nb_material"]])
    old = [render_pixels(scene, f, artifact_dir / f"old_{f}.png") for f in frames]
    for frame, a, b in zip(frames, new, old, strict=True):
        assert np.abs(a - b).max() <= 1, frame
    assert np.abs(new[0] - new[2]).max() > 100  # the spike shows: frames really differ


@pytest.mark.slow
def test_eevee_plays_the_clock(artifact_dir):
    scene, root = _scene(engine="eevee")
    assert scene.render.engine == compat.engine_id("eevee")
    rest = render_pixels(scene, 1, artifact_dir / "rest.png")
    spike = render_pixels(scene, SPIKE_FRAME, artifact_dir / "spike.png")
    scene.render.engine = "CYCLES"
    cycles_spike = render_pixels(scene, SPIKE_FRAME, artifact_dir / "cycles_spike.png")
    assert rest.sum() > 0
    changed = np.abs(spike - rest).max(axis=2) > 60
    assert changed.sum() >= 4  # the soma lights up in EEVEE too
    # where EEVEE shows the spike, its colour is Cycles' (both read the same clock)
    assert np.median(np.abs(spike[changed] - cycles_spike[changed])) <= 12
