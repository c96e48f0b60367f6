"""``neuroblend render network NET.pkl --rearrange START-END ...``: the flags of the network job.

The parsed flags become a :class:`~neuroblend.graph.render_options.NetworkRenderOptions` for the
Blender job ``neuroblend.blender.jobs.render_network`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.cli.graph_args import add_graph_arguments
from neuroblend.cli.option_flags import add_setting_flags, ranged
from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.graph.render_options import NetworkRenderOptions

D = NetworkRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render network``."""
    parser = argparse.ArgumentParser(
        prog="neuroblend render network",
        description="Render a neuroblend.network file as glowing neurons coloured by activity "
                    "that fly from shuffled places into their layers, edges attached.")
    parser.add_argument("input", type=Path, help="neuroblend.network file (.pkl)")
    add_graph_arguments(parser, rearrange_required=True)
    limits = parser.add_argument_group("size limits")
    limits.add_argument("--max-cells", metavar="N", **ranged(
        D, "max_cells", "refuse more than N smoothed steps x layers x neurons"))
    limits.add_argument("--max-frames", metavar="N", **ranged(
        D, "max_frames", "refuse more than N smoothed steps"))
    add_setting_flags(parser, D)
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> NetworkRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(NetworkRenderOptions, args)
