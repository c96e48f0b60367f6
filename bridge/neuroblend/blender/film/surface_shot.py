"""Surface shot of a film: a sliced heightmap (or the demo landscape); the clock keys the slicing
plane's position (fraction 0..1 of the way across) per output frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.film.clock_keys import constant_keys


def build(job: dict, scene) -> dict:
    """Sliced heightmap; the clock keys the slicing plane's position (fraction 0..1)."""
    from neuroblend.blender.surface import slicer
    from neuroblend.surface.heightmap import demo_landscape, heightmap_from_files

    look = dict(job["look"])
    doc = heightmap_from_files([Path(job["data"])]) if job["data"] else demo_landscape()
    surface = slicer.build_sliced_surface(
        doc, height_scale=look.get("height_scale"), mode=look.get("mode", "mesh"),
        axis=look.get("axis", "X"), band_width=look.get("band_width"),
        band_strength=look.get("band_strength", 3.0), colormap=look.get("colormap", "viridis"),
        color_by=look.get("color_by", "height"), wireframe=not look.get("no_wireframe", False),
        flip=look.get("flip", False))
    slicer.frame_surface_camera(surface, scene)
    plane = slicer.slicer_parts(surface)[0]
    for frame, fraction in enumerate(job["data_times"] or [], start=1):
        slicer.set_slice_position(surface, fraction)
        plane.keyframe_insert("location", frame=frame)
    constant_keys(plane)
    lo, hi = world_bounds([surface], evaluated=True, what="surface")
    return {"center": (np.add(lo, hi) / 2).tolist()}
