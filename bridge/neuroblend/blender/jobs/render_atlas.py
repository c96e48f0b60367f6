"""Render atlas regions headlessly: the context brain as glass, regions in their preset, orbiting.

``neuroblend render atlas regions.pkl --out DIR [--turntable] [--frames 1-120] [render options]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bpy

from neuroblend.blender.atlas import atlas_import
from neuroblend.blender.core import render, studio
from neuroblend.blender.core.bounds import world_bounds

DEFAULT_TURNTABLE_FRAMES = (1, 120)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuroblend render atlas",
        description="Render a neuroblend.atlas file (from `neuroblend atlas export`).")
    parser.add_argument("input", type=Path, help="atlas .pkl file")
    parser.add_argument("--turntable", action="store_true",
                        help="orbit the camera once around the regions over the frame range "
                        f"(default frames {DEFAULT_TURNTABLE_FRAMES[0]}-"
                        f"{DEFAULT_TURNTABLE_FRAMES[1]})")
    parser.add_argument("--region-preset", choices=atlas_import.PRESETS, default="atlas",
                        help="material of the regions (default: atlas colours)")
    parser.add_argument("--context-preset", choices=atlas_import.PRESETS, default="glass",
                        help="material of the atlas root, the whole-brain context (default: glass)")
    parser.add_argument("--gradient-axis", choices=atlas_import.AXES, default="Z",
                        help="axis of the glow preset's colour gradient")
    parser.add_argument("--colormap", default="viridis", help="colormap of the glow preset")
    parser.add_argument("--view", type=_view, default=(1.0, -1.4, 0.8), metavar="X,Y,Z",
                        help="direction from the regions to the camera (default 1,-1.4,0.8)")
    render.add_render_arguments(parser)
    return parser


def _view(text: str) -> tuple[float, float, float]:
    try:
        x, y, z = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--view {text!r}: expected X,Y,Z") from None
    if x == y == z == 0:
        raise argparse.ArgumentTypeError("--view must not be 0,0,0")
    return x, y, z


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
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
    written = render.render_outputs(scene, args, default_frame=scene.frame_start)
    for kind, paths in written.items():
        for path in paths if isinstance(paths, list) else [paths]:
            print(f"{kind}: {path}")
    return 0
