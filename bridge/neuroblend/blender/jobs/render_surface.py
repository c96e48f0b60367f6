"""Render a heightmap as a sliced surface headlessly.

Options: :class:`~neuroblend.surface.render_options.SurfaceRenderOptions` (from ``neuroblend
render surface [HEIGHTMAP] --out DIR ...``, flags in :mod:`neuroblend.cli.render_surface`).

With no input, a built-in demo landscape (a mixture of 2-D Gaussians) is rendered.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import bpy

from neuroblend.blender.core import render, studio
from neuroblend.blender.surface import slicer
from neuroblend.job_options import options_from_argv
from neuroblend.surface.heightmap import demo_landscape, heightmap_from_files
from neuroblend.surface.render_options import SurfaceRenderOptions

Options = SurfaceRenderOptions


def _default_frames(doc: dict, args) -> tuple[int, int]:
    """1 to the last data frame of an animated heightmap (at least 1-120 for a sweep/orbit)."""
    z = doc["z"]
    end = 1 + round((z.shape[0] - 1) * args.frames_per_step) if z.ndim == 3 else 1
    return 1, max(end, 120 if (args.sweep or args.orbit) else 1)


def run(args: SurfaceRenderOptions) -> list[Path]:
    """Build the sliced surface and render/save what ``args`` ask for; returns the files written."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = heightmap_from_files([args.input]) if args.input else demo_landscape()
    for warning in caught:
        print(f"render surface: warning: {warning.message}", file=sys.stderr)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(bpy.context.scene)
    surface = slicer.build_sliced_surface(
        doc, name=args.input.stem if args.input else "Demo Landscape", height_scale=args.height_scale, mode=args.mode,
        frames_per_step=args.frames_per_step, axis=args.axis, position=args.position,
        band_width=args.band_width, band_color=args.band_color,
        band_strength=args.band_strength, colormap=args.colormap, color_by=args.color_by,
        wireframe=not args.no_wireframe, flip=args.flip)
    slicer.frame_surface_camera(surface, scene, orbit=args.orbit)
    render.apply_render_arguments(scene, args)
    start, end = args.frames or _default_frames(doc, args)
    scene.frame_start, scene.frame_end = start, end
    if end > start:
        if args.sweep:
            slicer.animate_slice(surface, start, end)
        if args.orbit:
            slicer.orbit_camera(surface, start, end, scene=scene)
    return render.print_outputs(render.render_outputs(scene, args, default_frame=start))


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(SurfaceRenderOptions, argv))
    return 0
