"""``neuroblend render units units.pkl --out DIR [--atlas-file A.pkl] ...``: the flags of the
units render job (:class:`~neuroblend.nwb.render_options.UnitsRenderOptions`, job
``neuroblend.blender.jobs.render_units``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.argtypes import direction
from neuroblend.cli.option_flags import default_text, ranged
from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.nwb.render_options import COLOR_BY, UnitsRenderOptions

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
    look = parser.add_argument_group("look")
    look.add_argument("--color-by", choices=COLOR_BY, default=D.color_by,
                      help="colour units by region, firing rate, probe (shank) or quality")
    look.add_argument("--colormap", help="colormap (default: tab10 for categories, viridis for "
                      "rates)")
    look.add_argument("--unit-radius", **ranged(D, "unit_radius", "sphere radius in mm"))
    look.add_argument("--glow", **ranged(D, "glow", "extra emission at a spike"))
    look.add_argument("--brightness", **ranged(D, "brightness", "emission at rest"))
    look.add_argument("--decay", **ranged(
        D, "decay", "flash decay time in ms of recording (unset: two frames)"))
    look.add_argument("--probes", action=argparse.BooleanOptionalAction, default=D.probes,
                      help=f"draw each probe shank as a thin line ({default_text(D.probes)})")
    look.add_argument("--time-label", action=argparse.BooleanOptionalAction, default=D.time_label,
                      help=f"show the session time ({default_text(D.time_label)})")
    look.add_argument("--region-activity", action="store_true",
                      help="regions named by the units glow by their population rate")
    look.add_argument("--view", metavar="X,Y,Z", **ranged(
        D, "view", "direction from the units to the camera", syntax=direction))
    timing = parser.add_argument_group("timing")
    timing.add_argument("--frames-per-ms", **ranged(
        D, "frames_per_ms", "frames per ms of recording (unset: real time at --fps)"))
    timing.add_argument("--start-frame", **ranged(D, "start_frame", "frame showing the window's "
                                                  "start"))
    timing.add_argument("--time-window", nargs=2, metavar=("START", "END"), **ranged(
        D, "time_window", "show START..END ms of session time (unset: the imported window)"))
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> UnitsRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(UnitsRenderOptions, args)
