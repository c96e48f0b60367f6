"""What part of a session to import: a time window, a trial or an epoch, on the NWB session
clock (seconds). NeuroBlend files keep milliseconds; the conversion happens once, here."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuroblend.errors import NeuroBlendError

MS_PER_S = 1000.0


@dataclass(frozen=True)
class Selection:
    """A half-open interval ``[start, stop)`` of session time in seconds (infinite: no bound),
    and how it was chosen (for the file's metadata)."""

    start: float = -math.inf
    stop: float = math.inf
    source: str = "whole session"

    def describe(self) -> dict:
        """JSON-friendly description: the source and the bounds in ms (None: unbounded)."""
        def ms(value: float) -> float | None:
            return value * MS_PER_S if math.isfinite(value) else None
        return {"source": self.source, "start_ms": ms(self.start), "stop_ms": ms(self.stop)}


def select(nwbfile, *, time_window=None, trial: int | None = None,
           epoch: str | None = None) -> Selection:
    """The selection asked for by ``--time-window A B`` (s), ``--trial N`` or ``--epoch NAME``
    (at most one)."""
    given = [name for name, value in (("--time-window", time_window), ("--trial", trial),
                                      ("--epoch", epoch)) if value is not None]
    if len(given) > 1:
        raise NeuroBlendError(f"give one of {', '.join(given)}, not several")
    if time_window is not None:
        start, stop = (float(v) for v in time_window)
        if not (math.isfinite(start) and math.isfinite(stop) and stop > start):
            raise NeuroBlendError(f"--time-window {start:g} {stop:g}: the end must be after "
                                  "the start (seconds on the session clock)")
        return Selection(start, stop, f"time window {start:g}-{stop:g} s")
    if trial is not None:
        return _interval(nwbfile.trials, "trials", "--trial", trial)
    if epoch is not None:
        return _epoch(nwbfile.epochs, epoch)
    return Selection()


def _interval(table, what: str, flag: str, row: int) -> Selection:
    if table is None or len(table) == 0:
        raise NeuroBlendError(f"{flag} {row}: the file has no {what} table")
    if not 0 <= row < len(table):
        raise NeuroBlendError(f"{flag} {row}: the file has {len(table)} {what} "
                              f"(0..{len(table) - 1})")
    start = float(table["start_time"].data[row])
    stop = float(table["stop_time"].data[row])
    _check_bounds(start, stop, f"{what} row {row}")
    return Selection(start, stop, f"{what[:-1]} {row} ({start:g}-{stop:g} s)")


def _epoch(table, name: str) -> Selection:
    """The one epoch tagged ``name`` (several epochs with that tag are refused: the window
    would be ambiguous)."""
    if table is None or len(table) == 0:
        raise NeuroBlendError(f"--epoch {name}: the file has no epochs table")
    tags = table["tags"][:] if "tags" in table.colnames else [[] for _ in range(len(table))]
    hits = [i for i, row_tags in enumerate(tags) if name in [str(t) for t in row_tags]]
    if not hits:
        known = sorted({str(t) for row_tags in tags for t in row_tags})
        raise NeuroBlendError(f"--epoch {name}: no epoch is tagged {name!r}; tags in the file: "
                              + (", ".join(known[:20]) or "none"))
    if len(hits) > 1:
        raise NeuroBlendError(f"--epoch {name}: {len(hits)} epochs are tagged {name!r} (rows "
                              f"{', '.join(map(str, hits[:10]))}); use --time-window for one")
    row = hits[0]
    start = float(table["start_time"].data[row])
    stop = float(table["stop_time"].data[row])
    _check_bounds(start, stop, f"epoch {name!r}")
    return Selection(start, stop, f"epoch {name} ({start:g}-{stop:g} s)")


def _check_bounds(start: float, stop: float, what: str) -> None:
    if not (np.isfinite([start, stop]).all() and stop > start):
        raise NeuroBlendError(f"{what} has start {start} and stop {stop}: not a time interval")
