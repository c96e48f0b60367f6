"""Shot scenes of a film, one builder per kind, each baking its clock into keyframes.

A builder gets the job (kind, data, look, view, data times per output frame) and the scene, builds
the kind's scene through the same functions as ``neuroblend render <kind>``, keys the clock so
output frame k + 1 shows ``data_times[k]`` (a constant keyframe per frame: no Python per frame,
the saved scene renders the same) and returns the camera targets it offers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.settings_table import rows
from neuroblend.spike.render_options import SpikeRenderOptions
from neuroblend.surface.render_options import SurfaceRenderOptions


def constant_keys(id_data) -> None:
    """Hold every keyframe of ``id_data`` until the next (one key per output frame)."""
    for curve in compat.fcurves(id_data):
        for point in curve.keyframe_points:
            point.interpolation = "CONSTANT"


def build_spike(job: dict, scene, doc: dict | None = None) -> dict:
    """Spike playback; the clock keys the root's ``nb_time_start`` so frame k shows its time.

    ``doc``: the loaded simulation (default: the job's data file).
    """
    from neuroblend.blender.jobs import render_spike
    from neuroblend.blender.spike import camera as spike_camera
    from neuroblend.blender.spike import playback as spike_playback

    options = SpikeRenderOptions.with_look(job["data"], job["out"], job["look"])
    doc = spike_playback.load_simulation(Path(job["data"])) if doc is None else doc
    root = render_spike.build_scene(options, scene, doc)
    spike_playback.frame_simulation(root, scene, view=tuple(job["view"]))
    times = job["data_times"] or [float(root["nb_time_start"])]
    playback_clock.key_clock(root, times)
    constant_keys(root)
    lo, hi = world_bounds(spike_playback.cell_objects(root), what="cells in the simulation")
    return {"center": (np.add(lo, hi) / 2).tolist(),
            "soma": list(spike_camera.soma_target(root)[0])}


def build_surface(job: dict, scene) -> dict:
    """Sliced heightmap; the clock keys the slicing plane's position (fraction 0..1)."""
    from neuroblend.blender.surface import slicer
    from neuroblend.surface.heightmap import demo_landscape, heightmap_from_files

    look = {**{r.name: r.default for r in rows(SurfaceRenderOptions)}, **job["look"]}
    doc = heightmap_from_files([Path(job["data"])]) if job["data"] else demo_landscape()
    surface = slicer.build_sliced_surface(
        doc, height_scale=look["height_scale"], mode=look["mode"], axis=look["axis"],
        band_width=look["band_width"], band_strength=look["band_strength"],
        colormap=look["colormap"], color_by=look["color_by"], wireframe=not look["no_wireframe"],
        flip=look["flip"])
    slicer.frame_surface_camera(surface, scene)
    plane = slicer.slicer_parts(surface)[0]
    for frame, fraction in enumerate(job["data_times"] or [], start=1):
        slicer.set_slice_position(surface, fraction)
        plane.keyframe_insert("location", frame=frame)
    constant_keys(plane)
    lo, hi = world_bounds([surface], evaluated=True, what="surface")
    return {"center": (np.add(lo, hi) / 2).tolist()}


def build_atlas(job: dict, scene) -> dict:
    """Atlas regions with the glass context brain (no clock)."""
    from neuroblend.blender.atlas import atlas_import

    imported = atlas_import.import_atlas_file(Path(job["data"]), scene=scene, **job["look"])
    lo, hi = world_bounds(imported.objects, vertices=True, what="atlas regions")
    studio.frame_camera(lo, hi, scene, view=tuple(job["view"]))
    return {"center": ((np.asarray(lo) + np.asarray(hi)) / 2).tolist()}
