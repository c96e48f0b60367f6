"""A scale bar overlay: a round length (1, 2 or 5 x a power of ten) of about 15% of the frame
width at the camera's focal plane, with its label ("50 µm", "1 mm").

The bar is a geometry-nodes object parented to the camera at a small depth in front of it. Its
inputs follow the camera through plain drivers (lens, sensor width, orthographic scale, and the
focus distance ``dof.focus_distance``, which the framing and camera moves key), so during a dolly
or an orbit the bar's length and label follow the playback clock with no Python per frame:

    frame width at the focal plane  W = ortho_scale          (orthographic)
                                      = focus * sensor / lens (perspective)
    length L = round(0.15 W) (or the length asked for); drawn at depth d as L * d / focus.
"""

from __future__ import annotations

import math

import bpy

from neuroblend.blender.core import compat, fonts, playback_clock
from neuroblend.blender.core.node_build import add_math, add_node, fresh_material, node_group
from neuroblend.scale_bar import FRACTION, STEPS

GROUP = "NB Scale Bar"
MODIFIER = "NeuroBlend Scale Bar"
BAR_MATERIAL = "NB Scale Bar White"
# the bar's centre (fractions of the frame from the lower left): the lower left, below the time
# label, so a spike shot's lit area (time label, cells, colorbar) and its render region stay as
# wide as they were (neuroblend.blender.core.render_region)
DEFAULT_AT = (0.14, 0.06)
TEXT_SIZE, THICKNESS = 0.045, 0.008  # fractions of the frame height
_CAMERA_INPUTS = {"Lens": "lens", "Sensor": "sensor_width", "Ortho Scale": "ortho_scale",
                  "Focus Distance": "dof.focus_distance"}
_INPUTS = (("Orthographic", "NodeSocketBool", False), ("Lens", "NodeSocketFloat", 50.0),
           ("Sensor", "NodeSocketFloat", 36.0), ("Ortho Scale", "NodeSocketFloat", 6.0),
           ("Focus Distance", "NodeSocketFloat", 10.0), ("Depth", "NodeSocketFloat", 0.1),
           ("Width Factor", "NodeSocketFloat", 1.0), ("Aspect", "NodeSocketFloat", 16 / 9),
           ("Fraction", "NodeSocketFloat", FRACTION), ("Length", "NodeSocketFloat", 0.0),
           ("Micrometres", "NodeSocketFloat", 1.0), ("Text Size", "NodeSocketFloat", TEXT_SIZE),
           ("Thickness", "NodeSocketFloat", THICKNESS))


def scale_bar_group():
    """Geometry nodes: the bar and its label from the camera's inputs (see module docstring)."""
    return node_group(GROUP, "GeometryNodeTree", _build)


def _switch(tree, kind: str, location, condition, false, true):
    node = add_node(tree, "GeometryNodeSwitch", location)
    node.input_type = kind
    tree.links.new(condition, node.inputs["Switch"])
    for name, value in (("False", false), ("True", true)):
        if isinstance(value, (int, float, str)):
            node.inputs[name].default_value = value
        else:
            tree.links.new(value, node.inputs[name])
    return node.outputs["Output"]


def _round(tree, value, x: float):
    """Math nodes of ``round_length``: 1, 2 or 5 x 10^floor(log10 value), closest in log."""
    exponent = add_math(tree, "FLOOR", (x + 200, -400),
                        add_math(tree, "LOGARITHM", (x, -400), value, 10.0).outputs[0])
    power = add_math(tree, "POWER", (x + 400, -400), 10.0, exponent.outputs[0])
    mantissa = add_math(tree, "DIVIDE", (x + 600, -300), value, power.outputs[0])
    step = 1.0
    total = None
    for k, ((limit, value_at), nxt) in enumerate(zip(STEPS, (2.0, 5.0, 10.0), strict=True)):
        above = add_math(tree, "GREATER_THAN", (x + 800, -200 - 150 * k), mantissa.outputs[0],
                         limit - 1e-9)
        jump = add_math(tree, "MULTIPLY", (x + 1000, -200 - 150 * k), above.outputs[0],
                        nxt - value_at)
        total = jump if total is None else add_math(tree, "ADD", (x + 1200, -200 - 150 * k),
                                                    total.outputs[0], jump.outputs[0])
    steps = add_math(tree, "ADD", (x + 1400, -300), total.outputs[0], step)
    return add_math(tree, "MULTIPLY", (x + 1600, -300), steps.outputs[0], power.outputs[0])


def _build(group) -> None:
    group.is_modifier = True
    compat.new_socket(group, "Geometry", "INPUT", "NodeSocketGeometry")
    for name, kind, default in _INPUTS:
        compat.new_socket(group, name, "INPUT", kind).default_value = default
    compat.new_socket(group, "Material", "INPUT", "NodeSocketMaterial")
    compat.new_socket(group, "Geometry", "OUTPUT", "NodeSocketGeometry")
    tree = group
    gin = add_node(tree, "NodeGroupInput", (-1600, 0))
    gout = add_node(tree, "NodeGroupOutput", (2600, 0))
    i = gin.outputs
    per_lens = add_math(tree, "DIVIDE", (-1400, 200), i["Sensor"], i["Lens"])
    widths = []
    for k, distance in enumerate((i["Focus Distance"], i["Depth"])):
        perspective = add_math(tree, "MULTIPLY", (-1200, 200 - 150 * k), distance,
                               per_lens.outputs[0])
        width = _switch(tree, "FLOAT", (-1000, 200 - 150 * k), i["Orthographic"],
                        perspective.outputs[0], i["Ortho Scale"])
        widths.append(add_math(tree, "MULTIPLY", (-800, 200 - 150 * k), width,
                               i["Width Factor"]).outputs[0])
    focal, near = widths
    target = add_math(tree, "MULTIPLY", (-600, -300),
                      add_math(tree, "MULTIPLY", (-800, -300), focal, i["Fraction"]).outputs[0],
                      i["Micrometres"])
    auto = _round(tree, target.outputs[0], -400)
    asked = add_math(tree, "GREATER_THAN", (1200, -100), i["Length"], 0.0)
    length_um = _switch(tree, "FLOAT", (1400, -100), asked.outputs[0], auto.outputs[0],
                        i["Length"])
    world = add_math(tree, "DIVIDE", (1400, 100), length_um, i["Micrometres"])
    drawn = add_math(tree, "MULTIPLY", (1600, 100), world.outputs[0],
                     add_math(tree, "DIVIDE", (1400, 300), near, focal).outputs[0])
    height = add_math(tree, "DIVIDE", (-600, 300), near, i["Aspect"])
    thick = add_math(tree, "MULTIPLY", (1600, 300), height.outputs[0], i["Thickness"])
    bar = add_node(tree, "GeometryNodeMeshGrid", (1800, 200))
    tree.links.new(drawn.outputs[0], bar.inputs["Size X"])
    tree.links.new(thick.outputs[0], bar.inputs["Size Y"])
    bar.inputs["Vertices X"].default_value = bar.inputs["Vertices Y"].default_value = 2
    text = _label(tree, length_um, height.outputs[0], thick.outputs[0], i["Text Size"])
    join = add_node(tree, "GeometryNodeJoinGeometry", (2200, 0))
    tree.links.new(text, join.inputs[0])
    tree.links.new(bar.outputs["Mesh"], join.inputs[0])
    material = add_node(tree, "GeometryNodeSetMaterial", (2400, 0))
    tree.links.new(join.outputs[0], material.inputs["Geometry"])
    tree.links.new(i["Material"], material.inputs["Material"])
    tree.links.new(material.outputs["Geometry"], gout.inputs["Geometry"])


def _label(tree, length_um, height, thick, text_size):
    """The label above the bar: the length in µm, or in mm from 1000 µm (filled text)."""
    in_mm = add_math(tree, "GREATER_THAN", (1200, -600), length_um, 1000.0 - 1e-6)
    shown = _switch(tree, "FLOAT", (1400, -600), in_mm.outputs[0], length_um,
                    add_math(tree, "DIVIDE", (1200, -750), length_um, 1000.0).outputs[0])
    log = add_math(tree, "LOGARITHM", (1400, -800), shown, 10.0)
    decimals = add_math(tree, "MAXIMUM", (1800, -800), add_math(
        tree, "MULTIPLY", (1600, -800), add_math(tree, "FLOOR", (1500, -800), add_math(
            tree, "ADD", (1450, -800), log.outputs[0], 1e-6).outputs[0]).outputs[0],
        -1.0).outputs[0], 0.0)
    to_string = add_node(tree, "FunctionNodeValueToString", (1600, -600))
    tree.links.new(shown, to_string.inputs["Value"])
    tree.links.new(decimals.outputs[0], to_string.inputs["Decimals"])
    unit = _switch(tree, "STRING", (1600, -950), in_mm.outputs[0], " µm", " mm")
    join = add_node(tree, "GeometryNodeStringJoin", (1800, -600))
    tree.links.new(unit, join.inputs["Strings"])  # multi-input: the last link comes first
    tree.links.new(to_string.outputs["String"], join.inputs["Strings"])
    size = add_math(tree, "MULTIPLY", (1800, -400), height, text_size)
    curves = add_node(tree, "GeometryNodeStringToCurves", (2000, -600))
    compat.set_input(curves, "Align X", "Center")
    compat.set_input(curves, "Align Y", "Bottom Baseline")
    compat.set_input(curves, "Font", fonts.scene_font())  # the film's face, like every label
    tree.links.new(join.outputs["String"], curves.inputs["String"])
    tree.links.new(size.outputs[0], curves.inputs["Size"])
    realize = add_node(tree, "GeometryNodeRealizeInstances", (2200, -600))
    tree.links.new(curves.outputs["Curve Instances"], realize.inputs["Geometry"])
    fill = add_node(tree, "GeometryNodeFillCurve", (2400, -600))
    tree.links.new(realize.outputs["Geometry"], fill.inputs["Curve"])
    lift = add_math(tree, "ADD", (2000, -300), add_math(
        tree, "MULTIPLY", (1900, -300), size.outputs[0], 0.45).outputs[0], thick)
    offset = add_node(tree, "ShaderNodeCombineXYZ", (2200, -300))
    tree.links.new(lift.outputs[0], offset.inputs["Y"])
    move = add_node(tree, "GeometryNodeTransform", (2600, -600))
    tree.links.new(fill.outputs["Mesh"], move.inputs["Geometry"])
    tree.links.new(offset.outputs["Vector"], move.inputs["Translation"])
    return move.outputs["Geometry"]


def _drive(obj, mod, name: str, camera_data, prop: str) -> None:
    """Make the modifier input ``name`` follow ``camera_data.prop`` (no Python: a plain driver)."""
    path = compat.modifier_input_path(mod, name)
    obj.driver_remove(path)
    driver = obj.driver_add(path).driver
    driver.type = "AVERAGE"
    var = driver.variables.new()
    var.type = "SINGLE_PROP"
    var.targets[0].id_type = "CAMERA"
    var.targets[0].id = camera_data
    var.targets[0].data_path = prop


def width_factor(cam, aspect: float) -> float:
    """Frame width / (distance x sensor width / lens): 1 when the sensor width fits the frame's
    width (Auto fit of a landscape frame, Horizontal fit)."""
    fit = cam.sensor_fit
    if fit == "VERTICAL":
        return cam.sensor_height / cam.sensor_width * aspect
    if fit == "AUTO" and aspect < 1.0:
        return aspect
    return 1.0


def add_scale_bar(name: str, collection, material, *, length: float = 0.0,
                  micrometres: float = 1.0):
    """A scale bar object ``name`` in ``collection`` (made or reused); ``length`` in µm (0: auto),
    ``micrometres``: µm per Blender unit (1 for cells, 1000 for atlases in mm). Place it with
    :func:`fit_to_camera`."""
    obj = bpy.data.objects.get(name)
    if obj is None:
        obj = bpy.data.objects.new(name, bpy.data.meshes.new(name))
        collection.objects.link(obj)
    mod = obj.modifiers.get(MODIFIER) or obj.modifiers.new(MODIFIER, "NODES")
    mod.node_group = scale_bar_group()
    compat.set_modifier_input(mod, "Material", material)
    compat.set_modifier_input(mod, "Length", float(length))
    compat.set_modifier_input(mod, "Micrometres", float(micrometres))
    return obj


def fit_to_camera(obj, scene, position: tuple[float, float], depth: float) -> None:
    """Parent ``obj`` to the scene camera at ``depth`` in front of it, its bar centred at
    ``position`` (fractions of the frame from the lower left), its inputs driven by the camera."""
    camera = scene.camera
    cam = camera.data
    aspect = scene.render.resolution_x / scene.render.resolution_y
    mod = obj.modifiers[MODIFIER]
    factor = width_factor(cam, aspect)
    for key, value in (("Orthographic", cam.type == "ORTHO"), ("Depth", float(depth)),
                       ("Width Factor", factor), ("Aspect", aspect)):
        compat.set_modifier_input(mod, key, value)
    for name, prop in _CAMERA_INPUTS.items():
        _drive(obj, mod, name, cam, prop)
    width = cam.ortho_scale * factor if cam.type == "ORTHO" else \
        depth * cam.sensor_width / cam.lens * factor
    side = max(width, width / aspect)  # the lens shift is a fraction of the larger side
    obj.parent = camera
    obj.matrix_parent_inverse.identity()
    obj.rotation_euler = (0.0, 0.0, 0.0)
    obj.scale = (1.0, 1.0, 1.0)
    obj.location = ((position[0] - 0.5) * width + cam.shift_x * side,
                    (position[1] - 0.5) * width / aspect + cam.shift_y * side, -depth)


def add_camera_scale_bar(scene, setting, *, micrometres: float,
                         position: tuple[float, float] = DEFAULT_AT):
    """A white scale bar on the scene camera for ``setting`` ("auto", "off" or a length in the
    scene's units: µm for cells, mm for atlases, ``micrometres`` µm per unit); None when off."""
    if setting == "off":
        return None
    material = playback_clock.seen_emission(bpy.data.materials.get(BAR_MATERIAL)
                                            or _white(BAR_MATERIAL))
    length = 0.0 if setting == "auto" else float(setting) * micrometres
    obj = add_scale_bar("NeuroBlend Scale Bar", scene.collection, material, length=length,
                        micrometres=micrometres)
    fit_to_camera(obj, scene, position, overlay_depth(scene.camera.data))
    return obj


def _white(name: str):
    material = fresh_material(name)
    tree = material.node_tree
    emission = tree.nodes.new("ShaderNodeEmission")
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    out.location = (250, 0)
    tree.links.new(emission.outputs[0], out.inputs["Surface"])
    return material


def overlay_depth(cam) -> float:
    """The depth of camera overlays: just beyond the near clip."""
    return max(cam.clip_start * 1.05, 1e-3) if math.isfinite(cam.clip_start) else 1e-3
