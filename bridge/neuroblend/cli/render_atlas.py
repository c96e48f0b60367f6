"""``neuroblend render atlas regions.pkl --out DIR ...``: the flags of the atlas render job.

The parsed flags become a :class:`~neuroblend.atlas.render_options.AtlasRenderOptions` for the
Blender job ``neuroblend.blender.jobs.render_atlas`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.argtypes import direction
from neuroblend.atlas.render_options import (
    AXES,
    DEFAULT_TURNTABLE_FRAMES,
    PRESETS,
    AtlasRenderOptions,
)
from neuroblend.cli.option_flags import default_text, ranged
from neuroblend.cli.render_args import add_render_arguments, options_from_args

D = AtlasRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render atlas``."""
    parser = argparse.ArgumentParser(
        prog="neuroblend render atlas",
        description="Render a neuroblend.atlas file (from `neuroblend atlas export`).")
    parser.add_argument("input", type=Path, help="atlas .pkl file")
    parser.add_argument("--turntable", action="store_true",
                        help="orbit the camera once around the regions over the frame range "
                        f"(default frames {DEFAULT_TURNTABLE_FRAMES[0]}-"
                        f"{DEFAULT_TURNTABLE_FRAMES[1]})")
    parser.add_argument("--region-preset", choices=PRESETS, default=D.region_preset,
                        help=f"material of the regions ({default_text(D.region_preset)}: atlas colours)")
    parser.add_argument("--context-preset", choices=PRESETS, default=D.context_preset,
                        help="material of the atlas root, the whole-brain context "
                        f"({default_text(D.context_preset)})")
    parser.add_argument("--gradient-axis", choices=AXES, default=D.gradient_axis,
                        help="axis of the glow preset's colour gradient")
    parser.add_argument("--colormap", default=D.colormap, help="colormap of the glow preset")
    parser.add_argument("--view", metavar="X,Y,Z", **ranged(
        D, "view", "direction from the regions to the camera", syntax=direction))
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> AtlasRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(AtlasRenderOptions, args)
