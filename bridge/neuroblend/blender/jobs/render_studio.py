"""Render the studio template scene (or a fresh studio scene) headlessly.

``neuroblend render studio --out DIR [--template FILE.blend] [render options]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

from neuroblend.blender.core import render
from neuroblend.blender.core.templates import STUDIO_TEMPLATE, open_studio_template


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuroblend render studio",
        description="Render the NeuroBlend studio template: a check that headless rendering works.")
    parser.add_argument("--template", type=Path, default=STUDIO_TEMPLATE,
                        help=f"template .blend to open (default: {STUDIO_TEMPLATE.name}; "
                        "built fresh if it is missing or saved by a newer Blender)")
    render.add_render_arguments(parser)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    scene = open_studio_template(args.template)
    render.apply_render_arguments(scene, args)
    written = render.render_outputs(scene, args)
    for kind, paths in written.items():
        for path in paths if isinstance(paths, list) else [paths]:
            print(f"{kind}: {path}")
    return 0
