"""The one frame <-> data-time mapping shared by every NeuroBlend render, clip and film shot.

Frame ``start_frame`` shows data time ``t_start`` (simulation ms, usually the first recorded
sample, ``time[0]``; or a network model's step); each later frame advances ``1 / frames_per_ms``
(per unit) of it. So with ``frames_per_ms=2`` and
``start_frame=1``, frame 1 shows ``t_start`` and frame 21 shows ``t_start + 10 ms``. Frames before
``start_frame`` (or past the recording) map to times outside the data; callers hold the first/last
value there. Both functions accept scalars or numpy arrays.

In Blender the three numbers are custom properties of a scene's root Empty (``ROOT_KEYS``; a
graph's rate is frames per *step*), and the shader's "NB Clock" node group
(``neuroblend.blender.core.playback_clock.clock_time``) computes :func:`frame_to_time` from them;
a film keys ``t_start`` per output frame with :func:`start_time_for`.
"""

from __future__ import annotations

import math

import numpy as np

from neuroblend.errors import NeuroBlendError

START_FRAME = "nb_start_frame"  # root properties: the frame that shows TIME_START,
TIME_START = "nb_time_start"  # the data time it shows,
FRAMES_PER_MS = "nb_frames_per_ms"  # and the rate: frames per ms (spike, units)
FRAMES_PER_STEP = "nb_frames_per_step"  # or frames per model step (graph)


def check_frames_per_ms(frames_per_ms: float) -> float:
    """``frames_per_ms`` as a float, or a clear error if it is not a positive finite number."""
    value = float(frames_per_ms)
    if not (math.isfinite(value) and value > 0):
        raise NeuroBlendError(
            f"frames per millisecond must be a positive number, got {frames_per_ms!r}")
    return value


def frame_to_time(frame, frames_per_ms: float, start_frame: float = 1, t_start: float = 0.0):
    """Data time (ms, or step) shown at ``frame``."""
    rate = check_frames_per_ms(frames_per_ms)
    return t_start + (np.asarray(frame, dtype=float) - start_frame) / rate


def time_to_frame(time_ms, frames_per_ms: float, start_frame: float = 1, t_start: float = 0.0):
    """Frame (fractional) at which simulation time ``time_ms`` is shown; inverse of frame_to_time."""
    rate = check_frames_per_ms(frames_per_ms)
    return start_frame + (np.asarray(time_ms, dtype=float) - t_start) * rate


def start_time_for(frame: float, time: float, frames_per_ms: float, start_frame: float) -> float:
    """The ``t_start`` that makes ``frame`` show data time ``time`` (a film keys it per frame)."""
    return float(time) - (frame - start_frame) / frames_per_ms


def rate_key(root) -> str:
    """The root property holding a root's rate: frames per step (graph), else per ms."""
    return FRAMES_PER_STEP if FRAMES_PER_STEP in root else FRAMES_PER_MS


def root_clock(root) -> tuple[float, float, float]:
    """``(frames per unit, start frame, start time)`` read from a root's properties (a mapping;
    a graph scene saved before the rate was named per step keeps it under ``FRAMES_PER_MS``)."""
    return (float(root[rate_key(root)]), float(root[START_FRAME]), float(root[TIME_START]))


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
