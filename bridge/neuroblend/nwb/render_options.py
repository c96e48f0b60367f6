"""Options of the units render job (``neuroblend render units``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.argtypes import direction
from neuroblend.option_ranges import BIG, BLENDER_MAX_FRAME, real, whole
from neuroblend.render_options import RenderOptions
from neuroblend.settings_table import setting

COLOR_BY = ("region", "rate", "probe", "quality")
DEFAULT_FPS = 30
TIMING = "timing"


@dataclass(kw_only=True)
class UnitsRenderOptions(RenderOptions):
    """Recorded units flashing on their spikes, optionally inside atlas regions."""

    input: Path
    atlas_file: Path | None = None
    # settings rows: the flags of `render units` and the film's units look keys
    color_by: str = setting("region", "colour units by region, firing rate, probe (shank) or "
                            "quality", choices=COLOR_BY)
    colormap: str | None = setting(None, "colormap (default: tab10 for categories, viridis for "
                                   "rates)")
    unit_radius: float = setting(real(0.04, 0, 1e3, above_low=True), "sphere radius in mm")
    decay: float | None = setting(real(None, 0, 1e6, above_low=True), "flash decay time in ms "
                                  "of recording (unset: two frames)")
    glow: float = setting(real(6.0, 0, 1e4), "extra emission at a spike")
    brightness: float = setting(real(0.35, 0, 1e4), "emission at rest")
    probes: bool = setting(True, "draw each probe shank as a thin line")
    time_label: bool = setting(True, "show the session time")
    region_activity: bool = setting(False, "regions named by the units glow by their population "
                                    "rate", look=False)
    view: tuple[float, float, float] = setting(
        real((1.0, -1.4, 0.8), -1e6, 1e6, count=3), "direction from the units to the camera",
        syntax=direction, metavar="X,Y,Z", look=False)
    frames_per_ms: float | None = setting(
        real(None, 0, 1e4, above_low=True), "frames per ms of recording (unset: real time at "
        "--fps)", group=TIMING)
    start_frame: int = setting(whole(1, -BLENDER_MAX_FRAME, BLENDER_MAX_FRAME), "frame showing "
                               "the window's start", group=TIMING, look=False)
    time_window: tuple[float, float] | None = setting(
        real(None, -BIG, BIG, count=2, order="<"), "show START..END ms of session time (unset: "
        "the imported window)", metavar=("START", "END"), group=TIMING, look=False)
