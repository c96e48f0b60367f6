"""Options of ``neuroblend clip trace|network``: their defaults and ranges, the one home the
flags (``neuroblend.cli.clip``) and a storyboard's clip options (``neuroblend.film.kinds``) read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.files.limits import MAX_CLIP_CELLS, MAX_CLIP_FRAMES, MAX_KERNEL_DECAY
from neuroblend.option_ranges import BIG, BLENDER_MAX_FRAME, SEED_MAX, RangeChecked, real, whole

FRAMES = (-BLENDER_MAX_FRAME, BLENDER_MAX_FRAME)


@dataclass(kw_only=True)
class ClipOptions(RangeChecked):
    """What every clip takes (the constructor checks every range)."""

    out: Path
    fps: float = real(30.0, 1, 240)
    size: tuple[int, int] = whole((1280, 720), 16, 8192, count=2)
    max_frames: int = whole(MAX_CLIP_FRAMES, 1, 10**7)


@dataclass(kw_only=True)
class TraceClipOptions(ClipOptions):
    """A trace clip's timing and value range (as in the spike render)."""

    frames_per_ms: float | None = real(None, 0, 1e4, above_low=True)
    start_frame: int = whole(1, *FRAMES)
    time_window: tuple[float, float] | None = real(None, -BIG, BIG, count=2, order="<")
    frames: tuple[int, int] | None = whole(None, *FRAMES, count=2, order="<=")
    range: tuple[float, float] | None = real(None, -BIG, BIG, count=2, order="<")


@dataclass(kw_only=True)
class NetworkClipOptions(ClipOptions):
    """The branching-network model of a network clip and its smoothing."""

    layers: int = whole(10, 1, 10**6)
    neurons: int = whole(100, 1, 10**6)
    sigma: float = real(1.0, 0, 100)
    p_spont: float = real(0.01, 0, 1)
    steps: int = whole(300, 1, 10**7)
    max_cells: int = whole(MAX_CLIP_CELLS, 1, 10**10)
    seed: int = whole(0, 0, SEED_MAX)
    rise: float = real(1.0, 0, MAX_KERNEL_DECAY, above_low=True)
    decay: float = real(6.0, 0, MAX_KERNEL_DECAY, above_low=True)
    frames: tuple[int, int] | None = whole(None, *FRAMES, count=2, order="<=")
