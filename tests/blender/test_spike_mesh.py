"""Neuron tube meshes: vertex -> compartment mapping, joins, radii, live thickness."""

from __future__ import annotations

import bpy
import numpy as np
from spike_docs import toy_document

from neuroblend.blender.core import compat
from neuroblend.blender.spike import neuron_mesh, tube_thickness
from neuroblend.spike.tube_geometry import TubeOptions


def test_mesh_object_attributes_and_live_thickness():
    doc = toy_document(n_cells=2)
    objects = neuron_mesh.build_cell_objects(doc, TubeOptions(units_per_um=0.01))
    assert [o.name for o in objects] == ["toy0", "toy1"]
    obj = objects[1]
    mesh = obj.data
    rows = np.zeros(len(mesh.vertices), dtype=np.int32)
    mesh.attributes[neuron_mesh.ROW_ATTRIBUTE].data.foreach_get("value", rows)
    assert rows.min() == 7 and rows.max() == 13  # global rows of the second cell

    def evaluated_spread():
        depsgraph = bpy.context.evaluated_depsgraph_get()
        ev = obj.evaluated_get(depsgraph).data
        co = np.zeros(len(ev.vertices) * 3)
        ev.vertices.foreach_get("co", co)
        centre = np.zeros(len(ev.vertices) * 3)
        ev.attributes[neuron_mesh.CENTER_ATTRIBUTE].data.foreach_get("vector", centre)
        return np.linalg.norm((co - centre).reshape(-1, 3), axis=1)

    before = evaluated_spread()
    mod = obj.modifiers[tube_thickness.THICKNESS_MODIFIER]
    compat.set_modifier_input(mod, "Radius Scale", 2.0)
    obj.update_tag()
    after = evaluated_spread()
    thick = before > 0.0125  # well above the minimum radius
    assert np.allclose(after[thick], 2 * before[thick], rtol=1e-4)
