"""The output/render flags every ``neuroblend render KIND`` accepts, and parsed flags as options."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TypeVar

from neuroblend.argtypes import frame_range, pixel_size, positive_int
from neuroblend.render_device import DEVICES
from neuroblend.render_options import ENGINES, RenderOptions

T = TypeVar("T")


def add_render_arguments(parser: argparse.ArgumentParser) -> None:
    """The output/render options every render job accepts."""
    out = parser.add_argument_group("output")
    out.add_argument("--out", required=True, type=Path,
                     help="folder for rendered PNG frames (created if needed)")
    out.add_argument("--frames", type=frame_range,
                     help="frame or range to render as PNGs, e.g. 1 or 1-90 (default: one still)")
    out.add_argument("--video", type=Path, help="also render the frame range to this MP4 file")
    out.add_argument("--save-blend", type=Path,
                     help="save the built scene as a self-contained .blend")
    out.add_argument("--no-render", action="store_true",
                     help="build (and save) the scene without rendering")
    look = parser.add_argument_group("render")
    look.add_argument("--resolution", type=pixel_size(4, 16384), default=None, help="WIDTHxHEIGHT")
    look.add_argument("--samples", type=positive_int, default=None, help="render samples")
    look.add_argument("--engine", choices=ENGINES, default=None)
    look.add_argument("--fps", type=positive_int, default=None, help="frames per second")
    look.add_argument("--device", choices=DEVICES, default=RenderOptions.device,
                      help="Cycles device: auto (the best GPU Cycles finds, else the CPU), cpu, "
                      "gpu, or a GPU backend (default: auto)")
    look.add_argument("--threads", type=positive_int, default=None,
                      help="render threads (default: all cores)")


def options_from_args(cls: type[T], args: argparse.Namespace) -> T:
    """The ``cls`` options dataclass holding the parsed ``args`` (one field per flag; lists such
    as ``nargs=2`` values become tuples)."""
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
