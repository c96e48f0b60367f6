"""Render a heightmap as a sliced surface headlessly.

``neuroblend render surface [HEIGHTMAP] --out DIR [slicer options] [render options]``

With no input, a built-in demo landscape (a mixture of 2-D Gaussians) is rendered.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import bpy

from neuroblend.argtypes import finite_float, positive_float, rgb_color
from neuroblend.blender.core import render, studio
from neuroblend.blender.surface import slicer
from neuroblend.surface.heightmap import demo_landscape, heightmap_from_files


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuroblend render surface",
        description="Render a heightmap as a 3-D surface cut by a slicing plane: solid and "
                    "coloured on one side, wireframe on the other, a glowing band between.")
    parser.add_argument("input", nargs="?", type=Path,
                        help="heightmap file (.pkl from `neuroblend heightmap`, or .npy/.npz/"
                             ".csv/.png/.tif); default: a demo landscape")
    surface = parser.add_argument_group("surface")
    surface.add_argument("--height-scale", type=finite_float,
                         help="multiply heights by this (default: relief = 35%% of the width)")
    surface.add_argument("--mode", choices=("mesh", "displace"), default="mesh",
                         help="exact heights in the mesh, or a flat grid + Displace modifier")
    surface.add_argument("--frames-per-step", type=positive_float, default=1.0,
                         help="scene frames per data frame of an animated heightmap")
    cut = parser.add_argument_group("slicer")
    cut.add_argument("--axis", choices=("X", "Y", "Z"), default="X", type=str.upper,
                     help="world axis the plane cuts across")
    cut.add_argument("--position", type=finite_float, default=0.5,
                     help="plane position as a fraction of the extent along the axis (0..1)")
    cut.add_argument("--flip", action="store_true", help="swap the solid and wireframe sides")
    cut.add_argument("--colormap", default="viridis", help="matplotlib colormap name")
    cut.add_argument("--color-by", choices=slicer.COLOR_BY, default="height")
    cut.add_argument("--band-width", type=finite_float, help="glowing band width (Blender units)")
    cut.add_argument("--band-color", type=rgb_color, default=(0.15, 0.7, 1.0), metavar="R,G,B")
    cut.add_argument("--band-strength", type=finite_float, default=3.0)
    cut.add_argument("--no-wireframe", action="store_true", help="hide the wireframe twin")
    anim = parser.add_argument_group("animation")
    anim.add_argument("--sweep", action="store_true",
                      help="sweep the plane across the surface over the frame range")
    anim.add_argument("--orbit", action="store_true",
                      help="circle the camera once around the surface over the frame range")
    render.add_render_arguments(parser)
    return parser


def _default_frames(doc: dict, args) -> tuple[int, int]:
    """1 to the last data frame of an animated heightmap (at least 1-120 for a sweep/orbit)."""
    z = doc["z"]
    end = 1 + round((z.shape[0] - 1) * args.frames_per_step) if z.ndim == 3 else 1
    return 1, max(end, 120 if (args.sweep or args.orbit) else 1)


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
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
    written = render.render_outputs(scene, args, default_frame=start)
    for kind, paths in written.items():
        for path in paths if isinstance(paths, list) else [paths]:
            print(f"{kind}: {path}")
    return 0
