"""Stream frames to an MP4 (through :mod:`neuroblend.video_encode`) or a PNG sequence, atomically.

Frames are piped one at a time, so memory stays constant however long the clip is. Nothing
appears under the final name until the last frame is written: an MP4 is encoded to a temporary
file beside the target, a PNG sequence into a temporary folder, then renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import atomic_path
from neuroblend.video_encode import ffmpeg_exe, frame_rate, h264_arguments

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv")


def is_video_path(path) -> bool:
    """True when ``path`` names a video file (by suffix), False for a PNG-sequence folder."""
    return Path(path).suffix.lower() in VIDEO_SUFFIXES


class Progress:
    """Prints ``frame k/n, frames per second, time left`` at most once a second (and at the end)."""

    def __init__(self, total: int, label: str = "frame", stream=None, interval: float = 1.0):
        self.total, self.label, self.interval = total, label, interval
        self.stream = sys.stderr if stream is None else stream
        self.done = 0
        self.start = self.last = time.perf_counter()

    def step(self) -> None:
        """Record one finished frame; print a line if a second has passed or this was the last."""
        self.done += 1
        now = time.perf_counter()
        if now - self.last < self.interval and self.done != self.total:
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-9)
        left = (self.total - self.done) / rate
        print(f"{self.label} {self.done}/{self.total}, {rate:.1f} frames/s, {left:.0f} s left",
              file=self.stream, flush=True)


class FrameWriter:
    """Write equally sized RGB(A) uint8 frames to ``out`` (.mp4/.mov/.mkv or a PNG folder).

    Use as a context manager; leaving the block with an exception (or Ctrl-C) discards the
    partial output. PNG frames are named ``frame_NNNN.png`` numbered from ``first_frame``.
    Inside the block, Ctrl-C is deferred to the next :meth:`write` so it never lands inside
    matplotlib or FFmpeg I/O (a second Ctrl-C interrupts at once).
    """

    def __init__(self, out, size: tuple[int, int], fps: float, *, first_frame: int = 1,
                 total: int | None = None, crf: int = 18, progress: bool = True):
        self.out = Path(out)
        self.width, self.height = int(size[0]), int(size[1])
        if self.width < 2 or self.height < 2:
            raise NeuroBlendError(f"clip size {self.width}x{self.height} is too small")
        if not fps > 0:
            raise NeuroBlendError(f"fps must be positive, got {fps}")
        self.fps, self.crf = float(fps), int(crf)
        self.frame = int(first_frame)
        self.count = 0
        self.progress = Progress(total) if (progress and total) else None
        self._sink: _VideoSink | _PngSink | None = None
        self._interrupted = False
        self._previous_handler: Any = None

    def __enter__(self) -> FrameWriter:
        if is_video_path(self.out):
            self._sink = _VideoSink(self.out, (self.width, self.height), self.fps, self.crf)
        else:
            self._sink = _PngSink(self.out)
        if threading.current_thread() is threading.main_thread():
            self._previous_handler = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def _on_interrupt(self, signum, frame) -> None:
        if self._interrupted:
            raise KeyboardInterrupt
        self._interrupted = True

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)
            self._previous_handler = None
        sink, self._sink = self._sink, None
        if sink is None:
            return
        if exc_type is not None:
            sink.abort()
        elif self.count == 0:
            sink.abort()
            raise NeuroBlendError(f"no frames were written to {self.out}")
        else:
            sink.finish()

    def write(self, frame: np.ndarray) -> None:
        """Append one frame: uint8 array [height, width, 3 or 4] (alpha is dropped)."""
        if self._sink is None:
            raise RuntimeError("FrameWriter.write outside its `with` block")
        if self._interrupted:
            raise KeyboardInterrupt
        if frame.ndim != 3 or frame.shape[:2] != (self.height, self.width) \
                or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8:
            raise NeuroBlendError(
                f"frame {self.frame} is {frame.shape} {frame.dtype}, expected "
                f"({self.height}, {self.width}, 3|4) uint8")
        self._sink.write(frame, self.frame)
        self.frame += 1
        self.count += 1
        if self.progress:
            self.progress.step()


class _VideoSink:
    """Raw RGBA frames piped into FFmpeg (H.264, yuv420p) writing a temporary file."""

    def __init__(self, out: Path, size: tuple[int, int], fps: float, crf: int):
        self.out = out
        exe = ffmpeg_exe()
        self._atomic = atomic_path(out)
        tmp = self._atomic.__enter__()
        cmd = [exe, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgba",
               "-s", f"{size[0]}x{size[1]}", "-r", frame_rate(fps), "-i", "pipe:0",
               "-an", *h264_arguments(crf), str(tmp)]
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE)
        self._stdin: IO[bytes] = self._proc.stdin  # type: ignore[assignment]
        self._stderr: IO[bytes] = self._proc.stderr  # type: ignore[assignment]

    def write(self, frame: np.ndarray, number: int) -> None:
        if frame.shape[2] == 3:
            frame = np.dstack([frame, np.full(frame.shape[:2], 255, np.uint8)])
        try:
            self._stdin.write(np.ascontiguousarray(frame).data)
        except OSError:  # BrokenPipeError: FFmpeg has stopped
            raise NeuroBlendError(f"FFmpeg stopped while writing {self.out} (frame {number}): "
                                  f"{self._stop()}") from None

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # FFmpeg already gone: reported below
            self._stdin.close()
        if self._proc.wait() != 0:
            error = self._stop()
            self._atomic.__exit__(RuntimeError, None, None)
            raise NeuroBlendError(f"FFmpeg failed writing {self.out}: {error}")
        self._stderr.close()
        self._atomic.__exit__(None, None, None)

    def abort(self) -> None:
        self._stop()
        self._atomic.__exit__(RuntimeError, None, None)

    def _stop(self) -> str:
        """Kill FFmpeg (if still running); returns the last line it printed."""
        self._proc.kill()
        with contextlib.suppress(OSError):  # flushing into a killed FFmpeg
            self._stdin.close()
        self._proc.wait()
        text = self._stderr.read().decode(errors="replace").strip() if not self._stderr.closed \
            else ""
        self._stderr.close()
        return text.splitlines()[-1] if text else f"exit code {self._proc.returncode}"


class _PngSink:
    """PNG frames written into a temporary folder that replaces ``out`` when complete."""

    def __init__(self, out: Path):
        if out.suffix:
            raise NeuroBlendError(
                f"--out {out}: give an .mp4/.mov/.mkv file or a folder for PNG frames")
        if out.exists():
            others = ([] if not out.is_dir() else
                      [p.name for p in out.iterdir() if not _is_frame_png(p.name)])
            if not out.is_dir() or others:
                raise NeuroBlendError(
                    f"--out {out}: exists and holds other files than frame_NNNN.png; "
                    "choose a new or empty folder (it is replaced as a whole)")
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))

    def write(self, frame: np.ndarray, number: int) -> None:
        from PIL import Image

        Image.fromarray(np.ascontiguousarray(frame[..., :3])).save(
            self._tmp / f"frame_{number:04d}.png", compress_level=1)

    def finish(self) -> None:
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old.", dir=self.out.parent))
            os.replace(self.out, old / "previous")
        os.replace(self._tmp, self.out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)


def _is_frame_png(name: str) -> bool:
    return name.startswith("frame_") and name.endswith(".png") and name[6:-4].lstrip("-").isdigit()
