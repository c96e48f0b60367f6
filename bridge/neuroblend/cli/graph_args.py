"""Command-line flags of the graph animation, shared by ``clip network --layout graph`` and
``render network`` so the same flags give the same, frame-synced animation."""

from __future__ import annotations

import argparse

from neuroblend.argtypes import int_range, positive_float
from neuroblend.errors import NeuroBlendError
from neuroblend.graph.render_options import NetworkRenderOptions as D


def _rearrange(text: str) -> tuple[int, int]:
    from neuroblend.graph.motion import parse_rearrange

    try:
        return parse_rearrange(text)
    except NeuroBlendError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a fraction 0..1")
    return value


def add_graph_arguments(parser, *, rearrange_required: bool = False) -> None:
    """--rearrange, --stagger, --edges, --depth, --layout-seed, --frames-per-step, --start-frame,
    and the graph's size limits --max-neurons, --max-edges."""
    graph = parser.add_argument_group("graph animation")
    graph.add_argument("--rearrange", type=_rearrange, required=rearrange_required,
                       metavar="START-END",
                       help="frames over which the neurons fly from shuffled places into their "
                       "layers, e.g. 30-90")
    graph.add_argument("--stagger", type=_fraction, default=D.stagger,
                       help="spread of the neurons' departure times as a fraction of the move "
                       "(0: all together; default 0.5)")
    graph.add_argument("--edges", type=_fraction, metavar="DENSITY",
                       help="draw this fraction of the connections (default: the file's edges, "
                       "else 0.02)")
    graph.add_argument("--depth", type=int, default=D.depth,
                       help="fold each layer this many neurons deep along the view axis (3-D)")
    graph.add_argument("--layout-seed", type=int, default=D.layout_seed,
                       help="seed of the shuffled layout and the stagger")
    graph.add_argument("--frames-per-step", type=positive_float, default=D.frames_per_step,
                       help="animation frames per simulation step (default 1)")
    graph.add_argument("--start-frame", type=int, default=D.start_frame,
                       help="frame that shows the first step (default 1)")
    graph.add_argument("--max-neurons", type=int_range(1, 100_000_000), default=D.max_neurons,
                       metavar="N", help="refuse graphs of more than N neurons, layers x "
                       "neurons (default %(default)s)")
    graph.add_argument("--max-edges", type=int_range(0, 100_000_000), default=D.max_edges,
                       metavar="N", help="refuse graphs drawing more than N edges "
                       "(default %(default)s)")
