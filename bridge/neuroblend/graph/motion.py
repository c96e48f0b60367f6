"""The rearrangement in time: one factor from 0 (shuffled) to 1 (layered) over START..END,
eased per neuron with a seeded start delay (the stagger).

Neuron k moves while the factor runs from ``delay_k`` to ``delay_k + (1 - stagger)``, with a
smoothstep ease (3t^2 - 2t^3, as Blender's Map Range "Smooth Step"); delays lie in
[0, stagger], so every neuron has left by START and arrived by END.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuroblend.errors import NeuroBlendError

MAX_SEED = 2**32 - 1  # layout and stagger seeds

@dataclass(frozen=True)
class Rearrange:
    """When the neurons fly into their layers: frames ``start``..``end``, ``stagger`` 0..<1."""

    start: float
    end: float
    stagger: float = 0.5
    seed: int = 0

    def check(self) -> Rearrange:
        if not (math.isfinite(self.start) and math.isfinite(self.end) and self.end > self.start):
            raise NeuroBlendError(f"--rearrange START-END needs END after START "
                                  f"(got {self.start:g}-{self.end:g})")
        if not 0.0 <= self.stagger < 1.0:
            raise NeuroBlendError(f"stagger must be in 0..1 (excluding 1), got {self.stagger}")
        if not 0 <= self.seed <= MAX_SEED:
            raise NeuroBlendError(f"layout seed must be 0..{MAX_SEED}, got {self.seed}")
        return self


def parse_rearrange(text: str) -> tuple[int, int]:
    """``"30-90"`` -> (30, 90), or a clear error."""
    try:
        start, end = (int(v) for v in text.split("-", 1)) if "-" in text[1:] else (None, None)
    except ValueError:
        start = end = None
    if start is None or end is None or end <= start:
        raise NeuroBlendError(f"--rearrange {text!r}: expected START-END frames with END after "
                              "START, e.g. 30-90")
    return start, end


def morph_factor(frame, timing: Rearrange):
    """The one animated factor at ``frame``: 0 until START, linear to 1 at END, then 1."""
    u = (np.asarray(frame, dtype=np.float64) - timing.start) / (timing.end - timing.start)
    return np.clip(u, 0.0, 1.0)


def stagger_delays(count: int, timing: Rearrange) -> np.ndarray:
    """float32 [count]: each neuron's factor value at which it starts to move (seeded)."""
    rng = np.random.default_rng(timing.seed + 7919)
    return (rng.random(count) * timing.stagger).astype(np.float32)


def smoothstep(t):
    """3t^2 - 2t^3 of ``t`` clamped to 0..1."""
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def neuron_progress(factor, delays: np.ndarray, timing: Rearrange) -> np.ndarray:
    """Eased progress (0 shuffled .. 1 layered) of every neuron at morph ``factor``."""
    span = 1.0 - timing.stagger
    return smoothstep((float(factor) - delays.astype(np.float64)) / span)
