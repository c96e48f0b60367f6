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


def parse_job_args(kind: str, argv: list[str]):
    """The flags ``argv`` of render job ``kind``: (its typed options, where it renders)."""
    from neuroblend.cli.cluster_args import cluster_options
    from neuroblend.console import set_verbose

    flags = importlib.import_module(f"neuroblend.cli.{KINDS[kind]}")
    args = flags.build_parser().parse_args(argv)
    if args.verbose:  # Blender's own log lines, here and in every child process
        set_verbose(True)
    return flags.options(args), cluster_options(args, getattr(args, "threads", None))


def job_options(kind: str, argv: list[str]):
    """The typed options of render job ``kind`` parsed from its flags ``argv``."""
    return parse_job_args(kind, argv)[0]


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    options, cluster = parse_job_args(args.kind, args.job_args)
    if cluster.distributed:
        from neuroblend.render_chunks import render_distributed

        return render_distributed(args.kind, KINDS[args.kind], args.job_args, options, cluster)
    return run_job(KINDS[args.kind], options)
