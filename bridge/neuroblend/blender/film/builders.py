"""The bpy builder of each shot kind (the pure registry, :mod:`neuroblend.film.kinds`, names none:
pure code never refers to the bpy layer). A new kind adds one line here."""

from __future__ import annotations

from collections.abc import Callable

from neuroblend.blender.film import graph_shot, network_shot, shots, units_shot
from neuroblend.errors import NeuroBlendError

BUILDERS: dict[str, Callable] = {
    "spike": shots.build_spike,
    "surface": shots.build_surface,
    "atlas": shots.build_atlas,
    "network": network_shot.build,
    "graph": graph_shot.build,
    "units": units_shot.build,
}


def build_shot(job: dict, scene) -> dict:
    """Build the job's shot into ``scene`` with its kind's builder; returns its camera targets."""
    builder = BUILDERS.get(job["kind"])
    if builder is None:
        raise NeuroBlendError(f"shot kind {job['kind']!r} has no Blender builder (kinds with "
                              f"one: {', '.join(BUILDERS)})")
    return builder(job, scene)
