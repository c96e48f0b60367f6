"""Surface shot of a film: a sliced heightmap (or the demo landscape); the clock keys the slicing
plane's position (fraction 0..1 of the way across) per output frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.film.clock_keys import constant_keys
from neuroblend.settings_table import rows
from neuroblend.surface.render_options import SurfaceRenderOptions


def build(job: dict, scene) -> dict:
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
