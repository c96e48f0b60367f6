"""Compose clips and renders into one video with Blender's video sequencer.

Options: :class:`~neuroblend.clips.compose_options.ComposeOptions` (from ``neuroblend compose``;
layer syntax in :mod:`neuroblend.cli.compose`). ``out`` ending in .mp4 writes a video
(atomically), anything else a folder of frame_NNNN.png.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import bpy

from neuroblend.blender.compose.sequencer import build_composition
from neuroblend.blender.core import render
from neuroblend.clips.compose_options import ComposeOptions
from neuroblend.clips.layers import parse_layer
from neuroblend.job_options import options_from_argv

Options = ComposeOptions


def run(options: ComposeOptions) -> list[Path]:
    """Compose the layers; returns the files written (the video, or the PNG frames)."""
    options.check()
    layers = [parse_layer(spec) for spec in options.layers]
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    with tempfile.TemporaryDirectory(prefix="neuroblend-compose-") as work:
        first, last = build_composition(scene, layers, work, size=options.size, fps=options.fps,
                                        frames=options.frames)
        frames = range(first, last + 1)
        if options.out.suffix.lower() == ".mp4":
            return [Path(render.render_video(scene, options.out, frames))]
        written = render.render_sequence(scene, options.out, frames)
        print(f"wrote {len(frames)} frames to {options.out}")
        return list(written)


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(ComposeOptions, argv))
    return 0
