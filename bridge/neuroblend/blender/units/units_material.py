"""Materials of the units scene: unit spheres (their colour attribute, lit by the baked flash at
the scene frame) and regions glowing by population activity; settings driven from the root."""

from __future__ import annotations

from neuroblend.blender.core import compat, playback_clock
from neuroblend.blender.core.node_build import (
    add_emission,
    add_math,
    add_node,
    add_output,
    emission_surface,
    fresh_material,
)
from neuroblend.blender.spike import material as spike_material
from neuroblend.nwb.render_options import UnitsRenderOptions as D

COLOR_ATTRIBUTE = "nb_color"
SETTINGS = {
    "nb_unit_brightness": (D.brightness, 0.0, 100.0, "Emission of a unit at rest"),
    "nb_unit_glow": (D.glow, 0.0, 1000.0, "Extra emission of a unit at its spike"),
    "nb_region_glow": (2.0, 0.0, 1000.0, "Extra emission of a region at its peak activity"),
}


def _setting(tree, root, key: str, y: float):
    node = spike_material.value_node(tree, key, float(root.get(key, SETTINGS[key][0])), -400, y)
    spike_material.drive_from_root(tree, f'nodes["{key}"].outputs[0].default_value', root, key)
    return node.outputs[0]


def unit_material(name: str, root, image, layout, row_attribute: str):
    """Emission in the unit's colour, brightness + glow x flash (units are sphere instances:
    their row and colour are attributes of each instance)."""
    mat = playback_clock.seen_emission(fresh_material(name, reuse=False))
    tree = mat.node_tree
    flash = spike_material.value_at_frame(tree, root, image, layout, row_attribute, label="Flash",
                                          instanced=True)
    strength = add_math(tree, "MULTIPLY_ADD", (0, 0), flash,
                        _setting(tree, root, "nb_unit_glow", 400),
                        _setting(tree, root, "nb_unit_brightness", 460),
                        label="Strength").outputs[0]
    color = add_node(tree, "ShaderNodeAttribute", (0, 300), "Unit colour")
    color.attribute_type, color.attribute_name = "INSTANCER", COLOR_ATTRIBUTE
    emission_surface(tree, color.outputs["Color"], strength, (300, 0))
    mat["nb_root"] = root.name
    return mat


def region_activity_material(name: str, root, image, layout, row_attribute: str, color):
    """A see-through region whose tint and opacity rise with its population activity."""
    mat = playback_clock.seen_emission(fresh_material(name, reuse=False))
    compat.set_material_blend_transparent(mat)
    tree = mat.node_tree
    activity = spike_material.value_at_frame(tree, root, image, layout, row_attribute,
                                             label="Activity")
    strength = add_math(tree, "MULTIPLY_ADD", (0, 0), activity,
                        _setting(tree, root, "nb_region_glow", 400), 0.4,
                        label="Strength").outputs[0]
    opacity = add_math(tree, "MULTIPLY_ADD", (0, -200), activity, 0.3, 0.04,
                       label="Opacity").outputs[0]
    emission = add_emission(tree, tuple(color), strength, (300, 0), "Region glow")
    clear = add_node(tree, "ShaderNodeBsdfTransparent", (300, 200), "Clear")
    mix = add_node(tree, "ShaderNodeMixShader", (550, 0), "Glowing glass")
    tree.links.new(opacity, mix.inputs["Fac"])
    tree.links.new(clear.outputs[0], mix.inputs[1])
    tree.links.new(emission.outputs[0], mix.inputs[2])
    add_output(tree, mix.outputs[0], (800, 0))
    mat["nb_root"] = root.name
    return mat
