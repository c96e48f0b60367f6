"""``neuroblend render units units.pkl --out DIR [--atlas-file A.pkl] ...``: the flags of the
units render job (:class:`~neuroblend.nwb.render_options.UnitsRenderOptions`, job
``neuroblend.blender.jobs.render_units``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.cli.option_flags import add_setting_flags
from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.nwb.render_options import UnitsRenderOptions

D = UnitsRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render units``."""
    parser = argparse.ArgumentParser(
        prog="neuroblend render units",
        description="Render recorded units (from `neuroblend import nwb`): every unit a small "
                    "sphere flashing on each spike, probe shanks as lines, in atlas regions.")
    parser.add_argument("input", type=Path, help="units .pkl file (from `neuroblend import nwb`), "
                        "or an NWB file: its whole session imported on the way (placed in the "
                        "--atlas-file's atlas)")
    parser.add_argument("--atlas-file", type=Path, help="atlas regions (from `neuroblend atlas "
                        "export` of the atlas the units were placed in) shown as glass")
    add_setting_flags(parser, D)
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> UnitsRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(UnitsRenderOptions, args)
