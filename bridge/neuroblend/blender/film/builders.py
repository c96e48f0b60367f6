"""The bpy builder of each shot kind, found by name: kind ``X`` is built by ``build(job, scene)``
in ``neuroblend.blender.film.X_shot`` (the pure registry, :mod:`neuroblend.film.kinds`, names
none: pure code never refers to the bpy layer). A builder gets the job (kind, data, look, view,
data times per output frame) and the scene, builds the kind's scene through the same functions as
``neuroblend render <kind>``, keys the clock so output frame k + 1 shows ``data_times[k]`` (a
constant keyframe per frame: no Python per frame, the saved scene renders the same) and returns
the camera targets it offers.
"""

from __future__ import annotations

import importlib
import pkgutil

import neuroblend.blender.film as shot_modules
from neuroblend.errors import NeuroBlendError

SUFFIX = "_shot"


def shot_kinds() -> list[str]:
    """The kinds that have a builder module here."""
    return sorted(m.name.removesuffix(SUFFIX) for m in pkgutil.iter_modules(shot_modules.__path__)
                  if m.name.endswith(SUFFIX))


def build_shot(job: dict, scene) -> dict:
    """Build the job's shot into ``scene`` with its kind's builder; returns its camera targets."""
    kinds = shot_kinds()
    if job["kind"] not in kinds:
        raise NeuroBlendError(f"shot kind {job['kind']!r} has no Blender builder (kinds with "
                              f"one: {', '.join(kinds)})")
    module = importlib.import_module(f"neuroblend.blender.film.{job['kind']}{SUFFIX}")
    return module.build(job, scene)
