"""Render recorded units (a ``neuroblend.units`` file) flashing on their spikes, optionally in
atlas regions.

Options: :class:`~neuroblend.nwb.render_options.UnitsRenderOptions` (from ``neuroblend render
units units.pkl --out DIR [--atlas-file A.pkl] ...``, flags in :mod:`neuroblend.cli.render_units`).
"""

from __future__ import annotations

from pathlib import Path

import bpy

from neuroblend.blender.core import fonts, render, studio
from neuroblend.blender.units import units_scene
from neuroblend.job_options import options_from_argv
from neuroblend.nwb.render_options import DEFAULT_FPS, UnitsRenderOptions

Options = UnitsRenderOptions


def studio_scene(args: UnitsRenderOptions):
    """A fresh studio scene at the job's frame rate, in the job's font."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=(1280, 720), samples=32,
                                      fps=args.fps or DEFAULT_FPS)
    fonts.use_font(scene, args.font)
    return scene


def run(args: UnitsRenderOptions) -> list[Path]:
    """Build the units scene and render/save what ``args`` ask for; returns the files written."""
    scene = studio_scene(args)
    units_scene.build_units_scene(args, scene)
    render.apply_render_arguments(scene, args)
    return render.print_outputs(render.render_outputs(scene, args, default_frame=scene.frame_current))


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(UnitsRenderOptions, argv))
    return 0
