"""``neuroblend render surface [HEIGHTMAP] --out DIR ...``: the flags of the surface render job.

The parsed flags become a :class:`~neuroblend.surface.render_options.SurfaceRenderOptions` for
the Blender job ``neuroblend.blender.jobs.render_surface`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.cli.option_flags import add_setting_flags
from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.surface.render_options import SurfaceRenderOptions

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
    add_setting_flags(parser, D)
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> SurfaceRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(SurfaceRenderOptions, args)
