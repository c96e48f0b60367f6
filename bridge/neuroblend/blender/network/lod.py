"""Cell objects of a network at a level of detail: full morphology, simplified, or soma only.

"full" and "simplified" make one tube mesh per cell (simplified: straight sections, fewer sides);
"soma" makes one mesh holding every cell's soma sphere, which keeps thousands of cells fast. Every
level keeps each vertex's compartment row, so playback is the same at any level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import bpy
import numpy as np

from neuroblend.blender.spike import neuron_mesh, tube_thickness
from neuroblend.network.geometry import LEVELS, simplified_cell, soma_cell
from neuroblend.spike import tube_geometry
from neuroblend.spike.tube_geometry import CellGeometry, TubeOptions

SIMPLIFIED_RESOLUTION = 5
LEVEL_PROPERTY = "nb_level_of_detail"


def merge_geometries(parts: list[CellGeometry]) -> CellGeometry:
    """One CellGeometry holding all ``parts`` (vertex indices shifted)."""
    vert_base = np.cumsum([0] + [len(p.positions) for p in parts[:-1]])
    loop_base = np.cumsum([0] + [len(p.loop_vertices) for p in parts[:-1]])
    return CellGeometry(
        positions=np.concatenate([p.positions for p in parts]),
        centers=np.concatenate([p.centers for p in parts]),
        radius_um=np.concatenate([p.radius_um for p in parts]),
        rows=np.concatenate([p.rows for p in parts]),
        loop_start=np.concatenate([p.loop_start + b for p, b in zip(parts, loop_base,
                                                                    strict=True)]),
        loop_vertices=np.concatenate([p.loop_vertices + b for p, b in zip(parts, vert_base,
                                                                          strict=True)]),
        mean_radius_um=float(np.mean([p.mean_radius_um for p in parts])))


def cell_builder(levels: list[str]) -> Callable:
    """A ``build_cells`` function for ``spike_playback.import_simulation``: cell i drawn at
    ``levels[i]`` (the soma-level cells share one mesh)."""
    bad = [v for v in levels if v not in LEVELS]
    if bad:
        raise ValueError(f"level of detail {bad[0]!r}: use one of {LEVELS}")

    def build(doc: dict, tube: TubeOptions, *, collection=None, name_prefix: str = "",
              progress: Callable | None = None) -> list:
        objects = []
        for level in LEVELS:
            cells = [c for c, v in zip(doc["cells"], levels, strict=True) if v == level]
            if cells:
                made = _build_level(level, dict(doc, cells=cells), tube, collection,
                                    name_prefix, progress)
                for obj in made:
                    obj[LEVEL_PROPERTY] = level
                objects += made
        return objects

    return build


def _build_level(level: str, doc: dict, tube: TubeOptions, collection, name_prefix: str,
                 progress: Callable | None) -> list:
    if level == "full":
        return neuron_mesh.build_cell_objects(doc, tube, collection=collection,
                                              name_prefix=name_prefix, progress=progress)
    if level == "simplified":
        simple = dict(doc, cells=[simplified_cell(c) for c in doc["cells"]])
        coarse = replace(tube, resolution=min(tube.resolution, SIMPLIFIED_RESOLUTION))
        return neuron_mesh.build_cell_objects(simple, coarse, collection=collection,
                                              name_prefix=name_prefix, progress=progress)
    if progress is not None:
        progress(len(doc["cells"]), len(doc["cells"]), "soma spheres in one mesh")
    return [_somata_object(doc, tube, collection, f"{name_prefix}somata")]


def _somata_object(doc: dict, tube: TubeOptions, collection, name: str):
    geo = merge_geometries([tube_geometry.cell_geometry(soma_cell(c), tube) for c in doc["cells"]])
    obj = bpy.data.objects.new(name, neuron_mesh.mesh_from_geometry(name, geo))
    (collection or bpy.context.scene.collection).objects.link(obj)
    tube_thickness.add_thickness_modifier(obj, geo.mean_radius_um, tube)
    return obj
