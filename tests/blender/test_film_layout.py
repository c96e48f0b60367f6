"""One layout for the frame: in every frame of the example storyboard (preview size), no clip or
title covers a lit pixel of the shot under it, and the shot's own overlays (time label, colorbar,
scale bar) cover no part of the cell (projected geometry of the cell against their boxes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from neuroblend.film import layout, load_storyboard
from neuroblend.film.build import build_film

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "storyboard.toml"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example")
    board_file = folder / "storyboard.toml"
    shutil.copy(EXAMPLE, board_file)
    out = folder / "film.mp4"
    report = build_film(load_storyboard(board_file), out, preview=True)
    return {"folder": folder, "report": report, "board": load_storyboard(board_file),
            "cache": folder / ".film.film-cache" / "items"}


def _shot_frames(cache: Path, name: str) -> np.ndarray:
    folder = next(p for p in cache.glob(f"{name}-*") if p.is_dir()) / "frames"
    return np.stack([layout.lit_mask(np.asarray(Image.open(f).convert("RGB")))
                     for f in sorted(folder.glob("frame_*.png"))])


def test_no_clip_or_title_covers_a_lit_pixel_of_the_shot_in_any_frame(example):
    report, board = example["report"], example["board"]
    assert not report.layout.problems
    masks = _shot_frames(example["cache"], "neuron")  # the preview's own frames, not the pre-pass
    fps = 30 / board.video.preview_every
    from neuroblend.film.timeline import resolve

    spans = resolve(board)
    for item in board.items:
        if item.type not in ("clip", "title"):
            continue
        span = spans[item.name]
        frames = masks[int(round(span.start * fps)):int(round(span.end * fps))]
        lit = layout.lit_under(frames, report.layout.boxes[item.name])
        assert lit.sum() == 0, (item.name, np.flatnonzero(lit))
    # the storyboard asked for the trace at the lower right, where the dolly brings the cell
    asked = layout.clip_box((0.79, 0.3), 0.38)
    assert layout.lit_under(masks, asked).sum() > 0


def test_the_composed_video_shows_the_clip_where_it_was_placed(example):
    from film_helpers import decode

    frames = decode(example["folder"] / "film.mp4")
    box = example["report"].layout.boxes["trace"]
    h, w = frames.shape[1:3]
    rows = slice(round((1 - box.y1) * h) + 1, round((1 - box.y0) * h) - 1)
    cols = slice(round(box.x0 * w) + 1, round(box.x1 * w) - 1)
    assert frames[20][rows, cols].max() > 100  # the trace is drawn inside its box
