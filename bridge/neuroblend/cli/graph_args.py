"""Command-line flags of the graph animation, shared by ``clip network --layout graph`` and
``render network`` so the same flags give the same, frame-synced animation."""

from __future__ import annotations

import argparse

from neuroblend.argtypes import frame_range
from neuroblend.cli.option_flags import ranged
from neuroblend.errors import NeuroBlendError
from neuroblend.graph.render_options import NetworkRenderOptions as D


def _rearrange(low: int, high: int):
    """``START-END`` frames (END after START), both in ``low..high``."""
    frames = frame_range(low, high)

    def parse(text: str) -> tuple[int, int]:
        from neuroblend.graph.motion import parse_rearrange

        frames(text)  # the bounds first (its message quotes the text cut short), then END > START
        try:
            return parse_rearrange(text)
        except NeuroBlendError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.bounds = frames.bounds  # type: ignore[attr-defined]
    return parse


def add_graph_arguments(parser, *, rearrange_required: bool = False) -> None:
    """--rearrange, --stagger, --edges, --depth, --layout-seed, --frames-per-step, --start-frame,
    and the graph's size limits --max-neurons, --max-edges."""
    graph = parser.add_argument_group("graph animation")
    graph.add_argument("--rearrange", required=rearrange_required, metavar="START-END", **ranged(
        D, "rearrange", "frames over which the neurons fly from shuffled places into their "
        "layers, e.g. 30-90", syntax=_rearrange))
    graph.add_argument("--stagger", **ranged(D, "stagger", "spread of the neurons' departure "
                                             "times as a fraction of the move (0: all together)"))
    graph.add_argument("--edges", metavar="DENSITY", **ranged(
        D, "edges", "draw this fraction of the connections (default: the file's edges, else "
        "0.02)"))
    graph.add_argument("--depth", **ranged(D, "depth", "fold each layer this many neurons deep "
                                           "along the view axis (3-D)"))
    graph.add_argument("--layout-seed", **ranged(D, "layout_seed", "seed of the shuffled layout "
                                                 "and the stagger"))
    graph.add_argument("--frames-per-step", **ranged(D, "frames_per_step", "animation frames per "
                                                     "simulation step"))
    graph.add_argument("--start-frame", **ranged(D, "start_frame", "frame that shows the first "
                                                 "step"))
    graph.add_argument("--max-neurons", metavar="N", **ranged(
        D, "max_neurons", "refuse graphs of more than N neurons, layers x neurons"))
    graph.add_argument("--max-edges", metavar="N", **ranged(
        D, "max_edges", "refuse graphs drawing more than N edges"))
