"""Render the studio template scene (or a fresh studio scene) headlessly.

Options: :class:`~neuroblend.render_options.StudioRenderOptions` (from ``neuroblend render studio
--out DIR [--template FILE.blend] ...``, flags in :mod:`neuroblend.cli.render_studio`).
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.blender.core import render
from neuroblend.blender.core.templates import open_studio_template
from neuroblend.job_options import options_from_argv
from neuroblend.render_options import StudioRenderOptions

Options = StudioRenderOptions


def run(args: StudioRenderOptions) -> list[Path]:
    """Open the template and render/save what ``args`` ask for; returns the files written."""
    scene = open_studio_template(args.template)
    render.apply_render_arguments(scene, args)
    return render.print_outputs(render.render_outputs(scene, args))


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(StudioRenderOptions, argv))
    return 0
