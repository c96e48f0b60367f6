"""Options of the atlas render job (``neuroblend render atlas``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.option_ranges import real
from neuroblend.render_options import RenderOptions
from neuroblend.scale_bar import scale_bar_field

PRESETS = ("atlas", "glass", "glow")  # materials of regions and of the context brain
AXES = ("X", "Y", "Z")
DEFAULT_TURNTABLE_FRAMES = (1, 120)


@dataclass(kw_only=True)
class AtlasRenderOptions(RenderOptions):
    """Atlas regions (a ``neuroblend atlas export`` file) in their preset, the brain as context."""

    input: Path
    turntable: bool = False
    region_preset: str = "atlas"
    context_preset: str = "glass"
    gradient_axis: str = "Z"
    colormap: str = "viridis"
    scale_bar: str | float = scale_bar_field()  # auto, off or a length in mm
    # from the regions to the camera
    view: tuple[float, float, float] = real((1.0, -1.4, 0.8), -1e6, 1e6, count=3)
