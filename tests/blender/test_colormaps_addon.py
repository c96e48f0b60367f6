"""The NeuroBlend Colormaps add-on: registers cleanly, its operators work in a node editor."""

from __future__ import annotations

import bpy
import pytest

from neuroblend.blender.colormaps.nodes import group_name
from neuroblend.blender.core import compat

ADDON = "neuroblend_colormaps"




def node_editor(tree, ui_type: str):
    """Turn the first area of the window into a node editor showing ``tree``; context kwargs."""
    window = bpy.context.window
    area = window.screen.areas[0]
    area.type = "NODE_EDITOR"
    area.ui_type = ui_type
    space = area.spaces.active
    space.pin = True
    space.node_tree = tree
    region = next(r for r in area.regions if r.type == "WINDOW")
    return {"window": window, "area": area, "region": region}


def test_register_unregister_and_defaults(addon):
    settings = bpy.context.scene.neuroblend_colormaps
    assert (settings.colormap, settings.mode, settings.stops) == ("viridis", "exact", 32)
    names = {item.identifier for item in settings.bl_rna.properties["colormap"].enum_items}
    assert {"viridis", "viridis_r", "twilight", "tab10_r"} <= names
    addon.unregister()
    assert not hasattr(bpy.types.Scene, "neuroblend_colormaps")
    with pytest.raises(KeyError):
        bpy.ops.neuroblend.add_colormap_node.get_rna_type()
    addon.register()  # and again, cleanly
    assert bpy.context.scene.neuroblend_colormaps.colormap == "viridis"


def test_operators_need_a_node_editor(addon):
    assert not bpy.ops.neuroblend.add_colormap_node.poll()
    assert not bpy.ops.neuroblend.apply_colormap.poll()


def test_add_colormap_node_in_geometry_and_shader_editors(addon):
    settings = bpy.context.scene.neuroblend_colormaps
    settings.colormap, settings.mode = "magma", "ramp"
    tree = bpy.data.node_groups.new("GN", "GeometryNodeTree")
    with bpy.context.temp_override(**node_editor(tree, "GeometryNodeTree")):
        assert addon.NEUROBLEND_PT_Colormaps.poll(bpy.context)
        assert bpy.ops.neuroblend.add_colormap_node() == {"FINISHED"}
    node = tree.nodes.active
    assert node.bl_idname == "GeometryNodeGroup"
    assert node.node_tree.name == group_name("magma", "ramp", "geometry")

    material = bpy.data.materials.new("M")
    compat.enable_nodes(material)
    settings.mode = "exact"
    with bpy.context.temp_override(**node_editor(material.node_tree, "ShaderNodeTree")):
        assert bpy.ops.neuroblend.add_colormap_node() == {"FINISHED"}
    assert material.node_tree.nodes.active.node_tree.name == group_name("magma", "exact", "shader")


def test_apply_to_active_color_ramp_reports_error_left(addon):
    settings = bpy.context.scene.neuroblend_colormaps
    settings.colormap, settings.stops = "coolwarm", 12
    tree = bpy.data.node_groups.new("GN", "GeometryNodeTree")
    ramp = tree.nodes.new("ShaderNodeValToRGB")
    tree.nodes.active = ramp
    with bpy.context.temp_override(**node_editor(tree, "GeometryNodeTree")):
        assert bpy.ops.neuroblend.apply_colormap() == {"FINISHED"}
    assert len(ramp.color_ramp.elements) == 12
    assert 0 < settings.last_error < 4
