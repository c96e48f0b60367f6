"""The output/render flags every ``neuroblend render KIND`` accepts, and parsed flags as options."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TypeVar

from neuroblend.argtypes import frame_range, pixel_size
from neuroblend.cli.cluster_args import add_dask_arguments
from neuroblend.cli.option_flags import default_text, ranged
from neuroblend.render_device import DEVICES
from neuroblend.render_options import ENGINES
from neuroblend.render_options import RenderOptions as D

T = TypeVar("T")


def add_render_arguments(parser: argparse.ArgumentParser) -> None:
    """The output/render options every render job accepts."""
    out = parser.add_argument_group("output")
    out.add_argument("--out", required=True, type=Path,
                     help="folder for rendered PNG frames (created if needed)")
    out.add_argument("--frames", **ranged(D, "frames", "frame or range to render as PNGs, e.g. 1 "
                                          "or 1-90 (default: one still)", syntax=frame_range))
    out.add_argument("--video", type=Path, help="also render the frame range to this MP4 file")
    out.add_argument("--save-blend", type=Path,
                     help="save the built scene as a self-contained .blend")
    out.add_argument("--no-render", action="store_true",
                     help="build (and save) the scene without rendering")
    out.add_argument("--verbose", action="store_true",
                     help="show Blender's own log lines (per frame) besides the progress line")
    look = parser.add_argument_group("render")
    look.add_argument("--resolution", **ranged(D, "resolution", "WIDTHxHEIGHT", syntax=pixel_size))
    look.add_argument("--samples", **ranged(D, "samples", "render samples"))
    look.add_argument("--engine", choices=ENGINES, default=None)
    look.add_argument("--fps", **ranged(D, "fps", "frames per second"))
    look.add_argument("--device", choices=DEVICES, default=D.device,
                      help="Cycles device: auto (the best GPU Cycles finds, else the CPU), cpu, "
                      "gpu, or a GPU backend "
                      f"({default_text(D.device)})")
    look.add_argument("--font", type=Path, metavar="FILE.ttf",
                      help="font of the render's text: time label, colorbar labels (a .ttf or "
                      ".otf file; default: the bundled DejaVu Sans)")
    add_dask_arguments(parser)
    look.add_argument("--threads", **ranged(D, "threads", "render threads (0 or unset: all cores)"))


def options_from_args(cls: type[T], args: argparse.Namespace) -> T:
    """The ``cls`` options dataclass holding the parsed ``args`` (one field per flag; lists such
    as ``nargs=2`` values become tuples)."""
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
