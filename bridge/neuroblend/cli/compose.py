"""``neuroblend compose LAYER... --out final.mp4``: merge clips and renders with Blender's sequencer."""

from __future__ import annotations

from pathlib import Path

from neuroblend.argtypes import frame_range, pixel_size
from neuroblend.cli.option_flags import default_text, ranged
from neuroblend.clips.compose_options import ComposeOptions as D
from neuroblend.clips.layers import Layer

HELP = "merge clips and renders into one video (screen/add/alpha-over, position, timing)"
LAYER_SYNTAX = (
    "Layers, bottom first: PATH or PATH:key=value,... with PATH an .mp4/.mov/.mkv, a folder of "
    "PNG frames or one image (a still). Keys: blend=screen|add|alpha-over|replace "
    f"({default_text(Layer.blend)}), start=FRAME (output frame of the layer's first frame), speed=S (0.5 = half "
    "speed), fps=F (the layer's own rate; videos: read from the file), x=PX, y=PX (offset from "
    "the centre, +y up), scale=K, opacity=0..1. Example: render.mp4 "
    "trace.mp4:start=10,x=-400,y=-200,scale=0.4")


def add_arguments(parser) -> None:
    """Compose options (layers, output, size, rate, frames)."""
    parser.description = f"{HELP}. {LAYER_SYNTAX}"
    parser.add_argument("layers", nargs="+", metavar="LAYER", help="PATH[:key=value,...]")
    parser.add_argument("--out", required=True, type=Path,
                        help="final .mp4 (written atomically), or a folder for frame_NNNN.png")
    parser.add_argument("--size", **ranged(D, "size", "output WIDTHxHEIGHT (default: the first "
                                           "layer's)", syntax=pixel_size))
    parser.add_argument("--fps", **ranged(D, "fps", "output frames per second (default: the first "
                                          "layer's; 30 for PNGs)"))
    parser.add_argument("--frames", **ranged(D, "frames", "output frames A-B (default: from 1 "
                                             "until the last layer ends)", syntax=frame_range))


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    job = D(tuple(args.layers), args.out, size=args.size, fps=args.fps, frames=args.frames)
    job.check()  # bad layers fail here with one line, before Blender starts
    return run_job("compose", job)
