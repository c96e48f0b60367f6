"""Units shot of a film: recorded units (a ``neuroblend.units`` file) flashing on their spikes.

Built by the same function as ``neuroblend render units`` (``units_scene.build_units_scene``); the clock
keys the root's ``nb_time_start`` so output frame k + 1 shows data time ``data_times[k]`` (ms), as
the spike shot does.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np

from neuroblend.blender.core import playback_clock
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.film.clock_keys import constant_keys
from neuroblend.nwb.render_options import UnitsRenderOptions


def build(job: dict, scene) -> dict:
    """Build the units shot into ``scene``; returns its camera target (center)."""
    from neuroblend.blender.units.units_scene import build_units_scene

    floats = {f.name for f in fields(UnitsRenderOptions) if str(f.type).startswith("float")}
    look = {k: float(v) if k in floats and v is not None else v for k, v in job["look"].items()}
    options = UnitsRenderOptions(input=Path(job["data"]), out=Path(job["out"]),
                                 view=tuple(job["view"]), **look)
    built, plan = build_units_scene(options, scene)
    root = built.root
    playback_clock.key_clock(root, job["data_times"] or [plan.time0])
    constant_keys(root)
    lo, hi = world_bounds([built.units], evaluated=True, what="units")
    return {"center": (np.add(lo, hi) / 2).tolist()}
