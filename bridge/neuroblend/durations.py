"""Durations as people read them in progress lines."""

from __future__ import annotations

import math


def clock_text(seconds: float) -> str:
    """``"42s"``, ``"3m05s"``, or ``"?"`` for a time not known yet."""
    if not math.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
