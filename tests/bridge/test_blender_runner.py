"""How `neuroblend render` finds Blender: bpy wheel, else a `blender` binary, else a clear error."""

from __future__ import annotations

import importlib.util
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from neuroblend import blender_runner
from neuroblend.blender.jobs import script_argv
from neuroblend.errors import NeuroBlendError
from neuroblend.job_options import options_argv
from neuroblend.render_options import StudioRenderOptions
from neuroblend.spike.render_options import SpikeRenderOptions


@pytest.fixture
def no_bpy(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "bpy" else real(name, *a))
    monkeypatch.delenv("NEUROBLEND_BLENDER", raising=False)


def test_no_blender_anywhere_is_a_clear_error(no_bpy, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NeuroBlendError, match=r"pip install 'neuroblend\[blender\]'.*NEUROBLEND_BLENDER"):
        blender_runner.run_job("render_studio", StudioRenderOptions(out=Path("x")))


def test_falls_back_to_blender_binary_with_args_after_dashdash(no_bpy, monkeypatch, tmp_path):
    record = tmp_path / "args.json"
    fake = tmp_path / "blender"
    fake.write_text(f"#!{sys.executable}\nimport json, sys\n"
                    f"json.dump(sys.argv[1:], open({str(record)!r}, 'w'))\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ["PATH"])
    options = SpikeRenderOptions(input=Path("sim.pkl"), out=Path("d"), frames=(1, 4))
    assert blender_runner.run_job("render_spike", options) == 0
    args = json.loads(record.read_text())
    assert args[:2] == ["-b", "--factory-startup"]
    assert args[args.index("--python-exit-code") + 1] == "1"
    assert "run_script('render_spike')" in args[args.index("--python-expr") + 1]
    assert args[args.index("--") + 1:] == options_argv(options)


def test_explicit_blender_path_must_exist(no_bpy, monkeypatch, tmp_path):
    monkeypatch.setenv("NEUROBLEND_BLENDER", str(tmp_path / "nope"))
    with pytest.raises(NeuroBlendError, match="NEUROBLEND_BLENDER=.*is not a file"):
        blender_runner.run_job("render_studio", StudioRenderOptions(out=Path("x")))


@pytest.mark.parametrize("argv, expected", [
    (["blender", "-b", "-P", "s.py", "--", "a", "--out", "b"], ["a", "--out", "b"]),
    (["scripts/render_spike.py", "sim.pkl"], ["sim.pkl"]),
    (["/opt/blender/blender", "-b", "-P", "s.py"], []),
])
def test_script_arguments(argv, expected):
    assert script_argv(argv) == expected
