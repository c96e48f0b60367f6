"""The console of a render: one progress line per frame rendered (frames, s/frame, time left),
none of Blender's per-frame log lines ("Fra:", "Saved:", "Video append frame") unless
``--verbose``; counted on small CLI renders and a small film."""

from __future__ import annotations

import pytest
from cli_runner import run_cli
from spike_docs import toy_document

from neuroblend.files.fileformat import save_document

pytestmark = pytest.mark.render
NOISE = ("Fra:", "Saved:", "Video append frame", "CUEW", "HIPEW")


def _render(tmp_path, *extra):
    save_document(toy_document(), tmp_path / "sim.pkl")
    run = run_cli(["render", "spike", "sim.pkl", "--out", "frames", "--frames", "1-3",
                   "--resolution", "64x36", "--samples", "1", "--video", "clip.mp4", *extra],
                  tmp_path, timeout=300, address_space=None)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.splitlines()


def test_a_render_prints_one_progress_line_per_frame_and_no_blender_log(tmp_path):
    lines = _render(tmp_path)
    assert not [ln for ln in lines if any(n in ln for n in NOISE)], lines
    frames = [ln for ln in lines if "frames done" in ln and "video" not in ln]
    video = [ln for ln in lines if "video frames done" in ln]
    assert len(frames) == 3 and not video, lines  # the video is encoded from those frames
    assert all("s/frame" in ln and "left" in ln for ln in frames)
    assert len(lines) <= 6 + 8, lines  # the progress, the files written, a few set-up lines


def test_verbose_shows_blenders_own_lines(tmp_path):
    lines = _render(tmp_path, "--verbose")
    assert sum("Saved:" in ln for ln in lines) == 3, lines  # the PNGs: the MP4 is encoded from them


def test_a_film_prints_progress_without_blender_log(tmp_path):
    save_document(toy_document(), tmp_path / "sim.pkl")
    (tmp_path / "board.toml").write_text(
        '[video]\nsize = [64, 36]\nfps = 30\nsamples = 1\n'
        '[[timeline]]\nname = "cell"\nshot = "spike"\ndata = "sim.pkl"\nduration = 0.1\n'
        '[[timeline]]\ntitle = "Hi"\nstyle = "caption"\nduration = 0.1\n')
    run = run_cli(["film", "board.toml", "--out", "film.mp4"], tmp_path, timeout=300,
                  address_space=None)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert not [ln for ln in lines if any(n in ln for n in NOISE)], lines
    shot = [ln for ln in lines if ln.startswith("[items") and "cell: frame" in ln]
    assert len(shot) == 3 and all("s/frame" in ln for ln in shot), lines
