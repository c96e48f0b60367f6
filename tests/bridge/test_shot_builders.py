"""Every shot kind a storyboard accepts has its Blender builder, found by name
(``neuroblend/blender/film/<kind>_shot.py`` with ``build(job, scene)``), and nothing else does."""

from __future__ import annotations

import ast
from pathlib import Path

from neuroblend.film.kinds import SHOT_KINDS

FILM = Path(__file__).resolve().parents[2] / "bridge" / "neuroblend" / "blender" / "film"


def builder_modules() -> dict[str, Path]:
    return {path.stem.removesuffix("_shot"): path for path in FILM.glob("*_shot.py")}


def test_shot_kinds_and_builder_modules_are_the_same_set():
    modules = builder_modules()
    assert sorted(modules) == sorted(SHOT_KINDS)
    for kind, path in modules.items():
        tree = ast.parse(path.read_text())
        assert "build" in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}, kind
