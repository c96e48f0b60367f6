"""``neuroblend render spike SIM.pkl --out DIR ...``: the flags of the spike render job.

The parsed flags become a :class:`~neuroblend.spike.render_options.SpikeRenderOptions` for the
Blender job ``neuroblend.blender.jobs.render_spike`` (defaults come from that dataclass).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.cli.network_limits import add_network_limit_arguments
from neuroblend.cli.option_flags import add_setting_flags, default_text, ranged
from neuroblend.cli.render_args import add_render_arguments, options_from_args
from neuroblend.network.geometry import AUTO_FULL_MAX_CELLS, AUTO_SIMPLIFIED_MAX_CELLS, LEVELS
from neuroblend.spike.playback_settings import SpikeLook
from neuroblend.spike.render_options import CAMERA_PRESETS, SpikeRenderOptions

D = SpikeRenderOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``neuroblend render spike``."""
    parser = argparse.ArgumentParser(prog="neuroblend render spike", description=(
        "Render a NeuroBlend simulation file: each compartment lit by its value through a "
        "colormap, glowing as it depolarises (data baked into the scene)."))
    parser.add_argument("input", type=Path, help="simulation file (.pkl from `neuroblend "
                        "simulate`, or a BlenderSpike pickle)")
    groups = add_setting_flags(parser, SpikeLook)
    groups["geometry"].add_argument("--lod", choices=("auto",) + LEVELS, default=D.lod,
                     help="networks: level of detail of the cells (auto: full up to "
                     f"{AUTO_FULL_MAX_CELLS} cells, simplified up to {AUTO_SIMPLIFIED_MAX_CELLS}, "
                     "then soma only)")
    groups["timing"].add_argument("--time-window", nargs=2, metavar=("START", "END"), **ranged(
        D, "time_window", "show only START..END ms: the start frame shows START and the frame "
        "range ends at END"))
    shot = parser.add_argument_group("camera")
    shot.add_argument("--camera", choices=CAMERA_PRESETS, default=D.camera,
                      help="whole: the whole cell; soma: close-up of the soma and trunks; dolly: "
                           "whole cell in to the soma, arriving as the spike starts; orbit: turn "
                           "once around the cells over the frame range ("
                           f"{default_text(D.camera)})")
    shot.add_argument("--turntable", action="store_true", help="the same as --camera orbit")
    add_network_limit_arguments(parser)
    add_render_arguments(parser)
    return parser


def options(args: argparse.Namespace) -> SpikeRenderOptions:
    """The parsed flags as the job's options."""
    return options_from_args(SpikeRenderOptions, args)
