"""Options of the surface render job (``neuroblend render surface``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.argtypes import rgb_color
from neuroblend.option_ranges import real
from neuroblend.render_options import RenderOptions
from neuroblend.settings_table import setting
from neuroblend.surface.grid import RELIEF

COLOR_BY = ("height", "x", "y")
MODES = ("mesh", "displace")
AXES = ("X", "Y", "Z")
SURFACE, SLICER, ANIMATION = "surface", "slicer", "animation"


@dataclass(kw_only=True)
class SurfaceRenderOptions(RenderOptions):
    """A heightmap (``None``: the demo landscape) cut by a slicing plane, rendered."""

    input: Path | None = None
    # settings rows: the flags of `render surface` and the film's surface look keys
    height_scale: float | None = setting(
        real(None, -1e6, 1e6), f"multiply heights by this (default: relief = {RELIEF * 100:g}%% "
        "of the width)", group=SURFACE)
    mode: str = setting("mesh", "exact heights in the mesh, or a flat grid + Displace modifier",
                        choices=MODES, group=SURFACE)
    frames_per_step: float = setting(
        real(1.0, 0, 1e4, above_low=True), "scene frames per data frame of an animated "
        "heightmap", group=SURFACE, look=False)
    axis: str = setting("X", "world axis the plane cuts across", choices=AXES, argtype=str.upper,
                        group=SLICER)
    position: float = setting(real(0.5, 0, 1), "plane position as a fraction of the extent "
                              "along the axis", group=SLICER, look=False)
    flip: bool = setting(False, "swap the solid and wireframe sides", group=SLICER)
    colormap: str = setting("viridis", "matplotlib colormap name", group=SLICER)
    color_by: str = setting("height", "what the colormap shows", choices=COLOR_BY, group=SLICER)
    band_width: float | None = setting(real(None, 0, 1e6), "glowing band width (Blender units)",
                                       group=SLICER)
    band_color: tuple[float, float, float] = setting(
        (0.15, 0.7, 1.0), "glowing band colour, linear RGB", argtype=rgb_color, metavar="R,G,B",
        group=SLICER, look=False)
    band_strength: float = setting(real(3.0, 0, 1e4), "glowing band emission", group=SLICER)
    no_wireframe: bool = setting(False, "hide the wireframe twin", group=SLICER)
    sweep: bool = setting(False, "sweep the plane across the surface over the frame range",
                          group=ANIMATION, look=False)
    orbit: bool = setting(False, "circle the camera once around the surface over the frame "
                          "range", group=ANIMATION, look=False)
