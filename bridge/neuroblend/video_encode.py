"""Every MP4 NeuroBlend writes is encoded here, through imageio-ffmpeg's bundled FFmpeg.

One encoder and one set of settings (H.264, yuv420p, CRF 18), run single-threaded and without
version or date metadata, so the same frames always give the same bytes: a film rendered on a
cluster is byte-identical to one rendered serially, and a render's ``--video`` to the MP4 of its
frames made by ``--workers``.
"""

from __future__ import annotations

import os
import subprocess
from fractions import Fraction
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import atomic_path

CRF = 18
PRESET = "medium"
EVEN_SIDES = "pad=ceil(iw/2)*2:ceil(ih/2)*2"  # H.264 4:2:0 needs even sides
# one thread and no version/date stamps: x264 with frame threads can vary between runs
REPRODUCIBLE = ["-threads", "1", "-filter_threads", "1", "-fflags", "+bitexact",
                "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1"]


def ffmpeg_exe() -> str:
    """The FFmpeg binary bundled with imageio-ffmpeg (no system FFmpeg needed); under a
    ``blender -b`` without imageio-ffmpeg, the one the calling ``neuroblend`` passed in
    ``$IMAGEIO_FFMPEG_EXE`` (:func:`neuroblend.blender_runner.run_job`)."""
    try:
        import imageio_ffmpeg
    except ImportError:
        given = os.environ.get("IMAGEIO_FFMPEG_EXE")
        if given and Path(given).is_file():
            return given
        raise NeuroBlendError(
            "writing MP4 video needs imageio-ffmpeg: pip install 'neuroblend[clips]' "
            "(or write PNG frames by giving a folder as --out)") from None
    return imageio_ffmpeg.get_ffmpeg_exe()


def h264_arguments(crf: int = CRF) -> list[str]:
    """FFmpeg output arguments of NeuroBlend's H.264 (after the inputs, before the file)."""
    return ["-vf", EVEN_SIDES, "-c:v", "libx264", "-preset", PRESET, "-crf", str(crf),
            "-pix_fmt", "yuv420p", *REPRODUCIBLE, "-movflags", "+faststart"]


def frame_rate(fps: float) -> str:
    """``fps`` as the exact rational FFmpeg takes (29.97 -> ``30000/1001``)."""
    rate = Fraction(fps).limit_denominator(1001)
    return f"{rate.numerator}/{rate.denominator}"


def encode_sequence(folder, first: int, count: int, out, fps: float, audio=None) -> Path:
    """Encode ``folder/frame_NNNN.png`` for frames ``first..first+count-1`` into the MP4 ``out``
    (atomically); with ``audio``, its sound as AAC, padded with silence or cut to the picture."""
    folder, out = Path(folder), Path(out)
    missing = [f for f in (first, first + count - 1)
               if not (folder / f"frame_{f:04d}.png").is_file()]
    if count < 1 or missing:
        raise NeuroBlendError(f"cannot encode {out}: frame {missing[0] if missing else first} "
                              f"is not in {folder}")
    inputs = ["-f", "image2", "-framerate", frame_rate(fps), "-start_number", str(first),
              "-i", str(folder / "frame_%04d.png")]
    sound: list[str] = []
    if audio is not None:
        inputs += ["-i", str(audio)]
        sound = ["-map", "0:v:0", "-map", "1:a:0", "-c:a", "aac", "-b:a", "192k",
                 "-af", "apad", "-shortest"]
    with atomic_path(out) as tmp:
        run = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-y", "-threads", "1", *inputs, "-frames:v", str(count),
             *sound, *h264_arguments(), "-f", "mp4", str(tmp)],
            capture_output=True, text=True)
        if run.returncode:
            detail = (run.stderr.strip().splitlines() or ["no message"])[-1]
            what = f"adding the sound {audio}" if audio is not None else "encoding the frames"
            raise NeuroBlendError(f"could not write the video {out}: {what} failed: {detail}"
                                  + (" (is it a readable audio file?)" if audio else ""))
    return out
