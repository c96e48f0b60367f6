"""Neuron morphologies as meshes: one object per cell, tubes along the 3D points, built with numpy.

Every vertex carries the row of ``values`` it shows (integer point attribute ``nb_compartment``),
mapped by normalised arc length: compartment k of a section with n compartments covers
[k/n, (k+1)/n). Rings are inserted (twice, one per side) at every compartment boundary so no face
spans two compartments. A child tube starts at its parent's point at ``parent_x``, so branch
points join without gaps. Each vertex also stores its ring centre (``nb_center``) and the traced
radius in um (``nb_radius``): the "NB Tube Thickness" geometry-nodes modifier (``tube_thickness``)
recomputes the tube radius from them, so thickness options change after import without rebuilding
the mesh, and keeps every tube at least ``min_pixels`` wide on screen. Side counts adapt to each
tube's on-screen radius; tube ends close in smooth tips; trunks flare into the soma (``soma_mesh``),
which follows its traced outline when the file has one, else is a sphere of equal area.
"""

from __future__ import annotations

from collections.abc import Callable

import bpy

from neuroblend.blender.spike import tube_thickness
from neuroblend.blender.spike.tube_thickness import CENTER_ATTRIBUTE, RADIUS_ATTRIBUTE
from neuroblend.spike.tube_geometry import CellGeometry, TubeOptions, cell_geometry

ROW_ATTRIBUTE = "nb_compartment"
SMOOTHING_MODIFIER = "NeuroBlend Smoothing"


# --------------------------------------------------------------------------- numpy geometry


# --------------------------------------------------------------------------- Blender objects

def mesh_from_geometry(name: str, geo: CellGeometry):
    """A new mesh datablock with the geometry and its NeuroBlend attributes (bulk foreach_set)."""
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(geo.positions))
    mesh.vertices.foreach_set("co", geo.positions.ravel())
    mesh.loops.add(len(geo.loop_vertices))
    mesh.loops.foreach_set("vertex_index", geo.loop_vertices)
    mesh.polygons.add(len(geo.loop_start))
    mesh.polygons.foreach_set("loop_start", geo.loop_start)
    mesh.update(calc_edges=True)
    mesh.attributes.new(ROW_ATTRIBUTE, "INT", "POINT").data.foreach_set("value", geo.rows)
    mesh.attributes.new(CENTER_ATTRIBUTE, "FLOAT_VECTOR", "POINT").data.foreach_set(
        "vector", geo.centers.ravel())
    mesh.attributes.new(RADIUS_ATTRIBUTE, "FLOAT", "POINT").data.foreach_set(
        "value", geo.radius_um)
    mesh.shade_smooth()  # every face: tubes, tips and somata
    return mesh


def build_cell_objects(doc: dict, options: TubeOptions | None = None, *, collection=None,
                       name_prefix: str = "",
                       progress: Callable[[int, int, str], None] | None = None) -> list:
    """One mesh object per cell of simulation document ``doc`` (linked to ``collection``)."""
    options = (options or TubeOptions()).check()
    collection = collection or bpy.context.scene.collection
    objects = []
    cells = doc["cells"]
    for i, cell in enumerate(cells):
        geo = cell_geometry(cell, options)
        name = f"{name_prefix}{cell['name']}"
        obj = bpy.data.objects.new(name, mesh_from_geometry(name, geo))
        collection.objects.link(obj)
        tube_thickness.add_thickness_modifier(obj, geo.mean_radius_um, options)
        if options.smoothing:
            add_smoothing(obj, options.smoothing)
        if geo.soma_center is not None:
            obj["nb_soma_center"] = [float(v) for v in geo.soma_center]
            obj["nb_soma_radius"] = geo.soma_radius
        objects.append(obj)
        if progress is not None:
            progress(i + 1, len(cells), f"{name}: {len(cell['sections']['name'])} sections, "
                     f"{len(geo.positions)} vertices")
    return objects


def add_smoothing(obj, levels: int):
    """Extra smoothing for hero shots: a Subdivision Surface after the thickness modifier."""
    mod = obj.modifiers.get(SMOOTHING_MODIFIER) or obj.modifiers.new(SMOOTHING_MODIFIER, "SUBSURF")
    mod.levels = mod.render_levels = int(levels)
    return mod
