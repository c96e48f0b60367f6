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
from neuroblend.nwb.units_plan import busiest_frame

Options = UnitsRenderOptions


def build(args: UnitsRenderOptions, scene=None):
    """Load the files, plan and build the scene; returns (scene, UnitsScene, plan)."""
    if scene is None:
        bpy.ops.wm.read_factory_settings(use_empty=True)
        scene = studio.setup_studio_scene(bpy.context.scene, resolution=(1280, 720), samples=32,
                                          fps=args.fps or DEFAULT_FPS)
        fonts.use_font(scene, args.font)
    built, plan = units_scene.import_units_file(args, scene)
    scene.frame_start = args.start_frame
    scene.frame_end = args.start_frame + plan.frames - 1
    scene.frame_set(busiest_frame(plan, args.start_frame))
    units_scene.frame_units(built, scene, args.view)
    return scene, built, plan


def run(args: UnitsRenderOptions) -> list[Path]:
    """Build the units scene and render/save what ``args`` ask for; returns the files written."""
    scene, _built, _plan = build(args)
    render.apply_render_arguments(scene, args)
    return render.print_outputs(render.render_outputs(scene, args, default_frame=scene.frame_current))


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(UnitsRenderOptions, argv))
    return 0
