"""Typography: the bundled face and its licence, font files checked as data (garbage refused
with one line), title styles sized by the frame height, and overlay x-heights from the font's
own metrics."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from cli_runner import assert_clean_refusal, run_cli

from neuroblend.errors import NeuroBlendError
from neuroblend.film import load_storyboard
from neuroblend.film.layout import title_pixels
from neuroblend.typography.font_file import DEFAULT_FONT, FONT_LICENSE, read_metrics
from neuroblend.typography.sizes import (
    MIN_X_HEIGHT,
    OVERLAY_X_HEIGHT,
    TITLE_STYLES,
    overlay_em,
    text_extent,
    x_height,
)

REPO = Path(__file__).resolve().parents[2]


def test_the_bundled_face_ships_with_its_licence_in_the_package_data():
    assert DEFAULT_FONT.is_file() and FONT_LICENSE.is_file()
    assert "Bitstream Vera" in FONT_LICENSE.read_text()
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    globs = data["tool"]["setuptools"]["package-data"]["neuroblend"]
    assert "data/fonts/*" in globs


def test_the_face_is_proportional_with_tabular_digits():
    metrics = read_metrics(DEFAULT_FONT)
    assert metrics.kind == "TrueType" and metrics.units_per_em == 2048
    digits = {metrics.advance(d) for d in "0123456789"}
    assert len(digits) == 1  # tabular figures: the clock does not jitter
    widths = {c: metrics.advance(c) for c in "iamW "}
    assert widths["W"] > 3 * widths["i"]  # not a monospace face
    assert len(set(widths.values())) == len(widths)
    assert metrics.x_height == pytest.approx(1120 / 2048, abs=0.01)  # DejaVu Sans: 1120 units
    assert metrics.cap_height == pytest.approx(1493 / 2048, abs=0.01)


def test_every_overlay_and_title_x_height_meets_the_target():
    for kind, fraction in OVERLAY_X_HEIGHT.items():
        assert fraction >= MIN_X_HEIGHT, kind
    for name, style in TITLE_STYLES.items():
        assert x_height(style.em) >= MIN_X_HEIGHT, name


@pytest.mark.parametrize("height", [540, 1080, 2160])
def test_title_sizes_are_fractions_of_the_frame_height(height):
    styled = {"font_size": None, "em": TITLE_STYLES["lower_third"].em}
    assert title_pixels(styled, height, 1080) == pytest.approx(0.045 * height)
    sized = {"font_size": 54.0, "em": 0.075}  # pixels at the video's own size, scaled
    assert title_pixels(sized, height, 1080) == pytest.approx(54.0 * height / 1080)


def _board(tmp_path, body: str, top: str = ""):
    path = tmp_path / "board.toml"
    path.write_text(top + '[video]\nsize = [960, 540]\n' + body)
    return path


def test_a_storyboard_title_takes_its_styles_defaults(tmp_path):
    board = load_storyboard(_board(tmp_path, '[[timeline]]\ntitle = "Hello"\n'
                                   'style = "lower_third"\n'))
    title = board.items[0]
    assert title.spec["em"] == 0.045 and title.spec["box"] is True
    assert title.spec["anchor"] == "bottom-left" and title.position == (0.06, 0.12)
    assert title.spec["font_size"] is None
    with pytest.raises(NeuroBlendError, match="style.*not one of: title, subtitle"):
        load_storyboard(_board(tmp_path, '[[timeline]]\ntitle = "x"\nstyle = "huge"\n'))


def test_a_storyboard_font_is_checked_before_anything_renders(tmp_path):
    font = tmp_path / "face.ttf"
    font.write_bytes(DEFAULT_FONT.read_bytes())
    board = load_storyboard(_board(tmp_path, '[[timeline]]\ntitle = "x"\n', 'font = "face.ttf"\n'))
    assert board.font == font.resolve()
    (tmp_path / "bad.ttf").write_text("print('never run')\n")
    with pytest.raises(NeuroBlendError, match=r"board.toml:\d+: font: not a font"):
        load_storyboard(_board(tmp_path, '[[timeline]]\ntitle = "x"\n', 'font = "bad.ttf"\n'))


def _garbage(tmp_path) -> dict[str, tuple[Path, str]]:
    real = DEFAULT_FONT.read_bytes()
    cases = {
        "text": (b"import os; os.system('echo pwned')\n", "not a font"),
        "empty": (b"", "not a font"),
        "short": (real[:10], "too short"),
        "truncated": (real[:4000], "runs past the end"),
        "collection": (b"ttcf" + real[4:], "TrueType collection"),
        "no tables": (real[:4] + b"\x00\x00" + real[6:], "table directory"),
        "bad head": (real.replace(b"\x5f\x0f\x3c\xf5", b"\x00\x00\x00\x00", 1), "'head'"),
    }
    out = {}
    for name, (data, needle) in cases.items():
        path = tmp_path / f"{name.replace(' ', '_')}.ttf"
        path.write_bytes(data)
        out[name] = (path, needle)
    return out


def test_garbage_fonts_are_refused_in_one_line(tmp_path):
    for name, (path, needle) in _garbage(tmp_path).items():
        with pytest.raises(NeuroBlendError, match=needle) as caught:
            read_metrics(path)
        assert "\n" not in str(caught.value), name
    huge = tmp_path / "huge.ttf"
    with open(huge, "wb") as f:
        f.truncate(65 << 20)  # sparse: over the 64 MiB bound, nothing read
    with pytest.raises(NeuroBlendError, match="too large for a font"):
        read_metrics(huge)
    fifo = tmp_path / "pipe.ttf"
    os.mkfifo(fifo)
    with pytest.raises(NeuroBlendError, match="regular file"):
        read_metrics(fifo)


@pytest.mark.parametrize("command", [
    ["render", "spike", "SIM", "--out", "o", "--font", "FONT"],
    ["colorbar", "viridis", "--out", "c.png", "--font", "FONT"],
    ["clip", "trace", "SIM", "--out", "o", "--font", "FONT"],
])
def test_every_cli_refuses_a_garbage_font_in_one_line(tmp_path, command):
    from hostile_payloads import small_simulation

    from neuroblend.files.fileformat import save_document

    save_document(small_simulation(), tmp_path / "sim.pkl")
    (tmp_path / "font.ttf").write_text("<?php system('id'); ?>")
    args = [{"SIM": "sim.pkl", "FONT": "font.ttf"}.get(a, a) for a in command]
    assert_clean_refusal(run_cli(args, tmp_path, timeout=60), "font.ttf", "not a font")


def test_film_refuses_a_garbage_font_in_one_line(tmp_path):
    board = _board(tmp_path, '[[timeline]]\ntitle = "x"\n')
    (tmp_path / "font.otf").write_bytes(b"OTTO" + b"\xff" * 8)
    run = run_cli(["film", board, "--check", "--font", "font.otf"], tmp_path, timeout=60)
    assert_clean_refusal(run, "font.otf", "table directory")


def test_text_extents_for_the_layout():
    em = TITLE_STYLES["caption"].em
    width, height = text_extent("12.5 ms", em)
    metrics = read_metrics(DEFAULT_FONT)
    assert width == pytest.approx(em * sum(metrics.advance(c) for c in "12.5 ms"))
    assert height == pytest.approx(em * metrics.cap_height)
    assert overlay_em("clock") * metrics.x_height == pytest.approx(OVERLAY_X_HEIGHT["clock"])
