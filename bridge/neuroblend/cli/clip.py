"""``neuroblend clip trace|network``: matplotlib clips (MP4 or PNG sequence) to layer over renders."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from neuroblend.argtypes import frame_range, pixel_size
from neuroblend.cli.graph_args import add_graph_arguments
from neuroblend.cli.option_flags import ranged
from neuroblend.clips.options import ClipOptions as C
from neuroblend.clips.options import NetworkClipOptions as N
from neuroblend.clips.options import TraceClipOptions as T
from neuroblend.clips.trace import NAMES

HELP = "matplotlib clips on black: voltage traces and branching-network activity (MP4/PNGs)"


def _common(parser) -> None:
    parser.add_argument("--out", required=True, type=Path,
                        help="output .mp4 (H.264) or a folder for frame_NNNN.png")
    parser.add_argument("--fps", **ranged(C, "fps", "frames per second"))
    parser.add_argument("--size", **ranged(C, "size", "WIDTHxHEIGHT pixels", syntax=pixel_size))
    parser.add_argument("--cmap", help="colormap name (any matplotlib colormap)")
    parser.add_argument("--font", type=Path, metavar="FILE.ttf",
                        help="font of the clip's text (default: the bundled DejaVu Sans)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--max-frames", metavar="N", **ranged(C, "max_frames", "refuse clips of "
                                                              "more than N frames"))


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="clip", metavar="KIND", required=True)
    trace = sub.add_parser("trace", help="voltage of chosen compartments drawn over time")
    trace.add_argument("simulation", type=Path, help="neuroblend.simulation file (.pkl)")
    trace.add_argument("--compartments", default="soma",
                       help="comma-separated: soma, soma(0.5), dend[3](0.7), cell:axon")
    trace.add_argument("--frames-per-ms", **ranged(T, "frames_per_ms", "frames per simulated "
                       "millisecond (default: one frame per recorded sample, as in the spike "
                       "render)"))
    trace.add_argument("--start-frame", **ranged(T, "start_frame", "frame that shows the first "
                                                 "recorded time"))
    trace.add_argument("--time-window", nargs=2, metavar=("START", "END"), **ranged(
        T, "time_window", "show only START..END ms: the start frame shows START and the clip "
        "ends at END (as in the spike render)"))
    trace.add_argument("--frames", **ranged(T, "frames", "frames to draw, A-B (default: the start "
                                            "frame to the end)", syntax=frame_range))
    trace.add_argument("--range", nargs=2, metavar=("MIN", "MAX"), **ranged(
        T, "range", "value range for colour and y axis (default: the data's)"))
    trace.add_argument("--fill", action=argparse.BooleanOptionalAction, default=False,
                       help="gradient-filled area under the line")
    trace.add_argument("--axes", action=argparse.BooleanOptionalAction, default=True,
                       help="axes with ticks and labels")
    trace.add_argument("--labels", action=argparse.BooleanOptionalAction, default=True,
                       help="compartment names at the line heads and a time label")
    trace.add_argument("--names", choices=NAMES, default="readable",
                       help="compartment names as people read them (\"dendrite 1, 50%%\") or "
                       "NEURON's own (dend[1](0.5))")
    _common(trace)

    net = sub.add_parser("network", help="branching-network activity: a colormapped grid, or "
                         "a graph whose neurons fly into their layers (--layout graph)")
    net.add_argument("--layout", choices=("grid", "graph"), default="grid",
                     help="grid (pcolormesh of layers x neurons) or graph (neurons and edges)")
    net.add_argument("--layers", **ranged(N, "layers", "layers (M)"))
    net.add_argument("--neurons", **ranged(N, "neurons", "neurons per layer (N)"))
    net.add_argument("--sigma", **ranged(N, "sigma", "branching ratio: mean downstream "
                                         "activations per active neuron"))
    net.add_argument("--p-spont", **ranged(N, "p_spont", "spontaneous activation probability per "
                                           "step (first layer)"))
    net.add_argument("--steps", **ranged(N, "steps", "time steps to simulate"))
    net.add_argument("--max-cells", metavar="N", **ranged(N, "max_cells", "refuse more than N "
                                                          "steps x layers x neurons"))
    net.add_argument("--seed", **ranged(N, "seed", "random seed"))
    net.add_argument("--rise", **ranged(N, "rise", "smoothing kernel rise time constant (steps)"))
    net.add_argument("--decay", **ranged(N, "decay", "smoothing kernel decay time constant "
                                         "(steps)"))
    net.add_argument("--save-data", type=Path, help="also save the simulation (neuroblend.network)")
    net.add_argument("--data", type=Path,
                     help="draw a saved neuroblend.network file instead of simulating")
    net.add_argument("--labels", action=argparse.BooleanOptionalAction, default=True,
                     help="axes and a step counter (grid layout)")
    net.add_argument("--frames", **ranged(N, "frames", "frames to draw, A-B (graph layout; "
                                          "default: start frame to the end)", syntax=frame_range))
    add_graph_arguments(net)
    _common(net)


def run(args) -> int:
    return _run_trace(args) if args.clip == "trace" else _run_network(args)


def _run_trace(args) -> int:
    from neuroblend.cli.render_args import options_from_args
    from neuroblend.clips.compartments import resolve_compartments
    from neuroblend.clips.figure import ClipText
    from neuroblend.clips.trace import Timing, TraceStyle, render_trace_clip
    from neuroblend.files.fileformat import load_document

    opts = options_from_args(T, args)  # orders (--time-window, --range) checked here
    doc = load_document(args.simulation, expect="neuroblend.simulation")
    compartments = resolve_compartments(doc, [n for n in args.compartments.split(",") if n])
    timing = Timing(opts.frames_per_ms, opts.start_frame, opts.frames, opts.time_window)
    style = TraceStyle(cmap=args.cmap or "viridis", value_range=opts.range, fill=args.fill,
                       axes=args.axes, labels=args.labels, names=args.names,
                       text=ClipText.of(args.font))
    out = render_trace_clip(doc, compartments, opts.out, fps=opts.fps, size=opts.size,
                            timing=timing, style=style, progress=not args.quiet,
                            max_frames=opts.max_frames)
    print(f"wrote {out}")
    return 0


def _run_network(args) -> int:
    from neuroblend.clips.figure import ClipText
    from neuroblend.clips.network import render_network_clip
    from neuroblend.files.fileformat import load_document, save_document
    from neuroblend.files.limits import check_limit
    from neuroblend.graph.branching import (
        double_exponential_kernel,
        simulate_branching,
        smooth_activity,
    )
    from neuroblend.graph.budget import GraphLimits, check_graph_size
    from neuroblend.graph.model import graph_edge_count
    from neuroblend.network.network_file import build_network_document

    if args.data:
        doc = load_document(args.data, expect="neuroblend.network")
        shape = doc["active"].shape
    else:
        model = {"layers": args.layers, "neurons": args.neurons, "sigma": args.sigma,
                 "p_spont": args.p_spont, "steps": args.steps, "seed": args.seed}
        shape = (args.steps, args.layers, args.neurons)
    check_limit("steps x layers x neurons", math.prod(shape), args.max_cells, "--max-cells")
    check_limit("the number of steps (frames)", shape[0], args.max_frames, "--max-frames")
    if not args.data:
        check_limit("layers x neurons", args.layers * args.neurons, args.max_neurons,
                    "--max-neurons")
        active = simulate_branching(**model)
        kernel = double_exponential_kernel(args.rise, args.decay)
        doc = build_network_document(active, model, kernel, args.rise, args.decay)
    drawn_edges = args.layout == "graph" or args.save_data  # the saved file gets edges too
    check_graph_size(doc, GraphLimits.from_args(args),
                     graph_edge_count(doc, args.edges) if drawn_edges else None)
    if args.save_data:
        save_document(_with_edges(doc, args.edges), args.save_data)
        print(f"wrote {args.save_data}")
    if args.layout == "graph":
        return _run_graph(doc, args)
    smoothed = smooth_activity(doc["active"], doc["kernel"]["values"])
    out = render_network_clip(smoothed, args.out, fps=args.fps, size=args.size,
                              cmap=args.cmap or "inferno", labels=args.labels,
                              progress=not args.quiet, text=ClipText.of(args.font))
    print(f"wrote {out}")
    return 0


def _with_edges(doc: dict, density: float | None) -> dict:
    """``doc`` holding sampled edges (at ``density``) when it has none or others are asked for."""
    from neuroblend.graph.edges import edges_record
    from neuroblend.graph.model import DEFAULT_DENSITY

    if "edges" in doc and density is None:
        return doc
    model = doc["model"]
    edges = edges_record(int(model["layers"]), int(model["neurons"]),
                         DEFAULT_DENSITY if density is None else density, int(model["seed"]))
    return {**doc, "version": max(int(doc["version"]), 2), "edges": edges}


def _run_graph(doc: dict, args) -> int:
    from neuroblend.clips.graph import GraphStyle, render_graph_clip
    from neuroblend.graph.model import build_graph
    from neuroblend.graph.options import graph_options

    graph = build_graph(doc, graph_options(args))
    out = render_graph_clip(graph, args.out, frames=args.frames, fps=args.fps, size=args.size,
                            style=GraphStyle(cmap=args.cmap or "inferno"),
                            progress=not args.quiet)
    print(f"wrote {out}")
    return 0
