"""Options of the units render job (``neuroblend render units``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    unit_radius: float = 0.04  # mm
    decay: float | None = None  # ms of recording; None: two frames
    glow: float = 6.0  # extra emission at a spike
    brightness: float = 0.35  # emission at rest
    probes: bool = True  # draw each shank as a thin line
    time_label: bool = True  # the session time (ms) in the top corner
    region_activity: bool = False  # regions glow by their units' population rate
    frames_per_ms: float | None = None  # None: real time at the video's fps
    start_frame: int = 1
    time_window: tuple[float, float] | None = None  # ms of session time
    view: tuple[float, float, float] = (1.0, -1.4, 0.8)
