"""Rebuild the template scenes in ``blend_templates/`` (options:
:class:`~neuroblend.render_options.TemplateBuildOptions`, from ``scripts/build_templates.py``)."""

from __future__ import annotations

from pathlib import Path

import bpy

from neuroblend.blender.core.render import save_blend
from neuroblend.blender.core.templates import build_studio_template
from neuroblend.job_options import options_from_argv
from neuroblend.render_options import TemplateBuildOptions

Options = TemplateBuildOptions


def run(options: TemplateBuildOptions) -> list[Path]:
    """Build the studio template; returns the file written."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    build_studio_template(bpy.context.scene)
    return [save_blend(Path(options.out) / "studio.blend")]


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(TemplateBuildOptions, argv))
    return 0
