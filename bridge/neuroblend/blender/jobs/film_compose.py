"""Compose a film's parts into the MP4: ``film_compose PLAN.json`` (written by ``neuroblend film``)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import bpy

from neuroblend.blender.core import render
from neuroblend.blender.film.compose_film import compose_film


def main(argv: list[str]) -> int:
    plan = json.loads(Path(argv[0]).read_text())
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    with tempfile.TemporaryDirectory(prefix="neuroblend-film-") as work:
        frames = compose_film(scene, plan, work)
        render.render_video(scene, plan["out"], frames)  # the voiceover is muxed afterwards
    return 0
