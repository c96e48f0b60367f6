"""``neuroblend render KIND ...``: render a NeuroBlend scene headlessly through Blender.

Each kind's flags live in ``neuroblend.cli.render_<kind>`` (``build_parser()`` and
``options(args)``); the parsed options go to the Blender job ``neuroblend.blender.jobs.render_<kind>``.
"""

from __future__ import annotations

import argparse
import importlib

HELP = "render spike/surface/atlas/studio/network/units scenes headlessly (stills, PNG sequences, MP4)"
KINDS = {
    "spike": "render_spike",
    "surface": "render_surface",
    "atlas": "render_atlas",
    "studio": "render_studio",
    "network": "render_network",
    "units": "render_units",
}


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=sorted(KINDS), help="what to render")
    parser.add_argument(
        "job_args", nargs=argparse.REMAINDER,
        help="arguments of the render job (see `neuroblend render KIND --help`)")


def job_options(kind: str, argv: list[str]):
    """The typed options of render job ``kind`` parsed from its flags ``argv``."""
    flags = importlib.import_module(f"neuroblend.cli.{KINDS[kind]}")
    return flags.options(flags.build_parser().parse_args(argv))


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    return run_job(KINDS[args.kind], job_options(args.kind, args.job_args))
