"""What Blender writes while it renders is hidden (its C code's stdout), our own prints are not;
Blender's log lines are recognised in a ``blender -b`` child's output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from neuroblend.console import VERBOSE_ENV, is_blender_noise

BRIDGE = Path(__file__).resolve().parents[2] / "bridge"
CHILD = """
import ctypes, os
from neuroblend.console import blender_output_hidden
print("before", flush=True)
with blender_output_hidden():
    os.write(1, b"Fra:1 written by C\\n")
    ctypes.CDLL(None).printf(b"buffered by C stdio\\n")
    print("progress line")
print("after", flush=True)
"""


@pytest.mark.parametrize("verbose", [False, True])
def test_c_level_output_is_hidden_and_python_prints_are_kept(verbose):
    env = {"PYTHONPATH": str(BRIDGE), **({VERBOSE_ENV: "1"} if verbose else {})}
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         env=env, timeout=60).stdout.splitlines()
    if verbose:
        assert set(out) == {"before", "Fra:1 written by C", "buffered by C stdio",
                            "progress line", "after"}
    else:
        assert out == ["before", "progress line", "after"]


@pytest.mark.parametrize(("line", "noise"), [
    ("00:01.215  render           | Saved: '/tmp/x/.frame_0001.png'", True),
    ("Fra:12 Mem:28.31M (Peak 28.31M) | Time:00:00.05 | Rendering 1 / 4 samples", True),
    ("00:01.566  render           | Video append frame 1", True),
    ("Blender 4.2.23 (hash 1e7f3e2d8c2a built 2025-01-01)", True),
    ("Blender quit", True),
    ("[2/4] frames done, 0.06 s/frame, 0s left  frame 2", False),
    ("film: rendering shot neuron (45 frames)", False),
    ("render_spike: error: something went wrong", False),
])
def test_blender_noise_is_recognised(line, noise):
    assert is_blender_noise(line) is noise


def test_a_blender_child_is_filtered(capfd):
    from neuroblend.blender_runner import _call_filtered

    child = ("print('Blender 4.2.23 (hash abc built 2025-01-01)'); print('Fra:1 Mem:1M'); "
             "print('00:01.5  render  | Saved: \\'x.png\\''); print('[1/1] frames done, 1 s/frame'); "
             "print('Blender quit'); raise SystemExit(3)")
    assert _call_filtered([sys.executable, "-c", child]) == 3
    assert capfd.readouterr().out.splitlines() == ["[1/1] frames done, 1 s/frame"]
