"""Graph shot of a film: a neuroblend.network file as the rearranging layered graph.

The clock gives a model step per output frame (see :mod:`neuroblend.film.graph_options`: graph
frame == step, and the rearrange window is in steps). Output frame k + 1 is keyed to show step
``data_times[k]``: the morph ``Factor`` gets the value the model gives at that step and the root's
``nb_time_start`` puts the baked activity at that step (constant keys, no Python per frame), so a
graph clip on the same clock draws the same instant.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.film.clock_keys import constant_keys
from neuroblend.blender.graph import scene as graph_scene
from neuroblend.film.graph_options import EDGE_COLOR, graph_options
from neuroblend.graph.render_options import GraphLook


def build(job: dict, scene) -> dict:
    """Build the graph shot into ``scene``; returns its camera targets (center, layers)."""
    look = job["look"]
    options = graph_options(look)
    default = GraphLook()
    graph_look = GraphLook(
        colormap=look.get("colormap", default.colormap),
        brightness=look.get("brightness", default.brightness), glow=look.get("glow", default.glow),
        edge_color=tuple(look.get("edge_color", EDGE_COLOR)),
        edge_strength=look.get("edge_strength", default.edge_strength),
        rest_lift=look.get("rest_lift", default.rest_lift), rim=look.get("rim", default.rim))
    root, graph = graph_scene.import_network_graph(
        graph_scene.load_network(job["data"]), options, look=graph_look, scene=scene,
        name=Path(job["data"]).stem)
    lo, hi = graph.bounds()
    studio.frame_camera(tuple(lo), tuple(hi), scene, view=tuple(job["view"]))
    key_steps(root, graph, job["data_times"] or [options.rearrange.end])
    layered = graph.layered.astype(np.float64)
    return {"center": ((lo + hi) / 2).tolist(),
            "layers": ((layered.min(axis=0) + layered.max(axis=0)) / 2).tolist()}


def key_steps(root, graph, steps) -> None:
    """Key output frame k + 1 to show model step ``steps[k]`` (positions and activity)."""
    obj = graph_scene.graph_object(root)
    mod = obj.modifiers[graph_scene.MODIFIER]
    path = compat.modifier_input_path(mod, "Factor")
    obj.animation_data_clear()
    for frame, step in enumerate(steps, start=1):
        compat.set_modifier_input(mod, "Factor", graph.factor(float(step)))
        obj.keyframe_insert(data_path=path, frame=frame)
    playback_clock.key_clock(root, steps)
    constant_keys(obj)
    constant_keys(root)
