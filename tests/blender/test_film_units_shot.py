"""A storyboard ``units`` shot: its clock shows each output frame's data time, so a unit flashes
on the output frame whose time is its spike."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import pytest

from neuroblend.blender.jobs import film_shot
from neuroblend.errors import NeuroBlendError
from neuroblend.files.fileformat import save_document
from neuroblend.film import load_storyboard

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import units_docs  # noqa: E402
from render_check import render_pixels  # noqa: E402


def job(data, data_times, look=None) -> dict:
    return {"type": "shot", "name": "units", "kind": "units", "data": str(data),
            "times": [0.1 * k for k in range(len(data_times))], "data_times": data_times,
            "size": [96, 64], "samples": 2, "engine": "cycles", "look": look or {},
            "options": {}, "camera": [], "view": [1.0, -1.4, 0.8], "out": "unused"}


def test_a_units_shot_flashes_a_unit_on_the_frame_showing_its_spike(tmp_path):
    doc = units_docs.units_doc([(0, 0, 0)], [[250.0]], (0.0, 1000.0))
    path = tmp_path / "units.pkl"
    save_document(doc, path)
    scene = film_shot.build(job(path, [100.0, 250.0, 600.0],
                                look={"glow": 8, "frames_per_ms": 0.1, "probes": False,
                                      "time_label": False}))
    root = next(o for o in bpy.data.objects if o.get("nb_units"))
    for frame, want in ((1, 100.0), (2, 250.0), (3, 600.0)):
        scene.frame_set(frame)
        shown = root["nb_time_start"] + (frame - root["nb_start_frame"]) / root["nb_frames_per_ms"]
        assert shown == pytest.approx(want)
    lit = [render_pixels(scene, f, tmp_path / f"f{f}.png").sum(axis=2).max() for f in (1, 2, 3)]
    assert lit[1] > 1.5 * max(lit[0], lit[2]), lit


def test_a_storyboard_units_shot_checks_its_look(tmp_path):
    doc = units_docs.units_doc([(0, 0, 0)], [[250.0]], (0.0, 1000.0))
    save_document(doc, tmp_path / "units.pkl")
    board = tmp_path / "film.toml"
    shot = '[video]\nsize = [96, 64]\n\n[[timeline]]\nname = "u"\nshot = "units"\n' \
        'data = "units.pkl"\nduration = 1\n'
    board.write_text(shot + 'look = { color_by = "probe", glow = 3 }\n')
    assert load_storyboard(board).items[0].kind == "units"
    board.write_text(shot + 'look = { color_by = "colour" }\n')
    with pytest.raises(NeuroBlendError, match="color_by"):
        load_storyboard(board)
