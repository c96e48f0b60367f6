"""Build progress across processes: items and frames done, and time left.

Frames of different steps cost differently (a rendered shot frame is far dearer than a clip frame
or a composed frame), so time left is estimated from weighted work, not from the frame count.
"""

from __future__ import annotations

import sys
import time

from neuroblend.durations import clock_text

WEIGHTS = {"shot": 1.0, "clip": 0.05, "compose": 0.02}  # relative cost of one frame


class FilmProgress:
    """Prints ``[items i/n, frames f/F] detail, S s/frame, T left``, one line per frame; its
    state travels in job files as a dict."""

    def __init__(self, items: int, frames: int, work: float, *, item: int = 0, done: int = 0,
                 work_done: float = 0.0, started: float | None = None, stream=None):
        self.items, self.frames, self.item, self.done = items, max(frames, 1), item, done
        self.work, self.work_done = max(work, 1e-9), work_done
        self.started = time.time() if started is None else started
        self.stream = stream  # None: sys.stdout at the time of printing

    def state(self) -> dict:
        """What a job needs to continue the count."""
        return {"items": self.items, "frames": self.frames, "work": self.work, "item": self.item,
                "done": self.done, "work_done": self.work_done, "started": self.started}

    def frame(self, detail: str = "", kind: str = "shot") -> None:
        """One more frame of a ``kind`` step (shot, clip, compose) done."""
        self.done += 1
        self.work_done += WEIGHTS[kind]
        elapsed = time.time() - self.started
        left = elapsed / self.work_done * max(self.work - self.work_done, 0.0)
        print(f"[items {self.item}/{self.items}, frames {self.done}/{self.frames}] {detail}, "
              f"{elapsed / max(self.done, 1):.2f} s/frame, {clock_text(left)} left",
              file=self.stream or sys.stdout, flush=True)
