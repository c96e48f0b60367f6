"""``neuroblend render studio --out DIR [--template FILE.blend]``: the flags of the studio render job.

The parsed flags become a :class:`~neuroblend.render_options.StudioRenderOptions` for the Blender
job ``neuroblend.blender.jobs.render_studio`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.render_options import STUDIO_TEMPLATE, StudioRenderOptions

D = StudioRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render studio``."""
    parser = argparse.ArgumentParser(
        prog="neuroblend render studio",
        description="Render the NeuroBlend studio template: a check that headless rendering works.")
    parser.add_argument("--template", type=Path, default=D.template,
                        help=f"template .blend to open (default: {STUDIO_TEMPLATE.name}; "
                        "built fresh if it is missing or saved by a newer Blender)")
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> StudioRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(StudioRenderOptions, args)
