"""``neuroblend colorbar NAME --out FILE.png``: a colormap rendered through Blender as a strip.

The options become a :class:`~neuroblend.colormaps.colorbar_options.ColorbarOptions` for the
Blender job ``neuroblend.blender.jobs.colorbar`` (``scripts/colorbar.py`` runs this command).
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.cli.option_flags import add_setting_flags
from neuroblend.cli.render_args import options_from_args
from neuroblend.colormaps.colorbar_options import ColorbarOptions as D

HELP = "render a colormap as a colorbar PNG through Blender (optionally with tick labels)"


def add_arguments(parser) -> None:
    parser.add_argument("name", help="colormap name, e.g. viridis, magma_r, coolwarm")
    parser.add_argument("--out", required=True, type=Path, help="PNG file to write")
    add_setting_flags(parser, D)


def options(args) -> D:
    """The parsed arguments as the job's options."""
    return options_from_args(D, args)


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    job = options(args)
    job.check()
    return run_job("colorbar", job)
