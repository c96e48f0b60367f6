"""Spike shot of a film: a simulation file's playback, built as ``neuroblend render spike`` builds
it (:func:`neuroblend.blender.simulation.scene.build_simulation_scene`); the clock keys the root's
``nb_time_start`` so output frame k + 1 shows data time ``data_times[k]`` (ms).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.blender.core import playback_clock
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.film.clock_keys import constant_keys
from neuroblend.spike.render_options import SpikeRenderOptions


def build(job: dict, scene, doc: dict | None = None) -> dict:
    """Spike playback; the clock keys the root's ``nb_time_start`` so frame k shows its time.

    ``doc``: the loaded simulation (default: the job's data file).
    """
    from neuroblend.blender.simulation.scene import build_simulation_scene
    from neuroblend.blender.spike import camera as spike_camera
    from neuroblend.blender.spike import playback as spike_playback

    options = SpikeRenderOptions.with_look(job["data"], job["out"], job["look"])
    doc = spike_playback.load_simulation(Path(job["data"])) if doc is None else doc
    root = build_simulation_scene(options, scene, doc)
    spike_playback.frame_simulation(root, scene, view=tuple(job["view"]))
    times = job["data_times"] or [float(root["nb_time_start"])]
    playback_clock.key_clock(root, times)
    constant_keys(root)
    lo, hi = world_bounds(spike_playback.cell_objects(root), what="cells in the simulation")
    return {"center": (np.add(lo, hi) / 2).tolist(),
            "soma": list(spike_camera.soma_target(root)[0])}
