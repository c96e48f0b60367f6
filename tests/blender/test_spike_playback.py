"""Baked spike playback: what a rendered frame shows at rest, at the spike, past the end, for NaN;
and a saved .blend rendering identically in a fresh process with no add-on and no data file."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector
from render_check import assert_saved_scene_renders_the_same, render_pixels
from spike_docs import PEAK, REST, SPIKE_SAMPLE, toy_document

from neuroblend.blender.core import studio
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.colormaps import luts as colormaps
from neuroblend.errors import NeuroBlendError
from neuroblend.files.fileformat import save_document
from neuroblend.spike.playback_settings import SpikeLook

SIZE = (96, 54)
# frames_per_ms 2 and 0.5 ms samples: frame 1 + k shows sample k
REST_FRAME, SPIKE_FRAME, LAST_FRAME = 1, 1 + SPIKE_SAMPLE, 21


def _scene(doc, **settings):
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=SIZE, samples=4,
                                      denoise=False, bloom=False)
    root = spike_playback.import_simulation(
        doc, scene=scene, name="toy",
        settings=SpikeLook(vmin=REST, vmax=PEAK, frames_per_ms=2.0, **settings))
    spike_playback.fit_timeline(root, scene)
    spike_playback.frame_simulation(root, scene, view=(0.0, -1.0, 0.0))
    return scene, root


def _pixel(scene, root, um) -> tuple[int, int]:
    """Image (row, column) of a point given in the morphology's um."""
    world = root.matrix_world @ (Vector(um) * 0.01)
    x, y, _ = world_to_camera_view(scene, scene.camera, world)
    return int((1 - y) * SIZE[1]), int(x * SIZE[0])


def test_soma_lights_up_at_the_spike_and_the_rest_stays(artifact_dir):
    scene, root = _scene(toy_document())
    rest = render_pixels(scene, REST_FRAME, artifact_dir / "rest.png")
    spike = render_pixels(scene, SPIKE_FRAME, artifact_dir / "spike.png")
    soma = _pixel(scene, root, (0, 0, 0))
    dend = _pixel(scene, root, (35, 0, 0))  # middle dendrite compartment: rest in both frames
    r0, r1 = rest[soma], spike[soma]
    assert r1.sum() > r0.sum() + 200, (r0, r1)  # much brighter
    assert r0[2] > r0[0] and r1[0] > r1[2], (r0, r1)  # blue-ish at rest, red/yellow at the peak
    assert np.array_equal(rest[dend], spike[dend])
    assert rest[dend].sum() > 30  # the resting dendrite is visible, not black


def test_frames_outside_the_recording_hold_first_and_last_values(artifact_dir):
    scene, root = _scene(toy_document())
    last = render_pixels(scene, LAST_FRAME, artifact_dir / "last.png")
    late = render_pixels(scene, LAST_FRAME + 50, artifact_dir / "late.png")
    early = render_pixels(scene, -20, artifact_dir / "early.png")
    first = render_pixels(scene, 1, artifact_dir / "first.png")
    assert np.array_equal(last, late)
    assert np.array_equal(first, early)
    tip = _pixel(scene, root, (45, 0, 0))  # distal dendrite: 10 mV in the last sample only
    assert last[tip].sum() > first[tip].sum() + 100


def test_nan_values_show_the_nan_colour(artifact_dir):
    scene, root = _scene(toy_document())
    image = render_pixels(scene, LAST_FRAME, artifact_dir / "nan.png")
    branch = _pixel(scene, root, (6, 51, 0))
    nan = colormaps.to_8bit(colormaps.nan_color("plasma", space="srgb"))[:3].astype(int)
    got = image[branch]
    assert np.abs(got / max(got.max(), 1) - nan / max(nan.max(), 1)).max() < 0.25, (got, nan)


def test_settings_change_after_import_without_reimport(artifact_dir):
    scene, root = _scene(toy_document())
    before = render_pixels(scene, REST_FRAME, artifact_dir / "before.png")
    root["nb_value_min"] = -200.0  # rest is now mid-range: a different colour
    spike_playback.set_colormap(root, "viridis")
    after = render_pixels(scene, REST_FRAME, artifact_dir / "after.png")
    soma = _pixel(scene, root, (0, 0, 0))
    assert not np.array_equal(before[soma], after[soma])
    assert after[soma][1] > after[soma][2]  # viridis at 0.74 is green-yellow
    assert spike_playback.fit_timeline(root, scene) == (1, 21)
    root["nb_frames_per_ms"] = 4.0
    assert spike_playback.fit_timeline(root, scene) == (1, 41)


def test_not_a_simulation_file_is_explained(tmp_path):
    path = tmp_path / "other.pkl"
    from neuroblend.files.safe_pickle import save_pickle

    save_pickle({"hello": 1}, path)
    with pytest.raises(NeuroBlendError, match="not a NeuroBlend file"):
        spike_playback.import_simulation(path)
    with pytest.raises(NeuroBlendError, match="no such file"):
        spike_playback.import_simulation(tmp_path / "missing.pkl")


def test_saved_blend_renders_identically_in_a_fresh_process(artifact_dir, tmp_path):
    sim = tmp_path / "toy.pkl"
    save_document(toy_document(), sim)
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=SIZE, samples=4,
                                      denoise=False)
    root = spike_playback.import_simulation(
        sim, scene=scene, time_label=True, colorbar=True,
        settings=SpikeLook(frames_per_ms=2.0))
    spike_playback.fit_timeline(root, scene)
    spike_playback.frame_simulation(root, scene)
    frame = SPIKE_FRAME + 1
    original = render_pixels(scene, frame, artifact_dir / "original.png")
    # saved at another frame: the fresh process must follow the frame
    assert_saved_scene_renders_the_same(scene, frame, original, sim, artifact_dir, tmp_path,
                                        REST_FRAME)


def test_render_job_builds_and_saves_a_turntable_scene(tmp_path):
    from neuroblend.blender.jobs import render_spike
    from neuroblend.cli.render import job_options

    sim, blend = tmp_path / "toy.pkl", tmp_path / "toy.blend"
    save_document(toy_document(), sim)
    written = render_spike.run(job_options("spike", [
        str(sim), "--out", str(tmp_path), "--save-blend", str(blend), "--no-render",
        "--turntable", "--frames", "1-30", "--colormap", "viridis", "--time-window", "1", "8"]))
    assert written == [blend] and blend.is_file()
    scene = bpy.context.scene
    root = bpy.data.objects["NB Spike toy"]
    assert (scene.frame_start, scene.frame_end) == (1, 30)
    assert root["nb_time_start"] == 1.0 and root["nb_colormap"] == "viridis"
    assert scene.camera.parent is not None  # on the turntable pivot
    with pytest.raises(SystemExit):
        job_options("spike", [str(sim), "--out", str(tmp_path), "--frames", "x"])


def test_reverse_and_unknown_colormap(artifact_dir):
    scene, root = _scene(toy_document())
    soma = _pixel(scene, root, (0, 0, 0))
    normal = render_pixels(scene, REST_FRAME, artifact_dir / "normal.png")[soma]
    root["nb_reverse"] = True
    reversed_ = render_pixels(scene, REST_FRAME, artifact_dir / "reversed.png")[soma]
    assert normal[2] > normal[0] and reversed_[0] > reversed_[2]  # plasma's blue end -> yellow
    with pytest.raises(NeuroBlendError, match="colormap"):
        spike_playback.import_simulation(toy_document(), settings=SpikeLook(colormap="nope"))
    assert len([o for o in bpy.data.objects if o.get("nb_spike")]) == 1  # nothing half-built


def test_values_interpolate_between_samples(artifact_dir):
    scene, root = _scene(toy_document())
    root["nb_frames_per_ms"] = 4.0  # two frames per sample: frame 22 is halfway 5.0 -> 5.5 ms
    root["nb_glow"] = 0.0  # plain colormap colours; plasma's green rises along the map
    soma = _pixel(scene, root, (0, 0, 0))
    at_peak = render_pixels(scene, 21, artifact_dir / "peak.png")[soma][1]  # 30 mV
    halfway = render_pixels(scene, 22, artifact_dir / "half.png")[soma][1]  # 15 mV
    after = render_pixels(scene, 23, artifact_dir / "after.png")[soma][1]  # 0 mV
    assert at_peak > halfway + 20 and halfway > after + 20, (at_peak, halfway, after)
