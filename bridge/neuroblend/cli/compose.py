"""``neuroblend compose LAYER... --out final.mp4``: merge clips and renders with Blender's sequencer."""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.clips.options import parse_frames, parse_size, positive

HELP = "merge clips and renders into one video (screen/add/alpha-over, position, timing)"
LAYER_SYNTAX = (
    "Layers, bottom first: PATH or PATH:key=value,... with PATH an .mp4/.mov/.mkv, a folder of "
    "PNG frames or one image (a still). Keys: blend=screen|add|alpha-over|replace (default "
    "screen), start=FRAME (output frame of the layer's first frame), speed=S (0.5 = half "
    "speed), fps=F (the layer's own rate; videos: read from the file), x=PX, y=PX (offset from "
    "the centre, +y up), scale=K, opacity=0..1. Example: render.mp4 "
    "trace.mp4:start=10,x=-400,y=-200,scale=0.4")


def add_arguments(parser) -> None:
    """Compose options; also used by the Blender job ``neuroblend.blender.jobs.compose``."""
    parser.description = f"{HELP}. {LAYER_SYNTAX}"
    parser.add_argument("layers", nargs="+", metavar="LAYER", help="PATH[:key=value,...]")
    parser.add_argument("--out", required=True, type=Path,
                        help="final .mp4 (written atomically), or a folder for frame_NNNN.png")
    parser.add_argument("--size", type=parse_size,
                        help="output WIDTHxHEIGHT (default: the first layer's)")
    parser.add_argument("--fps", type=positive(float),
                        help="output frames per second (default: the first layer's; 30 for PNGs)")
    parser.add_argument("--frames", type=parse_frames,
                        help="output frames A-B (default: from 1 until the last layer ends)")


def job_argv(args) -> list[str]:
    """The parsed options as the argument list of the Blender job."""
    argv = [*args.layers, "--out", str(args.out)]
    if args.size:
        argv += ["--size", f"{args.size[0]}x{args.size[1]}"]
    if args.fps:
        argv += ["--fps", repr(args.fps)]
    if args.frames:
        argv += ["--frames", f"{args.frames[0]}-{args.frames[1]}"]
    return argv


def run(args) -> int:
    from neuroblend.blender_runner import run_job
    from neuroblend.clips.layers import parse_layer

    for spec in args.layers:
        parse_layer(spec)  # bad layers fail here with one line, before Blender starts
    return run_job("compose", job_argv(args))


def build_parser() -> argparse.ArgumentParser:
    """The stand-alone parser (for the Blender job and scripts/compose.py)."""
    parser = argparse.ArgumentParser(prog="neuroblend compose")
    add_arguments(parser)
    return parser
