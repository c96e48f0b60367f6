"""Options of the surface render job (``neuroblend render surface``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.option_ranges import real
from neuroblend.render_options import RenderOptions

COLOR_BY = ("height", "x", "y")
MODES = ("mesh", "displace")


@dataclass(kw_only=True)
class SurfaceRenderOptions(RenderOptions):
    """A heightmap (``None``: the demo landscape) cut by a slicing plane, rendered."""

    input: Path | None = None
    # surface
    height_scale: float | None = real(None, -1e6, 1e6)
    mode: str = "mesh"
    frames_per_step: float = real(1.0, 0, 1e4, above_low=True)
    # slicer
    axis: str = "X"
    position: float = real(0.5, 0, 1)
    flip: bool = False
    colormap: str = "viridis"
    color_by: str = "height"
    band_width: float | None = real(None, 0, 1e6)
    band_color: tuple[float, float, float] = (0.15, 0.7, 1.0)
    band_strength: float = real(3.0, 0, 1e4)
    no_wireframe: bool = False
    # animation
    sweep: bool = False
    orbit: bool = False
