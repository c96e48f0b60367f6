"""``neuroblend render spike SIM.pkl --out DIR ...``: the flags of the spike render job.

The parsed flags become a :class:`~neuroblend.spike.render_options.SpikeRenderOptions` for the
Blender job ``neuroblend.blender.jobs.render_spike`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.argtypes import finite_float, positive_float
from neuroblend.cli.network_limits import add_network_limit_arguments
from neuroblend.cli.render_args import add_render_arguments, options_from_args
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
    look.add_argument("--vmin", type=finite_float, help="value at the colormap's low end "
                      "(default: 1st percentile of the data)")
    look.add_argument("--vmax", type=finite_float, help="value at the colormap's high end "
                      "(default: 99.9th percentile)")
    look.add_argument("--reverse", action="store_true", help="reverse the colormap")
    look.add_argument("--glow", type=finite_float, default=D.glow, help="extra emission at the top value")
    look.add_argument("--brightness", type=finite_float, default=D.brightness, help="emission at rest")
    look.add_argument("--rest-lift", type=finite_float, default=D.rest_lift,
                      help="white added at rest so the whole cell shows on black (0: off)")
    look.add_argument("--rim", type=finite_float, default=D.rim,
                      help="Fresnel rim on the emission, a depth cue (0: off; default 1)")
    look.add_argument("--time-label", action=argparse.BooleanOptionalAction, default=D.time_label,
                      help="show the simulation time (default: on)")
    look.add_argument("--colorbar", action=argparse.BooleanOptionalAction, default=D.colorbar,
                      help="show a colorbar with the value range (default: on)")
    geo = parser.add_argument_group("geometry")
    geo.add_argument("--radius-scale", type=finite_float, default=D.radius_scale, help="tube radius multiplier")
    geo.add_argument("--min-radius", type=finite_float, default=D.min_radius,
                     help="minimum tube radius (um)")
    geo.add_argument("--homogeneity", type=finite_float, default=D.homogeneity,
                     help="0..1: blend radii towards the cell's mean radius")
    geo.add_argument("--tube-resolution", type=int, default=D.tube_resolution,
                     help="most vertices around a tube (thin or far tubes get fewer)")
    geo.add_argument("--soma", choices=SOMA_SHAPES, default=D.soma,
                     help="soma shape (auto: the traced outline when the file has one)")
    geo.add_argument("--smoothing", type=int, default=D.smoothing, choices=range(4),
                     help="extra subdivision levels for hero shots (default 0)")
    geo.add_argument("--min-pixels", type=finite_float, default=D.min_pixels,
                     help="minimum on-screen tube width in pixels (0: off; default 1.5)")
    geo.add_argument("--lod", choices=("auto",) + LEVELS, default=D.lod,
                     help="networks: level of detail of the cells (auto: full up to "
                     f"{AUTO_FULL_MAX_CELLS} cells, simplified up to {AUTO_SIMPLIFIED_MAX_CELLS}, "
                     "then soma only)")
    timing = parser.add_argument_group("timing")
    timing.add_argument("--frames-per-ms", type=positive_float,
                        help="animation frames per simulated ms (default: one frame per sample)")
    timing.add_argument("--start-frame", type=int, default=D.start_frame,
                        help="frame showing the first sample (default 1)")
    timing.add_argument("--time-window", type=finite_float, nargs=2, metavar=("START", "END"),
                        help="show only START..END ms: the start frame shows START and the "
                             "frame range ends at END")
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
