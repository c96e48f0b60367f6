"""``neuroblend colorbar NAME --out FILE.png``: a colormap rendered through Blender as a strip.

The options become a :class:`~neuroblend.colormaps.colorbar_options.ColorbarOptions` for the
Blender job ``neuroblend.blender.jobs.colorbar`` (``scripts/colorbar.py`` runs this command).
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.argtypes import pixel_size
from neuroblend.cli.option_flags import ranged
from neuroblend.colormaps.colorbar_options import ColorbarOptions as D

HELP = "render a colormap as a colorbar PNG through Blender (optionally with tick labels)"


def add_arguments(parser) -> None:
    parser.add_argument("name", help="colormap name, e.g. viridis, magma_r, coolwarm")
    parser.add_argument("--out", required=True, type=Path, help="PNG file to write")
    parser.add_argument("--mode", choices=("exact", "ramp"), default=D.mode,
                        help="exact: 256-entry lookup image (default); ramp: fitted ColorRamp")
    parser.add_argument("--stops", **ranged(D, "stops", "ColorRamp stops in ramp mode"))
    parser.add_argument("--size", **ranged(D, "size", "WIDTHxHEIGHT pixels", syntax=pixel_size))
    parser.add_argument("--min", dest="vmin", **ranged(D, "vmin", "value at the left end"))
    parser.add_argument("--max", dest="vmax", **ranged(D, "vmax", "value at the right end"))
    parser.add_argument("--ticks", **ranged(D, "ticks", "number of evenly spaced tick labels from "
                                            "min to max (0: none; not 1)"))
    parser.add_argument("--reverse", action="store_true", help="run the colormap right to left")
    parser.add_argument("--samples", **ranged(D, "samples", "Cycles samples"))
    parser.add_argument("--font", type=Path, metavar="FILE.ttf",
                        help="font of the tick labels (default: the bundled DejaVu Sans)")


def options(args) -> D:
    """The parsed arguments as the job's options."""
    return D(args.name, args.out, mode=args.mode, stops=args.stops, size=args.size,
             vmin=args.vmin, vmax=args.vmax, ticks=args.ticks, reverse=args.reverse,
             samples=args.samples, font=args.font)


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    job = options(args)
    job.check()
    return run_job("colorbar", job)
