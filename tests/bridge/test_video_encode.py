"""The one MP4 encoder: the same frames give the same bytes, the frames come back, bad input is
one clear error and leaves nothing behind."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from neuroblend.errors import NeuroBlendError
from neuroblend.video_encode import encode_sequence, frame_rate


def _frames(folder, first=1, count=12, size=(96, 54)):
    folder.mkdir()
    ramp = np.linspace(0, 200, size[0], dtype=np.uint8)
    for number in range(first, first + count):
        picture = np.zeros((size[1], size[0], 3), np.uint8)
        picture[..., 1] = ramp
        x = 4 * (number - first)
        picture[10:30, x:x + 16] = (250, 250, 250)  # a square moving 4 px a frame
        Image.fromarray(picture).save(folder / f"frame_{number:04d}.png")
    return folder


def _decode(video, size=(96, 54)):
    import subprocess

    from neuroblend.video_encode import ffmpeg_exe

    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(video), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "pipe:1"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, size[1], size[0], 3)


def test_the_same_frames_encode_to_the_same_bytes(tmp_path):
    frames = _frames(tmp_path / "frames", first=7)
    a = encode_sequence(frames, 7, 12, tmp_path / "a.mp4", 24)
    b = encode_sequence(frames, 7, 12, tmp_path / "b.mp4", 24)
    assert a.read_bytes() == b.read_bytes()
    decoded = _decode(a)
    assert decoded.shape[0] == 12
    for index in (0, 5, 11):  # every frame, in order
        source = np.asarray(Image.open(frames / f"frame_{7 + index:04d}.png")).astype(int)
        assert np.abs(decoded[index].astype(int) - source).mean() < 4
    assert b"Lavf" not in a.read_bytes()  # no encoder version stamped in


def test_frame_rates_are_exact():
    assert frame_rate(30) == "30/1"
    assert frame_rate(30000 / 1001) == "30000/1001"
    assert frame_rate(12.5) == "25/2"


def test_missing_frames_and_bad_sound_are_one_clear_error(tmp_path):
    frames = _frames(tmp_path / "frames", count=3)
    with pytest.raises(NeuroBlendError, match="frame 4 is not in"):
        encode_sequence(frames, 1, 4, tmp_path / "v.mp4", 24)
    (tmp_path / "voice.wav").write_bytes(b"RIFF not really a wave file")
    with pytest.raises(NeuroBlendError, match="adding the sound .*voice.wav"):
        encode_sequence(frames, 1, 3, tmp_path / "v.mp4", 24, audio=tmp_path / "voice.wav")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frames", "voice.wav"]


def test_blender_without_imageio_ffmpeg_gets_the_callers_ffmpeg(monkeypatch, tmp_path):
    import sys

    import imageio_ffmpeg

    from neuroblend import blender_runner
    from neuroblend.video_encode import ffmpeg_exe

    env = blender_runner._blender_env()
    assert env["IMAGEIO_FFMPEG_EXE"] == imageio_ffmpeg.get_ffmpeg_exe()
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # as in Blender's own Python
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", env["IMAGEIO_FFMPEG_EXE"])
    assert ffmpeg_exe() == env["IMAGEIO_FFMPEG_EXE"]
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "absent"))
    with pytest.raises(NeuroBlendError, match="needs imageio-ffmpeg"):
        ffmpeg_exe()
