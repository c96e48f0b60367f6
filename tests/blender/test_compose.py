"""`neuroblend compose`: screen/add/alpha-over blending, retiming, placement, MP4 layers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from neuroblend.cli import main as cli_main
from neuroblend.clips.layers import parse_layer, remap_frames
from neuroblend.clips.writer import FrameWriter
from neuroblend.errors import NeuroBlendError

W, H = 64, 36
REPO = Path(__file__).resolve().parents[2]


def compose(argv: list[str]) -> int:
    return cli_main(["compose", *argv])


def write_sequence(folder: Path, frames: list[np.ndarray]) -> Path:
    folder.mkdir(parents=True)
    for i, frame in enumerate(frames, start=1):
        Image.fromarray(frame).save(folder / f"frame_{i:04d}.png")
    return folder


def render_like(seed: int = 0) -> np.ndarray:
    """A colourful 'render': gradients and noise across all 8-bit values."""
    y, x = np.mgrid[0:H, 0:W]
    rng = np.random.default_rng(seed)
    img = np.stack([x * 255 // (W - 1), y * 255 // (H - 1), rng.integers(0, 256, (H, W))], -1)
    return img.astype(np.uint8)


def numbered(n: int) -> list[np.ndarray]:
    """Frames whose grey level encodes their index: 20 + 10 * i."""
    return [np.full((H, W, 3), 20 + 10 * i, np.uint8) for i in range(n)]


def frame_index(path: Path) -> int:
    value = int(np.asarray(Image.open(path))[H // 2, W // 2, 0])
    return -1 if value < 10 else round((value - 20) / 10)


def read(folder: Path, frame: int) -> np.ndarray:
    return np.asarray(Image.open(folder / f"frame_{frame:04d}.png")).astype(int)


def test_screen_with_black_leaves_the_render_unchanged(tmp_path):
    base = write_sequence(tmp_path / "render", [render_like(0)] * 2)
    black = write_sequence(tmp_path / "black", [np.zeros((H, W, 3), np.uint8)] * 2)
    assert compose([str(base), str(black), "--out", str(tmp_path / "out")]) == 0
    for frame in (1, 2):
        assert np.abs(read(tmp_path / "out", frame) - render_like(0)).max() <= 1


def test_screen_combines_two_layers_as_one_minus_product(tmp_path):
    a, b = render_like(1), render_like(2)[::-1, ::-1]
    write_sequence(tmp_path / "a", [a])
    write_sequence(tmp_path / "b", [b])
    assert compose([str(tmp_path / "a"), f"{tmp_path / 'b'}:blend=screen",
                    "--out", str(tmp_path / "out")]) == 0
    expected = 255 * (1 - (1 - a / 255) * (1 - b / 255))
    assert np.abs(read(tmp_path / "out", 1) - expected).max() <= 2


def test_add_and_alpha_over_and_opacity(tmp_path):
    a = np.full((H, W, 3), 100, np.uint8)
    b = np.full((H, W, 3), 80, np.uint8)
    write_sequence(tmp_path / "a", [a])
    write_sequence(tmp_path / "b", [b])
    for blend, expected in (("add", 180), ("alpha-over", 80)):
        out = tmp_path / blend
        assert compose([str(tmp_path / "a"), f"{tmp_path / 'b'}:blend={blend}",
                        "--out", str(out)]) == 0
        assert np.abs(read(out, 1) - expected).max() <= 2
    out = tmp_path / "half"
    assert compose([str(tmp_path / "a"), f"{tmp_path / 'b'}:blend=over,opacity=0.5",
                    "--out", str(out)]) == 0
    assert np.abs(read(out, 1) - 90).max() <= 2


def test_retiming_start_and_slow_motion(tmp_path):
    write_sequence(tmp_path / "ten", numbered(10))
    assert compose([f"{tmp_path / 'ten'}:start=3,speed=0.5", "--out", str(tmp_path / "out"),
                    "--fps", "30"]) == 0
    shown = [frame_index(p) for p in sorted((tmp_path / "out").iterdir())]
    assert shown == [-1, -1] + remap_frames(10, 0.5)
    assert remap_frames(10, 0.5) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9]


def test_slowing_a_high_rate_clip_uses_every_frame_once(tmp_path):
    """A 120 fps clip at speed 0.25 in a 30 fps output: no repeated and no skipped frames."""
    write_sequence(tmp_path / "fast", numbered(12))
    assert compose([f"{tmp_path / 'fast'}:fps=120,speed=0.25", "--out", str(tmp_path / "slow"),
                    "--fps", "30"]) == 0
    assert [frame_index(p) for p in sorted((tmp_path / "slow").iterdir())] == list(range(12))
    assert compose([f"{tmp_path / 'fast'}:fps=120", "--out", str(tmp_path / "real"),
                    "--fps", "30"]) == 0  # real time: every 4th frame
    assert [frame_index(p) for p in sorted((tmp_path / "real").iterdir())] == [0, 4, 8]


def test_position_and_scale(tmp_path):
    white = np.full((H, W, 3), 255, np.uint8)
    write_sequence(tmp_path / "bg", [np.zeros((H, W, 3), np.uint8)])
    write_sequence(tmp_path / "w", [white])
    assert compose([str(tmp_path / "bg"), f"{tmp_path / 'w'}:scale=0.5,x=16,y=9",
                    "--out", str(tmp_path / "out")]) == 0
    lit = read(tmp_path / "out", 1)[..., 0] > 128
    rows, cols = np.nonzero(lit)
    # a 32x18 white box centred 16 px right of and 9 px above the centre (+y up)
    assert (cols.min(), cols.max()) == (32, 63)
    assert (rows.min(), rows.max()) == (0, 17)


def test_mp4_layers_and_mismatched_sizes(tmp_path):
    """A clip MP4 (movie strip at speed 1, decoded frames when slowed) over a smaller render."""
    with FrameWriter(tmp_path / "clip.mp4", (128, 72), 30, progress=False) as writer:
        for frame in numbered(6):
            writer.write(np.asarray(Image.fromarray(frame).resize((128, 72))))
    write_sequence(tmp_path / "render", [np.zeros((H, W, 3), np.uint8)] * 3)
    out = tmp_path / "final.mp4"
    assert compose([str(tmp_path / "render"), str(tmp_path / "clip.mp4"), "--out", str(out)]) == 0
    import imageio_ffmpeg

    assert imageio_ffmpeg.count_frames_and_secs(str(out))[0] == 6
    assert compose([str(tmp_path / "render"), f"{tmp_path / 'clip.mp4'}:speed=0.5",
                    "--out", str(tmp_path / "slow")]) == 0
    shown = [frame_index(p) for p in sorted((tmp_path / "slow").iterdir())]
    assert shown == remap_frames(6, 0.5)


def test_bad_layers_are_refused_clearly(tmp_path):
    write_sequence(tmp_path / "a", numbered(1))
    with pytest.raises(NeuroBlendError, match="does not exist"):
        parse_layer(str(tmp_path / "nope.mp4"))
    with pytest.raises(NeuroBlendError, match="unknown option 'sped'"):
        parse_layer(f"{tmp_path / 'a'}:sped=2")
    with pytest.raises(NeuroBlendError, match="blend 'multiply' is not one of"):
        parse_layer(f"{tmp_path / 'a'}:blend=multiply")
    with pytest.raises(NeuroBlendError, match="speed=0: expected a number above 0"):
        parse_layer(f"{tmp_path / 'a'}:speed=0")
    (tmp_path / "empty").mkdir()
    with pytest.raises(NeuroBlendError, match="no PNG frames"):
        parse_layer(str(tmp_path / "empty"))
    layer = parse_layer(f"{tmp_path / 'a'}:blend=add,start=4,speed=0.5,x=-10,y=3,scale=2")
    assert (layer.blend, layer.start, layer.speed, layer.x, layer.y, layer.scale) == (
        "add", 4, 0.5, -10.0, 3.0, 2.0)


def test_cli_and_script_shim_report_bad_input_in_one_line(tmp_path):
    from neuroblend.cli import main as cli_main

    assert cli_main(["compose", str(tmp_path / "missing.mp4"), "--out", str(tmp_path / "o.mp4")]) == 2
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "compose.py"), str(tmp_path / "missing.mp4"),
         "--out", str(tmp_path / "o.mp4")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "compose: error:" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "o.mp4").exists()


def test_still_image_spans_the_composition_and_fps_is_resampled(tmp_path, capsys):
    Image.fromarray(np.full((H, W, 3), 60, np.uint8)).save(tmp_path / "title.png")
    write_sequence(tmp_path / "ten", numbered(10))
    assert compose([str(tmp_path / "title.png"), f"{tmp_path / 'ten'}:fps=60,blend=add",
                    "--out", str(tmp_path / "out"), "--fps", "30"]) == 0
    frames = sorted((tmp_path / "out").iterdir())
    assert len(frames) == 5  # 10 frames at 60 fps last 5 frames at 30 fps
    values = [int(np.asarray(Image.open(f))[H // 2, W // 2, 0]) for f in frames]
    expected = [60 + 20 + 10 * i for i in (0, 2, 4, 6, 8)]  # still + every 2nd frame, added
    assert np.abs(np.array(values) - expected).max() <= 2
    assert "60 fps resampled to the 30 fps output" in capsys.readouterr().out
    assert compose([str(tmp_path / "title.png"), "--out", str(tmp_path / "final.gif")]) == 2
    assert "give a .mp4" in capsys.readouterr().err
