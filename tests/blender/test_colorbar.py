"""``neuroblend colorbar``: a colormap rendered through Blender, with optional tick labels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from neuroblend.blender.colormaps.colorbar import tick_labels
from neuroblend.cli import main
from neuroblend.colormaps import luts as cm

REPO = Path(__file__).resolve().parents[2]
mpl = pytest.importorskip("matplotlib")


def test_cli_renders_the_colormap(artifact_dir):
    out = artifact_dir / "bar.png"
    assert main(["colorbar", "twilight_shifted", "--out", str(out), "--size", "256x6",
                 "--samples", "1"]) == 0
    image = np.asarray(Image.open(out))
    assert image.shape == (6, 256, 3)
    expected = cm.to_8bit(mpl.colormaps["twilight_shifted"]((np.arange(256) + 0.5) / 256)[:, :3])
    assert np.abs(image[3].astype(int) - expected).max() <= 2
    assert not list(artifact_dir.glob(".*"))  # the atomic write left no temporary file


def test_ticks_draw_labels_below_the_bar(artifact_dir):
    out = artifact_dir / "ticks.png"
    assert main(["colorbar", "gray", "--out", str(out), "--size", "400x60", "--min", "-70",
                 "--max", "30", "--ticks", "6", "--mode", "ramp", "--samples", "4"]) == 0
    image = np.asarray(Image.open(out)).astype(int)
    bar, labels = image[:25], image[40:]
    assert bar[:, 40:360].std() > 50  # the gradient
    assert (labels.min(axis=2) > 200).sum() > 50  # white label text
    assert [label for _, label in tick_labels(-70, 30, 6)] == [
        "\u221270", "\u221250", "\u221230", "\u221210", "10", "30"]


@pytest.mark.parametrize("argv,message", [
    (["virdis"], "closest names: viridis"),
    (["viridis", "--min", "1", "--max", "1"], "--min 1.0: must be below --max (1.0)"),
    (["viridis", "--ticks", "1"], "--ticks 1"),
])
def test_bad_input_is_one_line(tmp_path, capsys, argv, message):
    assert main(["colorbar", *argv, "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_script_shim_runs_under_plain_python(tmp_path):
    out = tmp_path / "shim.png"
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "colorbar.py"), "magma",
                           "--out", str(out), "--size", "64x8", "--samples", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (64, 8)
