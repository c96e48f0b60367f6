"""Compose clips and renders into one video with Blender's video sequencer.

``neuroblend compose LAYER... --out final.mp4 [--size WxH] [--fps N] [--frames A-B]``; options
and layer syntax in :mod:`neuroblend.cli.compose`. ``--out`` ending in .mp4 writes a video
(atomically), anything else a folder of frame_NNNN.png.
"""

from __future__ import annotations

import tempfile

import bpy

from neuroblend.blender.compose.sequencer import build_composition
from neuroblend.blender.core import render
from neuroblend.cli.compose import build_parser
from neuroblend.clips.layers import parse_layer
from neuroblend.errors import NeuroBlendError


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.out.suffix and args.out.suffix.lower() != ".mp4":
        raise NeuroBlendError(f"--out {args.out}: give a .mp4 file or a folder for PNG frames")
    layers = [parse_layer(spec) for spec in args.layers]
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    with tempfile.TemporaryDirectory(prefix="neuroblend-compose-") as work:
        first, last = build_composition(scene, layers, work, size=args.size, fps=args.fps,
                                        frames=args.frames)
        frames = range(first, last + 1)
        if args.out.suffix.lower() == ".mp4":
            render.render_video(scene, args.out, frames)
        else:
            render.render_sequence(scene, args.out, frames)
            print(f"wrote {len(frames)} frames to {args.out}")
    return 0
