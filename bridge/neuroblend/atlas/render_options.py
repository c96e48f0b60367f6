"""Options of the atlas render job (``neuroblend render atlas``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.argtypes import direction
from neuroblend.option_ranges import real
from neuroblend.render_options import RenderOptions
from neuroblend.scale_bar import SCALE_BAR_HELP, scale_bar_field
from neuroblend.settings_table import setting

PRESETS = ("atlas", "glass", "glow")  # materials of regions and of the context brain
AXES = ("X", "Y", "Z")
DEFAULT_TURNTABLE_FRAMES = (1, 120)


@dataclass(kw_only=True)
class AtlasRenderOptions(RenderOptions):
    """Atlas regions (a ``neuroblend atlas export`` file) in their preset, the brain as context."""

    input: Path
    # settings rows: the flags of `render atlas` and the film's atlas look keys
    turntable: bool = setting(False, "orbit the camera once around the regions over the frame "
                              f"range (frames {DEFAULT_TURNTABLE_FRAMES[0]}-"
                              f"{DEFAULT_TURNTABLE_FRAMES[1]} unless --frames)", group="",
                              look=False)
    region_preset: str = setting("atlas", "material of the regions (atlas: the atlas's own "
                                 "colours)", choices=PRESETS, group="")
    context_preset: str = setting("glass", "material of the atlas root, the whole-brain context",
                                  choices=PRESETS, group="")
    gradient_axis: str = setting("Z", "axis of the glow preset's colour gradient", choices=AXES,
                                 group="")
    colormap: str = setting("viridis", "colormap of the glow preset", group="")
    scale_bar: str | float = setting(scale_bar_field(), SCALE_BAR_HELP + " mm", group="",
                                     metavar="auto|off|LENGTH")
    view: tuple[float, float, float] = setting(
        real((1.0, -1.4, 0.8), -1e6, 1e6, count=3), "direction from the regions to the camera",
        syntax=direction, metavar="X,Y,Z", group="", look=False)
