"""Compose a film's parts into its frames (options:
:class:`~neuroblend.film.render_options.FilmComposeOptions`, from ``neuroblend film``)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import bpy

from neuroblend.blender.core import render
from neuroblend.blender.film.compose_film import compose_film
from neuroblend.film.render_options import FilmComposeOptions
from neuroblend.job_options import options_from_argv

Options = FilmComposeOptions


def run(options: FilmComposeOptions) -> list[Path]:
    """Compose the plan's parts into the film's frames (``plan["out"]``, a folder of
    ``frame_NNNN.png``; :mod:`neuroblend.film.build` encodes them); returns the frames."""
    plan = json.loads(Path(options.plan_file).read_text())
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    with tempfile.TemporaryDirectory(prefix="neuroblend-film-") as work:
        frames = compose_film(scene, plan, work)
        return render.render_sequence(scene, plan["out"], frames)


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(FilmComposeOptions, argv))
    return 0
