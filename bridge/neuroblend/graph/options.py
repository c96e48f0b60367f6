"""Graph animation options from parsed flags (``cli.graph_args`` declares the flags shared by
``clip network --layout graph`` and ``render network``, so both give the same animation)."""

from __future__ import annotations

from neuroblend.errors import NeuroBlendError


def graph_options(args):
    """:class:`GraphOptions` from parsed arguments."""
    from neuroblend.graph.budget import GraphLimits
    from neuroblend.graph.model import GraphOptions
    from neuroblend.graph.motion import Rearrange

    if args.rearrange is None:
        raise NeuroBlendError("the graph layout needs --rearrange START-END (frames)")
    start, end = args.rearrange
    return GraphOptions(Rearrange(start, end, args.stagger, args.layout_seed), depth=args.depth,
                        seed=args.layout_seed, density=args.edges,
                        frames_per_step=args.frames_per_step, start_frame=args.start_frame,
                        limits=GraphLimits.from_args(args))
