"""``neuroblend render KIND ...``: render a NeuroBlend scene headlessly through Blender."""

from __future__ import annotations

import argparse

HELP = "render spike/surface/atlas/studio/network scenes headlessly (stills, PNG sequences, MP4)"
KINDS = {
    "spike": "render_spike",
    "surface": "render_surface",
    "atlas": "render_atlas",
    "studio": "render_studio",
    "network": "render_network",
}


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=sorted(KINDS), help="what to render")
    parser.add_argument(
        "job_args", nargs=argparse.REMAINDER,
        help="arguments of the render job (see `neuroblend render KIND --help`)")


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    return run_job(KINDS[args.kind], args.job_args)
