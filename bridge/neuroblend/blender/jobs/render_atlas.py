"""Render atlas regions headlessly: the context brain as glass, regions in their preset, orbiting.

Options: :class:`~neuroblend.atlas.render_options.AtlasRenderOptions` (from ``neuroblend render
atlas regions.pkl --out DIR [--turntable] ...``, flags in :mod:`neuroblend.cli.render_atlas`).
"""

from __future__ import annotations

from pathlib import Path

import bpy

from neuroblend.atlas.render_options import DEFAULT_TURNTABLE_FRAMES, AtlasRenderOptions
from neuroblend.blender.atlas import atlas_import
from neuroblend.blender.core import render, scale_bar, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.job_options import options_from_argv

Options = AtlasRenderOptions


def run(args: AtlasRenderOptions) -> list[Path]:
    """Import the atlas file and render/save what ``args`` ask for; returns the files written."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=(1280, 720), samples=32)
    imported = atlas_import.import_atlas_file(
        args.input, region_preset=args.region_preset, context_preset=args.context_preset,
        gradient_axis=args.gradient_axis, colormap=args.colormap, scene=scene)
    for line in imported.warnings:
        print(f"warning: {line}")
    lo, hi = world_bounds(imported.objects, vertices=True, what="atlas regions")
    studio.frame_camera(lo, hi, scene, view=args.view, orbit=args.turntable)
    if args.turntable:
        start, end = args.frames or DEFAULT_TURNTABLE_FRAMES
        scene.frame_start, scene.frame_end = start, end
        studio.add_turntable(scene, (lo + hi) / 2, start, end)
    render.apply_render_arguments(scene, args)
    scale_bar.add_camera_scale_bar(scene, args.scale_bar, micrometres=1000.0)  # atlases: mm
    return render.print_outputs(render.render_outputs(scene, args, default_frame=scene.frame_start))


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(AtlasRenderOptions, argv))
    return 0
