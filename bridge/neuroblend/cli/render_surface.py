"""``neuroblend render surface [HEIGHTMAP] --out DIR ...``: the flags of the surface render job.

The parsed flags become a :class:`~neuroblend.surface.render_options.SurfaceRenderOptions` for
the Blender job ``neuroblend.blender.jobs.render_surface`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.argtypes import rgb_color
from neuroblend.cli.option_flags import ranged
from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.surface.render_options import COLOR_BY, MODES, SurfaceRenderOptions

D = SurfaceRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render surface``."""
    parser = argparse.ArgumentParser(
        prog="neuroblend render surface",
        description="Render a heightmap as a 3-D surface cut by a slicing plane: solid and "
                    "coloured on one side, wireframe on the other, a glowing band between.")
    parser.add_argument("input", nargs="?", type=Path,
                        help="heightmap file (.pkl from `neuroblend heightmap`, or .npy/.npz/"
                             ".csv/.png/.tif); default: a demo landscape")
    surface = parser.add_argument_group("surface")
    surface.add_argument("--height-scale", **ranged(D, "height_scale", "multiply heights by this "
                                                    "(default: relief = 35%% of the width)"))
    surface.add_argument("--mode", choices=MODES, default=D.mode,
                         help="exact heights in the mesh, or a flat grid + Displace modifier")
    surface.add_argument("--frames-per-step", **ranged(D, "frames_per_step", "scene frames per "
                                                       "data frame of an animated heightmap"))
    cut = parser.add_argument_group("slicer")
    cut.add_argument("--axis", choices=("X", "Y", "Z"), default=D.axis, type=str.upper,
                     help="world axis the plane cuts across")
    cut.add_argument("--position", **ranged(D, "position", "plane position as a fraction of the "
                                            "extent along the axis"))
    cut.add_argument("--flip", action="store_true", help="swap the solid and wireframe sides")
    cut.add_argument("--colormap", default=D.colormap, help="matplotlib colormap name")
    cut.add_argument("--color-by", choices=COLOR_BY, default=D.color_by)
    cut.add_argument("--band-width", **ranged(D, "band_width", "glowing band width (Blender "
                                              "units)"))
    cut.add_argument("--band-color", type=rgb_color, default=D.band_color, metavar="R,G,B")
    cut.add_argument("--band-strength", **ranged(D, "band_strength", "glowing band emission"))
    cut.add_argument("--no-wireframe", action="store_true", help="hide the wireframe twin")
    anim = parser.add_argument_group("animation")
    anim.add_argument("--sweep", action="store_true",
                      help="sweep the plane across the surface over the frame range")
    anim.add_argument("--orbit", action="store_true",
                      help="circle the camera once around the surface over the frame range")
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> SurfaceRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(SurfaceRenderOptions, args)
