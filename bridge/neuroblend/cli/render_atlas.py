"""``neuroblend render atlas regions.pkl --out DIR ...``: the flags of the atlas render job.

The parsed flags become a :class:`~neuroblend.atlas.render_options.AtlasRenderOptions` for the
Blender job ``neuroblend.blender.jobs.render_atlas`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.atlas.render_options import AtlasRenderOptions
from neuroblend.cli.option_flags import add_setting_flags
from neuroblend.cli.render_args import add_render_arguments, options_from_args

D = AtlasRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render atlas``."""
    parser = argparse.ArgumentParser(
        prog="neuroblend render atlas",
        description="Render a neuroblend.atlas file (from `neuroblend atlas export`).")
    parser.add_argument("input", type=Path, help="atlas .pkl file")
    add_setting_flags(parser, D)
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> AtlasRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(AtlasRenderOptions, args)
