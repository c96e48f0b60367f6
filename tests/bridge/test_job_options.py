"""Typed job options crossing into `blender -b`, and jobs saying what they wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_a_film_shots_look_gives_the_options_the_flags_give():
    from neuroblend.cli.render import job_options
    from neuroblend.spike.render_options import SpikeRenderOptions

    look = {"reverse": False, "colorbar": False, "time_label": True, "glow": 2, "vmin": -75}
    options = SpikeRenderOptions.with_look("sim.pkl", "x", look)
    assert not options.reverse and not options.colorbar and options.time_label
    assert isinstance(options.glow, float) and isinstance(options.vmin, float)
    flags = ["sim.pkl", "--out", "x", "--no-colorbar", "--glow", "2", "--vmin", "-75"]
    assert job_options("spike", flags) == options


def test_render_flags_become_typed_options_and_bad_flags_exit_2(capsys):
    from neuroblend.cli.render import job_options

    options = job_options("spike", ["sim.pkl", "--out", "d", "--turntable", "--frames", "1-30",
                                    "--time-window", "1", "8", "--resolution", "64x36"])
    assert options.camera_preset() == "orbit" and options.frames == (1, 30)
    assert options.time_window == (1.0, 8.0) and options.resolution == (64, 36)
    assert options_from_argv(type(options), options_argv(options)) == options
    with pytest.raises(SystemExit) as exit_:
        job_options("spike", ["sim.pkl", "--out", "d", "--lod", "tiny"])
    assert exit_.value.code == 2
    assert "argument --lod: invalid choice: 'tiny'" in capsys.readouterr().err
