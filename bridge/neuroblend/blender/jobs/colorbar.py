"""Render a colormap as a colorbar PNG: ``neuroblend colorbar NAME --out FILE.png [options]``."""

from __future__ import annotations

import argparse

from neuroblend.blender.colormaps.colorbar import render_colorbar
from neuroblend.cli import colorbar as cli
from neuroblend.colormaps import luts as colormaps


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="neuroblend colorbar", description=cli.HELP)
    cli.add_arguments(parser)
    args = parser.parse_args(argv)
    cli.check_args(args)
    path = render_colorbar(args.name, args.out, mode=args.mode, size=args.size,
                                  vmin=args.vmin, vmax=args.vmax, ticks=args.ticks,
                                  reverse=args.reverse, n_stops=args.stops, samples=args.samples)
    detail = ""
    if args.mode == "ramp":
        fit = colormaps.fit_ramp(args.name, args.stops, colormaps.default_interpolation(args.name))
        detail = f" (ramp: {len(fit.positions)} stops, max error {fit.max_error_8bit:.2f}/255)"
    print(f"wrote {path}{detail}")
    return 0
