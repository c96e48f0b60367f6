"""Render the studio template scene (or a fresh studio scene) headlessly.

``neuroblend render studio --out DIR [--template FILE.blend] [render options]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bpy

from neuroblend.blender.core import render
from neuroblend.blender.core.templates import STUDIO_TEMPLATE, build_studio_template
from neuroblend.errors import NeuroBlendError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuroblend render studio",
        description="Render the NeuroBlend studio template: a check that headless rendering works.")
    parser.add_argument("--template", type=Path, default=STUDIO_TEMPLATE,
                        help=f"template .blend to open (default: {STUDIO_TEMPLATE.name}; "
                        "built fresh if the file is missing)")
    render.add_render_arguments(parser)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.template.exists():
        try:
            bpy.ops.wm.open_mainfile(filepath=str(args.template), load_ui=False)
        except RuntimeError as exc:
            raise NeuroBlendError(f"{args.template}: cannot open as a .blend ({exc})") from None
    elif args.template == STUDIO_TEMPLATE:
        bpy.ops.wm.read_factory_settings(use_empty=True)
        build_studio_template(bpy.context.scene)
    else:
        raise NeuroBlendError(f"{args.template}: no such template file")
    scene = bpy.context.scene
    render.apply_render_arguments(scene, args)
    written = render.render_outputs(scene, args)
    for kind, paths in written.items():
        for path in paths if isinstance(paths, list) else [paths]:
            print(f"{kind}: {path}")
    return 0
