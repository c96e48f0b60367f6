"""``neuroblend colorbar NAME --out FILE.png``: a colormap rendered through Blender as a strip.

The options become a :class:`~neuroblend.colormaps.colorbar_options.ColorbarOptions` for the
Blender job ``neuroblend.blender.jobs.colorbar`` (``scripts/colorbar.py`` runs this command).
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.argtypes import finite_float, pixel_size
from neuroblend.colormaps.colorbar_options import ColorbarOptions

HELP = "render a colormap as a colorbar PNG through Blender (optionally with tick labels)"


def add_arguments(parser) -> None:
    parser.add_argument("name", help="colormap name, e.g. viridis, magma_r, coolwarm")
    parser.add_argument("--out", required=True, type=Path, help="PNG file to write")
    parser.add_argument("--mode", choices=("exact", "ramp"), default="exact",
                        help="exact: 256-entry lookup image (default); ramp: fitted ColorRamp")
    parser.add_argument("--stops", type=int, default=32, help="ColorRamp stops in ramp mode, 2..32")
    parser.add_argument("--size", type=pixel_size(4, 16384, "512x48"), default=(512, 48),
                        help="WIDTHxHEIGHT pixels")
    parser.add_argument("--min", dest="vmin", type=finite_float, default=0.0, help="value at the left end")
    parser.add_argument("--max", dest="vmax", type=finite_float, default=1.0, help="value at the right end")
    parser.add_argument("--ticks", type=int, default=0,
                        help="number of evenly spaced tick labels from min to max (0: none)")
    parser.add_argument("--reverse", action="store_true", help="run the colormap right to left")
    parser.add_argument("--samples", type=int, default=16, help="Cycles samples (default 16)")


def options(args) -> ColorbarOptions:
    """The parsed arguments as the job's options."""
    return ColorbarOptions(args.name, args.out, mode=args.mode, stops=args.stops, size=args.size,
                           vmin=args.vmin, vmax=args.vmax, ticks=args.ticks, reverse=args.reverse,
                           samples=args.samples)


def run(args) -> int:
    from neuroblend.blender_runner import run_job

    job = options(args)
    job.check()
    return run_job("colorbar", job)
