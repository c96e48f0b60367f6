"""`neuroblend film`: what the finished video shows, frame by frame, and what a re-run renders.

One tiny film (160x90, 10 fps, 1.5 s) of the toy cell: a clock reaching the soma's spike (5 ms) at
1.0 s, a dolly starting there, a trace clip screen-blended at the lower right on the same clock,
a title from 0.3 to 0.8 s and a fade to black over the last 0.4 s.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from film_helpers import decode
from PIL import Image
from spike_docs import toy_document

from neuroblend.blender_runner import run_job
from neuroblend.cli.render import job_options
from neuroblend.files.fileformat import save_document
from neuroblend.film import load_storyboard
from neuroblend.film.build import build_film

W, H = 160, 90
BOARD = """\
[video]
size = [160, 90]
fps = 10
samples = 4

[[timeline]]
name = "cell"
shot = "spike"
data = "toy.pkl"
look = { vmin = -75, vmax = 30, min_radius = 2, time_label = false, colorbar = false }
clock = [[0, 0], [0.5, 2.0], [1.0, 5.0, "in-out"], [1.5, 7.0]]
camera = { preset = "dolly", start = 1.0, end = 1.5, zoom = 0.6 }

[[timeline]]
name = "trace"
clip = "trace"
clock = "cell"
position = [0.8, 0.2]
scale = 0.4
options = { compartments = ["soma"], cmap = "CMAP" }

[[timeline]]
name = "title"
title = "Hi"
at = 0.3
duration = 0.5
font_size = 24
anchor = "top-left"
position = [0.03, 0.97]
fade_in = 0.2

[[timeline]]
transition = "fade-to-black"
duration = 0.4
"""


def write_board(folder: Path, cmap: str = "viridis") -> Path:
    path = folder / "board.toml"
    path.write_text(BOARD.replace("CMAP", cmap))
    return path


@pytest.fixture(scope="module")
def film(tmp_path_factory):
    folder = tmp_path_factory.mktemp("film")
    save_document(toy_document(), folder / "toy.pkl")
    out = folder / "film.mp4"
    started = time.perf_counter()
    report = build_film(load_storyboard(write_board(folder)), out)
    first = time.perf_counter() - started
    return {"folder": folder, "out": out, "report": report, "seconds": first,
            "frames": decode(out)}


def test_the_video_covers_the_timeline(film):
    assert film["frames"].shape == (15, H, W, 3)
    assert sorted(film["report"].rendered) == ["cell", "trace"] and film["report"].composed


def test_the_title_is_visible_exactly_within_its_window(film):
    corner = film["frames"][:, 2:26, 2:40].max(axis=(1, 2, 3))
    shown = [i + 1 for i, value in enumerate(corner) if value > 90]
    assert shown == [4, 5, 6, 7, 8], corner  # 0.3 s .. 0.8 s at 10 fps (frame 1 = 0 s)
    assert corner[3] < corner[5]  # fading in over its first 0.2 s


def test_the_clip_stands_where_the_layout_put_it_screen_blended(film):
    folder, frame = film["folder"], 10
    box = film["report"].layout.boxes["trace"]  # off the cell: see test_film_layout.py
    rows = slice(round((1 - box.y1) * H), round((1 - box.y0) * H))
    cols = slice(round(box.x0 * W), round(box.x1 * W))
    cache = folder / ".film.film-cache" / "items"
    shot = np.asarray(Image.open(next(cache.glob("cell-*")) / "frames" /
                                 f"frame_{frame:04d}.png").convert("RGB")).astype(float)
    clip = np.asarray(Image.open(next(cache.glob("trace-*")) / "frames" /
                                 f"frame_{frame:04d}.png").convert("RGB")).astype(float)
    assert clip.shape == (36, 64, 3)
    under = shot[rows, cols]
    if under.shape != clip.shape:  # the layout made it smaller: compare at the clip's size
        clip = np.asarray(Image.fromarray(clip.astype(np.uint8)).resize(
            under.shape[1::-1], Image.BILINEAR)).astype(float)
    screen = 255 - (255 - under) * (255 - clip) / 255
    got = film["frames"][frame - 1][rows, cols]
    assert clip.max() > 100 and under.max() < 80  # the clip shows, over no lit cell
    assert np.abs(got - screen).mean() < 6
    outside = film["frames"][frame - 1][:, :max(1, cols.start - 4)]
    assert np.abs(outside - shot[:, :max(1, cols.start - 4)]).mean() < 6


def direct_render(folder: Path, t_ms: float) -> np.ndarray:
    """``neuroblend render spike`` of the same look at data time ``t_ms``."""
    out = folder / f"direct_{t_ms:g}"
    argv = [str(folder / "toy.pkl"), "--out", str(out), "--time-window", str(t_ms),
            str(t_ms + 1), "--frames", "1", "--resolution", f"{W}x{H}", "--samples", "4",
            "--vmin", "-75", "--vmax", "30", "--min-radius", "2", "--no-time-label",
            "--no-colorbar"]
    assert run_job("render_spike", job_options("spike", argv)) == 0
    return np.asarray(Image.open(out / "frame_0001.png").convert("RGB")).astype(int)


def test_a_frame_shows_the_data_time_its_clock_gives(film):
    frame = film["frames"][10]  # frame 11: 1.0 s into the video -> 5.0 ms, the soma's peak
    box = film["report"].layout.boxes["trace"]  # beside the clip, on its wider side
    rows = (slice(None), slice(0, round(box.x0 * W)) if box.x0 > 1 - box.x1
            else slice(round(box.x1 * W), W))
    at_peak, at_rest = (direct_render(film["folder"], t)[rows] for t in (5.0, 2.0))
    moved = np.abs(at_peak - at_rest).max(axis=2) > 40  # the glowing soma
    assert moved.sum() > 20
    right = np.abs(frame[rows] - at_peak)[moved].mean()
    wrong = np.abs(frame[rows] - at_rest)[moved].mean()
    assert right < 12 and wrong > 4 * right, (right, wrong)
    assert np.abs(frame[rows] - at_peak).mean() < 2


def test_the_fade_reaches_black(film):
    peaks = film["frames"].max(axis=(1, 2, 3))
    assert peaks[10] > 120 and peaks[-1] <= 6
    assert peaks[11] > peaks[12] > peaks[13] > peaks[14]


def test_a_second_run_renders_nothing_and_a_changed_clip_only_itself(film):
    folder = film["folder"]
    started = time.perf_counter()
    again = build_film(load_storyboard(write_board(folder)), film["out"])
    second = time.perf_counter() - started
    assert again.rendered == [] and not again.composed
    assert second < 0.1 * film["seconds"], (second, film["seconds"])
    changed = build_film(load_storyboard(write_board(folder, cmap="magma")), film["out"])
    assert changed.rendered == ["trace"] and changed.cached == ["cell"] and changed.composed
