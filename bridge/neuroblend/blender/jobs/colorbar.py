"""Render a colormap as a colorbar PNG (options: :class:`ColorbarOptions`, from ``neuroblend colorbar``)."""

from __future__ import annotations

from pathlib import Path

from neuroblend.blender.colormaps.colorbar import render_colorbar
from neuroblend.colormaps import ramp_fit
from neuroblend.colormaps.colorbar_options import ColorbarOptions
from neuroblend.job_options import options_from_argv

Options = ColorbarOptions


def run(options: ColorbarOptions) -> list[Path]:
    """Render the colorbar; returns the files written."""
    path = render_colorbar(options.name, options.out, mode=options.mode, size=options.size,
                           vmin=options.vmin, vmax=options.vmax, ticks=options.ticks,
                           reverse=options.reverse, n_stops=options.stops, samples=options.samples,
                           font=options.font)
    detail = ""
    if options.mode == "ramp":
        fit = ramp_fit.fit_ramp(options.name, options.stops,
                                 ramp_fit.default_interpolation(options.name))
        detail = f" (ramp: {len(fit.positions)} stops, max error {fit.max_error_8bit:.2f}/255)"
    print(f"wrote {path}{detail}")
    return [Path(path)]


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(ColorbarOptions, argv))
    return 0
