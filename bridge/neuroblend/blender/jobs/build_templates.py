"""Rebuild the template scenes in ``blend_templates/``: ``python scripts/build_templates.py``."""

from __future__ import annotations

import argparse
from pathlib import Path

import bpy

from neuroblend.blender.core.render import save_blend
from neuroblend.blender.core.templates import REPO_TEMPLATES, build_studio_template


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="build_templates", description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO_TEMPLATES,
                        help=f"folder for the templates (default: {REPO_TEMPLATES})")
    args = parser.parse_args(argv)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    build_studio_template(bpy.context.scene)
    save_blend(args.out / "studio.blend")
    return 0
