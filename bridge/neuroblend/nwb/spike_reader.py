"""Spike times of every unit inside a time window, read lazily from the Units table.

NWB keeps spike times as one ragged array: ``spike_times`` (every unit's times, unit after unit)
and ``spike_times_index`` (where each unit's times end). Only the index is read whole; each
unit's window is found by a binary search over its own times (all units searched together, one
small read of the probed values per step), then only the window's spikes are read. NWB asks for
each unit's times in ascending order (nwbinspector checks it); each unit's first and last time and the slice read, with one neighbour on each side, are
checked, and a unit found out of order there is read whole and filtered. A
unit out of order only elsewhere is not detected (that would need reading every spike).
"""

from __future__ import annotations

import math

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.nwb.selection import Selection


def _read_at(data, index: np.ndarray) -> np.ndarray:
    """``data[index]`` for any index order (h5py wants increasing, unique indices)."""
    unique, inverse = np.unique(index, return_inverse=True)
    return np.asarray(data[unique], dtype=np.float64)[inverse]


def first_at_or_after(data, lo: np.ndarray, hi: np.ndarray, value: float) -> np.ndarray:
    """Per unit, the first index in ``[lo, hi)`` whose time is >= ``value`` (``hi`` if none),
    for ascending times."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = np.flatnonzero(lo < hi)
        if active.size == 0:
            return lo
        mid = (lo[active] + hi[active]) // 2
        right = _read_at(data, mid) < value
        lo[active] = np.where(right, mid + 1, lo[active])
        hi[active] = np.where(right, hi[active], mid)


def unit_bounds(units) -> tuple[np.ndarray, np.ndarray, object]:
    """(start, end) index of each unit's times in the ragged array, and that lazy array."""
    if "spike_times" not in units.colnames:
        raise NeuroBlendError("the Units table has no spike_times column")
    ends = np.asarray(units.spike_times_index.data[:], dtype=np.int64)
    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
    if len(ends) and (np.any(ends < starts) or ends[-1] > len(units.spike_times.data)):
        raise NeuroBlendError("the Units table's spike_times_index is corrupt (offsets out of "
                              "order or past the end of spike_times)")
    return starts, ends, units.spike_times.data


def windowed_spikes(units, selection: Selection) -> tuple[np.ndarray, np.ndarray, int]:
    """(offsets int64 [U+1], times float64 [S] in seconds, ascending per unit, spikes in the
    file) of the spikes in ``selection``: unit ``u`` owns ``times[offsets[u]:offsets[u+1]]``."""
    starts, ends, data = unit_bounds(units)
    lo, hi = starts, ends
    if math.isfinite(selection.start):
        lo = first_at_or_after(data, starts, ends, selection.start)
    if math.isfinite(selection.stop):
        hi = first_at_or_after(data, lo, ends, selection.stop)
    reversed_ = np.zeros(len(starts), dtype=bool)
    filled = np.flatnonzero(ends > starts)
    if filled.size:  # a unit ending before it starts is out of order: read it whole
        reversed_[filled] = _read_at(data, ends[filled] - 1) < _read_at(data, starts[filled])
    pieces = [_unit_window(data, u, lo[u], hi[u], starts[u], ends[u], selection, reversed_[u])
              for u in range(len(starts))]
    counts = np.array([len(p) for p in pieces], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    times = np.concatenate(pieces) if pieces else np.zeros(0)
    return offsets, times.astype(np.float64), int(ends[-1]) if len(ends) else 0


def _unit_window(data, unit: int, lo: int, hi: int, start: int, end: int,
                 selection: Selection, out_of_order: bool) -> np.ndarray:
    """The unit's times in the window; its neighbours on both sides are read to check order."""
    a, b = max(lo - 1, start), min(hi + 1, end)
    block = np.asarray(data[a:b], dtype=np.float64) if b > a else np.zeros(0)
    ascending = not out_of_order and bool(np.all(np.diff(block) >= 0))
    if ascending and (a == lo or block[0] < selection.start) \
            and (b == hi or block[-1] >= selection.stop):
        times = block[lo - a: hi - a]
    else:  # not ascending: read the whole unit and filter
        whole = np.asarray(data[start:end], dtype=np.float64)
        times = np.sort(whole[(whole >= selection.start) & (whole < selection.stop)])
    if not np.isfinite(times).all():
        raise NeuroBlendError(f"unit {unit} has spike times that are NaN or infinite")
    return times
