"""Typed job options crossing into `blender -b`, and jobs saying what they wrote."""

from __future__ import annotations

from pathlib import Path

from neuroblend import blender_runner
from neuroblend.clips.compose_options import ComposeOptions
from neuroblend.colormaps.colorbar_options import ColorbarOptions
from neuroblend.job_options import options_argv, options_from_argv, report_written


def test_options_survive_the_trip_as_one_json_argument():
    colorbar = ColorbarOptions("magma_r", Path("/tmp/bar.png"), mode="ramp", size=(300, 20),
                               vmin=-70.0, vmax=30.0, ticks=3, reverse=True)
    argv = options_argv(colorbar)
    assert len(argv) == 2 and argv[0] == "--options-json"
    assert options_from_argv(ColorbarOptions, argv) == colorbar
    compose = ComposeOptions(("a.mp4", "b:blend=add"), Path("out"), frames=(1, 30))
    assert options_from_argv(ComposeOptions, options_argv(compose)) == compose


def test_run_job_written_returns_what_the_job_reported(monkeypatch, tmp_path):
    wrote = [tmp_path / "frame_0001.png", tmp_path / "film.mp4"]

    def fake_job(job, argv):
        report_written(wrote)
        return 0

    monkeypatch.setattr(blender_runner, "run_job", fake_job)
    assert blender_runner.run_job_written("render_spike", []) == (0, wrote)
    monkeypatch.setattr(blender_runner, "run_job", lambda job, argv: 2)
    assert blender_runner.run_job_written("render_spike", []) == (2, [])
