"""``neuroblend demo``: simulate pyramid.nrn and render the MP4 + still (tiny settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("neuron")


@pytest.mark.slow
def test_demo_writes_video_still_and_blend(tmp_path, capsys):
    from neuroblend.cli import main

    assert main(["demo", "--out", str(tmp_path), "--resolution", "64x36", "--samples", "1"]) == 0
    printed = capsys.readouterr().out
    video = tmp_path / "pyramid_spike.mp4"
    assert video.is_file() and video.stat().st_size > 1000
    assert (tmp_path / "pyramid_spike.blend").is_file()
    assert list(tmp_path.glob("frame_*.png"))
    assert str(video) in printed
    (still,) = [line.split()[-1] for line in printed.splitlines() if line.strip().startswith("still:")]
    assert Path(still).parent == tmp_path and Path(still).is_file()  # the job said what it wrote
