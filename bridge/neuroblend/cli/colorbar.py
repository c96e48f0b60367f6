"""``neuroblend colorbar NAME --out FILE.png``: a colormap rendered through Blender as a strip.

The arguments are defined here once; the Blender job ``neuroblend.blender.jobs.colorbar`` parses
the same ones, so ``scripts/colorbar.py`` under ``blender -b`` takes them too.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from neuroblend.argtypes import finite_float
from neuroblend.errors import NeuroBlendError

HELP = "render a colormap as a colorbar PNG through Blender (optionally with tick labels)"


def parse_size(text: str) -> tuple[int, int]:
    """``"512x48"`` -> (512, 48)."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 512x48") from None
    if not (4 <= width <= 16384 and 4 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"--size {text!r}: sides must be 4..16384 pixels")
    return width, height


def add_arguments(parser) -> None:
    parser.add_argument("name", help="colormap name, e.g. viridis, magma_r, coolwarm")
    parser.add_argument("--out", required=True, type=Path, help="PNG file to write")
    parser.add_argument("--mode", choices=("exact", "ramp"), default="exact",
                        help="exact: 256-entry lookup image (default); ramp: fitted ColorRamp")
    parser.add_argument("--stops", type=int, default=32, help="ColorRamp stops in ramp mode, 2..32")
    parser.add_argument("--size", type=parse_size, default=(512, 48), help="WIDTHxHEIGHT pixels")
    parser.add_argument("--min", dest="vmin", type=finite_float, default=0.0, help="value at the left end")
    parser.add_argument("--max", dest="vmax", type=finite_float, default=1.0, help="value at the right end")
    parser.add_argument("--ticks", type=int, default=0,
                        help="number of evenly spaced tick labels from min to max (0: none)")
    parser.add_argument("--reverse", action="store_true", help="run the colormap right to left")
    parser.add_argument("--samples", type=int, default=16, help="Cycles samples (default 16)")


def check_args(args) -> None:
    """Refuse bad arguments with one clear line (before Blender starts)."""
    from neuroblend.colormaps import luts as colormaps

    colormaps.resolve_name(args.name)
    if args.mode == "ramp":
        colormaps.check_stops(args.stops)
    if not (math.isfinite(args.vmin) and math.isfinite(args.vmax)) or not args.vmin < args.vmax:
        raise NeuroBlendError(f"--min {args.vmin} --max {args.vmax}: need finite numbers, min < max")
    if args.ticks < 0 or args.ticks == 1 or args.ticks > 50:
        raise NeuroBlendError(f"--ticks {args.ticks}: use 0 (no labels) or 2..50")
    if args.samples < 1:
        raise NeuroBlendError(f"--samples {args.samples}: must be at least 1")
    if args.out.suffix.lower() != ".png":
        raise NeuroBlendError(f"--out {args.out}: the colorbar is a PNG; name it *.png")


def to_argv(args) -> list[str]:
    """The job's command line for parsed ``args``."""
    argv = [args.name, "--out", str(args.out), "--mode", args.mode, "--stops", str(args.stops),
            "--size", f"{args.size[0]}x{args.size[1]}", f"--min={args.vmin!r}",
            f"--max={args.vmax!r}", "--ticks", str(args.ticks), "--samples", str(args.samples)]
    return argv + (["--reverse"] if args.reverse else [])


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    check_args(args)
    return run_job("colorbar", to_argv(args))
