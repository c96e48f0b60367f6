"""``neuroblend render spike SIM.pkl --out DIR ...``: the flags of the spike render job.

The parsed flags become a :class:`~neuroblend.spike.render_options.SpikeRenderOptions` for the
Blender job ``neuroblend.blender.jobs.render_spike`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.cli.network_limits import add_network_limit_arguments
from neuroblend.cli.option_flags import ranged
from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.cli.scale_bar_args import add_scale_bar_argument
from neuroblend.network.geometry import AUTO_FULL_MAX_CELLS, AUTO_SIMPLIFIED_MAX_CELLS, LEVELS
from neuroblend.spike.render_options import CAMERA_PRESETS, SOMA_SHAPES, SpikeRenderOptions

D = SpikeRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render spike``."""
    parser = argparse.ArgumentParser(prog="neuroblend render spike", description=(
        "Render a NeuroBlend simulation file: each compartment lit by its value through a "
        "colormap, glowing as it depolarises (data baked into the scene)."))
    parser.add_argument("input", type=Path, help="simulation file (.pkl from `neuroblend "
                        "simulate`, or a BlenderSpike pickle)")
    look = parser.add_argument_group("look")
    look.add_argument("--colormap", default=D.colormap, help="matplotlib colormap name")
    look.add_argument("--colormap-mode", choices=("exact", "ramp"), default=D.colormap_mode)
    look.add_argument("--vmin", **ranged(D, "vmin", "value at the colormap's low end (default: "
                                         "1st percentile of the data)"))
    look.add_argument("--vmax", **ranged(D, "vmax", "value at the colormap's high end (default: "
                                         "99.9th percentile)"))
    look.add_argument("--reverse", action="store_true", help="reverse the colormap")
    look.add_argument("--glow", **ranged(D, "glow", "extra emission at the top value"))
    look.add_argument("--brightness", **ranged(D, "brightness", "emission at rest"))
    look.add_argument("--rest-lift", **ranged(D, "rest_lift", "white added at rest so the whole "
                                              "cell shows on black (0: off)"))
    look.add_argument("--rim", **ranged(D, "rim", "Fresnel rim on the emission, a depth cue "
                                        "(0: off)"))
    look.add_argument("--time-label", action=argparse.BooleanOptionalAction, default=D.time_label,
                      help="show the simulation time (default: on)")
    look.add_argument("--colorbar", action=argparse.BooleanOptionalAction, default=D.colorbar,
                      help="show a colorbar with the value range (default: on)")
    add_scale_bar_argument(look, D, "um")
    geo = parser.add_argument_group("geometry")
    geo.add_argument("--radius-scale", **ranged(D, "radius_scale", "tube radius multiplier"))
    geo.add_argument("--min-radius", **ranged(D, "min_radius", "minimum tube radius (um)"))
    geo.add_argument("--homogeneity", **ranged(D, "homogeneity", "blend radii towards the cell's "
                                               "mean radius"))
    geo.add_argument("--tube-resolution", **ranged(D, "tube_resolution", "most vertices around "
                                                   "a tube (thin or far tubes get fewer)"))
    geo.add_argument("--soma", choices=SOMA_SHAPES, default=D.soma,
                     help="soma shape (auto: the traced outline when the file has one)")
    geo.add_argument("--smoothing", **ranged(D, "smoothing", "extra subdivision levels for hero "
                                             "shots"))
    geo.add_argument("--min-pixels", **ranged(D, "min_pixels", "minimum on-screen tube width in "
                                              "pixels (0: off)"))
    geo.add_argument("--lod", choices=("auto",) + LEVELS, default=D.lod,
                     help="networks: level of detail of the cells (auto: full up to "
                     f"{AUTO_FULL_MAX_CELLS} cells, simplified up to {AUTO_SIMPLIFIED_MAX_CELLS}, "
                     "then soma only)")
    timing = parser.add_argument_group("timing")
    timing.add_argument("--frames-per-ms", **ranged(D, "frames_per_ms", "animation frames per "
                                                    "simulated ms (default: one per sample)"))
    timing.add_argument("--start-frame", **ranged(D, "start_frame", "frame showing the first "
                                                  "sample"))
    timing.add_argument("--time-window", nargs=2, metavar=("START", "END"), **ranged(
        D, "time_window", "show only START..END ms: the start frame shows START and the frame "
        "range ends at END"))
    shot = parser.add_argument_group("camera")
    shot.add_argument("--camera", choices=CAMERA_PRESETS, default=D.camera,
                      help="whole: the whole cell; soma: close-up of the soma and trunks; dolly: "
                           "whole cell in to the soma, arriving as the spike starts; orbit: turn "
                           "once around the cells over the frame range (default whole)")
    shot.add_argument("--turntable", action="store_true", help="the same as --camera orbit")
    add_network_limit_arguments(parser)
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> SpikeRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(SpikeRenderOptions, args)
