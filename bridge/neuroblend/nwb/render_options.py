"""Options of the units render job (``neuroblend render units``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.option_ranges import BIG, BLENDER_MAX_FRAME, real, whole
from neuroblend.render_options import RenderOptions

COLOR_BY = ("region", "rate", "probe", "quality")
DEFAULT_FPS = 30


@dataclass(kw_only=True)
class UnitsRenderOptions(RenderOptions):
    """Recorded units flashing on their spikes, optionally inside atlas regions."""

    input: Path
    atlas_file: Path | None = None
    color_by: str = "region"
    colormap: str | None = None  # None: tab10 for categories, viridis for rates
    unit_radius: float = real(0.04, 0, 1e3, above_low=True)  # mm
    decay: float | None = real(None, 0, 1e6, above_low=True)  # ms of recording; None: 2 frames
    glow: float = real(6.0, 0, 1e4)  # extra emission at a spike
    brightness: float = real(0.35, 0, 1e4)  # emission at rest
    probes: bool = True  # draw each shank as a thin line
    time_label: bool = True  # the session time (ms) in the top corner
    region_activity: bool = False  # regions glow by their units' population rate
    frames_per_ms: float | None = real(None, 0, 1e4, above_low=True)  # None: real time at fps
    start_frame: int = whole(1, -BLENDER_MAX_FRAME, BLENDER_MAX_FRAME)
    time_window: tuple[float, float] | None = real(None, -BIG, BIG, count=2, order="<")  # ms
    view: tuple[float, float, float] = real((1.0, -1.4, 0.8), -1e6, 1e6, count=3)
