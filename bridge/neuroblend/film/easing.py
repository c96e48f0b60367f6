"""Easing and piecewise curves: the one interpolation behind clocks and camera moves.

A curve is a list of keys ``(time, value, ease)``; ``ease`` shapes the segment that *arrives* at
that key (``linear``, ``in``, ``out``, ``in-out``, ``hold``: keep the previous value until the key,
then jump). Before the first key the first value holds, after the last key the last one. Values
may be scalars or equal-length vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EASES = ("linear", "in", "out", "in-out", "hold")


def ease(name: str, u):
    """Eased fraction of a segment for ``u`` in [0, 1] (scalars or arrays)."""
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    if name == "linear":
        return u
    if name == "in":
        return u ** 3
    if name == "out":
        return 1.0 - (1.0 - u) ** 3
    if name == "in-out":
        return np.where(u < 0.5, 4.0 * u ** 3, 1.0 - (-2.0 * u + 2.0) ** 3 / 2.0)
    if name == "hold":
        return np.where(u >= 1.0, 1.0, 0.0)
    raise ValueError(f"unknown ease {name!r} (choices: {', '.join(EASES)})")


@dataclass(frozen=True)
class Key:
    """One key of a curve: at ``time`` the curve is ``value``; ``ease`` shapes the way in."""

    time: float
    value: tuple[float, ...]
    ease: str = "linear"


class Curve:
    """A piecewise eased curve through keys with strictly increasing times."""

    def __init__(self, keys: list[Key]):
        if not keys:
            raise ValueError("a curve needs at least one key")
        times = [k.time for k in keys]
        if any(b <= a for a, b in zip(times, times[1:], strict=False)):
            raise ValueError("key times must increase strictly")
        self.keys = list(keys)
        self.times = np.asarray(times, dtype=float)
        self.values = np.asarray([k.value for k in keys], dtype=float)

    def __call__(self, t) -> np.ndarray:
        """Values at times ``t`` (array [n] -> [n, dims]); one pass per ease, not per segment,
        so a clock of many keys costs no more than one of few."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        if len(self.times) == 1:
            return np.repeat(self.values[:1], t.size, axis=0)
        seg = np.clip(np.searchsorted(self.times, t, side="right"), 1, len(self.times) - 1)
        t0, t1 = self.times[seg - 1], self.times[seg]
        u = (t - t0) / (t1 - t0)
        arriving = np.asarray([k.ease for k in self.keys])[seg]
        f = np.empty(t.size)
        for name in np.unique(arriving):
            mask = arriving == name
            f[mask] = ease(str(name), u[mask])
        start = self.values[seg - 1]
        return start + f[:, None] * (self.values[seg] - start)

    def scalar(self, t) -> np.ndarray:
        """A one-dimensional curve's values at ``t`` as a flat array."""
        return self(t)[:, 0]

    @property
    def end(self) -> float:
        """Time of the last key."""
        return float(self.times[-1])
