"""Film shots of every kind: the surface's clock moves its slicing plane, the atlas shot orbits,
unknown kinds are refused, and a voiceover is muxed into the MP4."""

from __future__ import annotations

import math
import subprocess
import sys
import wave
from pathlib import Path

import bpy
import numpy as np
import pytest
from render_check import assert_saved_shot_replays_its_clock

from neuroblend.atlas import atlas_export
from neuroblend.atlas import brainglobe as atlas
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.film.builders import build_shot
from neuroblend.blender.jobs import film_shot
from neuroblend.blender.surface import slicer
from neuroblend.errors import NeuroBlendError
from neuroblend.files.fileformat import save_document
from neuroblend.film import Film
from neuroblend.film.camera import keys_to_dicts, preset_keys
from neuroblend.video_encode import ffmpeg_exe

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import atlas_fixtures as fx  # noqa: E402


def job(kind: str, data=None, *, data_times=None, camera=(), times=(0.0,), look=None) -> dict:
    return {"type": "shot", "name": kind, "kind": kind, "data": data, "times": list(times),
            "data_times": data_times, "size": [64, 36], "samples": 2, "engine": "cycles",
            "look": look or {}, "options": {}, "camera": keys_to_dicts(list(camera)),
            "view": [0.0, -1.0, 0.35], "out": "unused"}


def test_a_surface_clock_moves_the_slicing_plane_frame_by_frame():
    times = [0.0, 0.5, 1.0]
    scene = film_shot.build(job("surface", data_times=[0.1, 0.5, 0.9], times=times,
                                camera=preset_keys("orbit", 1.0, turns=0.5)))
    surface = next(o for o in scene.objects if "nb_slice_axis" in o)
    plane = slicer.slicer_parts(surface)[0]
    xs, cams = [], []
    for frame in (1, 2, 3):
        scene.frame_set(frame)
        xs.append(plane.matrix_world.translation.x)
        cams.append(np.array(scene.camera.matrix_world.translation))
    lo, hi = world_bounds([surface], evaluated=True, what="surface")
    assert np.allclose(xs, [lo[0] + f * (hi[0] - lo[0]) for f in (0.1, 0.5, 0.9)], atol=1e-4)
    centre = (np.asarray(lo) + np.asarray(hi)) / 2
    a, b = cams[0][:2] - centre[:2], cams[2][:2] - centre[:2]
    angle = math.degrees(math.atan2(a[0] * b[1] - a[1] * b[0], a @ b))
    assert abs(abs(angle) - 180) < 1  # half a turn over the shot


@pytest.mark.slow  # building the synthetic atlas takes ~20 s
def test_an_atlas_shot_builds_and_frames_its_regions(tmp_path_factory):
    root, name = fx.synthetic_atlas(tmp_path_factory)
    doc, _ = atlas_export.export_regions(atlas.open_atlas(name, root), ["root", "HPF"], descendants=True)
    path = tmp_path_factory.mktemp("atlas_shot") / "regions.pkl"
    save_document(doc, path)
    targets = build_shot(job("atlas", str(path), look={"region_preset": "glow"}),
                         bpy.context.scene)
    regions = [o for o in bpy.context.scene.objects if o.get("neuroblend_acronym")]
    assert {o["neuroblend_acronym"] for o in regions} >= {"root", "HPF"}
    assert bpy.context.scene.camera is not None and len(targets["center"]) == 3


def test_unknown_kinds_are_refused_on_both_sides(tmp_path):
    with pytest.raises(NeuroBlendError, match=r"shot kind 'hologram' has no Blender builder "
                       r"\(kinds with one: atlas, graph, network, spike, surface, units\)"):
        build_shot(job("hologram"), bpy.context.scene)
    film = Film(base=tmp_path).shot("holo", "hologram", duration=1)
    with pytest.raises(NeuroBlendError, match="'hologram' is not one of: spike, surface, atlas, "
                       "network, graph"):
        film.storyboard()


def write_tone(path: Path, seconds: float = 1.0, rate: int = 22050) -> None:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


def test_a_voiceover_is_muxed_and_its_markers_anchor_titles(tmp_path):
    write_tone(tmp_path / "voice.wav")
    y, x = np.mgrid[-1:1:24j, -1:1:24j]
    np.save(tmp_path / "bump.npy", np.exp(-4 * (x ** 2 + y ** 2)))
    film = (Film(base=tmp_path, size=[64, 36], fps=10, samples=2)
            .audio("voice.wav", {"hello": 0.4})
            .shot("surf", "surface", data="bump.npy", duration=0.6, clock=[[0, 0.2], [0.6, 0.8]])
            .title("Hi", at="marker:hello", duration=0.2, font_size=12))
    report = film.build(tmp_path / "voiced.mp4")
    assert report.rendered == ["surf"]
    probe = subprocess.run([ffmpeg_exe(), "-i", str(tmp_path / "voiced.mp4")],
                           capture_output=True, text=True).stderr
    assert "Audio: aac" in probe and "Video: h264" in probe


def test_a_crossfade_blends_the_next_shot_in_over_its_duration(tmp_path):
    from film_helpers import decode
    from spike_docs import toy_document

    save_document(toy_document(), tmp_path / "toy.pkl")
    look = {"vmin": -75, "vmax": 30, "min_radius": 3, "time_label": False, "colorbar": False}
    film = (Film(base=tmp_path, size=[64, 36], fps=10, samples=2)
            .shot("dim", "spike", data="toy.pkl", duration=0.6, look={**look, "brightness": 0.2})
            .transition("crossfade", duration=0.3)
            .shot("bright", "spike", data="toy.pkl", duration=0.6,
                  look={**look, "brightness": 4.0}))
    film.build(tmp_path / "cross.mp4")
    level = decode(tmp_path / "cross.mp4").mean(axis=(1, 2, 3))
    assert len(level) == 9  # 0.6 + 0.6 - 0.3 s
    assert max(level[:3]) < level[3] < level[4] < level[5]  # frames 4-6: the bright shot fades in
    assert np.allclose(level[5:], level[5], rtol=0.05)  # then it is all there is


def test_a_saved_shot_renders_its_clock_in_a_fresh_blender_without_neuroblend(tmp_path):
    from spike_docs import toy_document

    save_document(toy_document(), tmp_path / "toy.pkl")
    shot = job("spike", str(tmp_path / "toy.pkl"), data_times=[0.0, 5.0, 2.0],
               times=[0.0, 0.1, 0.2], look={"time_label": False, "colorbar": False})
    assert_saved_shot_replays_its_clock(shot, tmp_path, frame=2, other=3)
