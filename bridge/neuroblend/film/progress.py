"""Build progress across processes: items and frames done, and time left."""

from __future__ import annotations

import sys
import time


class FilmProgress:
    """Prints ``[items i/n, frames f/F] detail, T left``; state travels in job files as a dict."""

    def __init__(self, items: int, frames: int, *, item: int = 0, done: int = 0,
                 started: float | None = None, stream=None):
        self.items, self.frames, self.item, self.done = items, max(frames, 1), item, done
        self.started = time.time() if started is None else started
        self.stream = stream or sys.stdout

    def state(self) -> dict:
        """What a job needs to continue the count."""
        return {"items": self.items, "frames": self.frames, "item": self.item,
                "done": self.done, "started": self.started}

    def frame(self, detail: str = "") -> None:
        """One more frame rendered."""
        self.done += 1
        elapsed = time.time() - self.started
        left = elapsed / self.done * max(self.frames - self.done, 0)
        print(f"[items {self.item}/{self.items}, frames {self.done}/{self.frames}] {detail}, "
              f"{_clock(left)} left", file=self.stream, flush=True)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
