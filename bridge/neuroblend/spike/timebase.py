"""The one time <-> frame mapping shared by every NeuroBlend render and clip.

Frame ``start_frame`` shows simulation time ``t_start`` (ms, usually the first recorded sample,
``time[0]``); each later frame advances ``1 / frames_per_ms`` ms. So with ``frames_per_ms=2`` and
``start_frame=1``, frame 1 shows ``t_start`` and frame 21 shows ``t_start + 10 ms``. Frames before
``start_frame`` (or past the recording) map to times outside the data; callers hold the first/last
value there. Both functions accept scalars or numpy arrays.
"""

from __future__ import annotations

import math

import numpy as np

from neuroblend.errors import NeuroBlendError


def check_frames_per_ms(frames_per_ms: float) -> float:
    """``frames_per_ms`` as a float, or a clear error if it is not a positive finite number."""
    value = float(frames_per_ms)
    if not (math.isfinite(value) and value > 0):
        raise NeuroBlendError(
            f"frames per millisecond must be a positive number, got {frames_per_ms!r}")
    return value


def frame_to_time(frame, frames_per_ms: float, start_frame: int = 1, t_start: float = 0.0):
    """Simulation time (ms) shown at ``frame``."""
    rate = check_frames_per_ms(frames_per_ms)
    return t_start + (np.asarray(frame, dtype=float) - start_frame) / rate


def time_to_frame(time_ms, frames_per_ms: float, start_frame: int = 1, t_start: float = 0.0):
    """Frame (fractional) at which simulation time ``time_ms`` is shown; inverse of frame_to_time."""
    rate = check_frames_per_ms(frames_per_ms)
    return start_frame + (np.asarray(time_ms, dtype=float) - t_start) * rate


def default_frames_per_ms(time) -> float:
    """One frame per recorded sample: 1 / the median sample interval of ``time`` (ms).

    The default of every NeuroBlend render and clip when no frames-per-ms is given.
    """
    steps = np.diff(np.asarray(time, dtype=np.float64))
    steps = steps[steps > 0]
    return 1.0 / float(np.median(steps)) if steps.size else 1.0


def frame_range(t_start: float, t_end: float, frames_per_ms: float,
                start_frame: int = 1) -> tuple[int, int]:
    """First and last whole frame covering ``[t_start, t_end]`` ms (both inclusive)."""
    last = time_to_frame(t_end, frames_per_ms, start_frame, t_start)
    return int(start_frame), int(math.ceil(float(last) - 1e-9))
