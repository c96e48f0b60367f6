"""The live tube-thickness modifier of cell meshes: radius from ``nb_radius`` with scale, minimum,
homogeneity, and a minimum on-screen width that follows the camera without Python per frame.

Each vertex is placed at its ring centre (``nb_center``) plus its direction times the shown
radius: ``max(tube_radius(nb_radius) * units, distance to the active camera * Pixel Size *
Minimum Pixels / 2)``. ``Pixel Size`` (one pixel's width at unit distance) is a driver on the
camera's lens and sensor and the render resolution (:func:`bind_camera`), so changing the lens,
the resolution or moving the camera (a dolly) keeps every branch at least ~1 px wide.
"""

from __future__ import annotations

from neuroblend.blender.core import compat
from neuroblend.blender.core.node_build import add_math, node_group
from neuroblend.spike.tube_geometry import TubeOptions

CENTER_ATTRIBUTE = "nb_center"
RADIUS_ATTRIBUTE = "nb_radius"
THICKNESS_GROUP = "NB Tube Thickness"
THICKNESS_MODIFIER = "NeuroBlend Thickness"
PIXEL_SIZE_EXPRESSION = "sensor * 100 / (lens * max(rx, ry) * pct)"


def add_thickness_modifier(obj, mean_radius_um: float, options):
    """Attach the live thickness modifier to ``obj`` (``options``: a neuron_mesh.TubeOptions)."""
    mod = obj.modifiers.get(THICKNESS_MODIFIER) or obj.modifiers.new(THICKNESS_MODIFIER, "NODES")
    mod.node_group = thickness_node_group()
    for key, value in (("Radius Scale", options.radius_scale),
                       ("Minimum Radius", options.min_radius),
                       ("Homogeneity", options.homogeneity),
                       ("Mean Radius", mean_radius_um),
                       ("Units per um", options.units_per_um),
                       ("Minimum Pixels", options.min_pixels)):
        compat.set_modifier_input(mod, key, float(value))
    return mod


def bind_camera(objects, scene) -> None:
    """Drive each object's ``Pixel Size`` from the scene camera's lens/sensor and the render
    resolution (simple driver expressions: evaluated without Python)."""
    camera = scene.camera
    if camera is None or camera.type != "CAMERA":
        return
    for obj in objects:
        mod = obj.modifiers.get(THICKNESS_MODIFIER)
        if mod is None:
            continue
        path = compat.modifier_input_path(mod, "Pixel Size")
        obj.driver_remove(path)
        driver = obj.driver_add(path).driver
        driver.type = "SCRIPTED"
        for name, id_type, target, data_path in (
                ("lens", "CAMERA", camera.data, "lens"),
                ("sensor", "CAMERA", camera.data, "sensor_width"),
                ("rx", "SCENE", scene, "render.resolution_x"),
                ("ry", "SCENE", scene, "render.resolution_y"),
                ("pct", "SCENE", scene, "render.resolution_percentage")):
            var = driver.variables.new()
            var.name, var.type = name, "SINGLE_PROP"
            var.targets[0].id_type = id_type
            var.targets[0].id = target
            var.targets[0].data_path = data_path
        driver.expression = PIXEL_SIZE_EXPRESSION


def thickness_node_group():
    """Geometry nodes: position = centre + direction * shown radius (see module; idempotent)."""
    return node_group(THICKNESS_GROUP, "GeometryNodeTree", _build_thickness)


def _build_thickness(group) -> None:
    group.is_modifier = True
    compat.new_socket(group, "Geometry", "INPUT", "NodeSocketGeometry")
    for name, default, lo, hi in (("Radius Scale", 1.0, 0.0, 100.0),
                                  ("Minimum Radius", TubeOptions.min_radius, 0.0, 1000.0),
                                  ("Homogeneity", 0.0, 0.0, 1.0),
                                  ("Mean Radius", 1.0, 0.0, 1000.0),
                                  ("Units per um", 0.01, 0.0, 1000.0),
                                  ("Minimum Pixels", 1.5, 0.0, 100.0),
                                  ("Pixel Size", 0.0, 0.0, 10.0)):
        sock = compat.new_socket(group, name, "INPUT", "NodeSocketFloat")
        sock.default_value, sock.min_value, sock.max_value = default, lo, hi
    compat.new_socket(group, "Geometry", "OUTPUT", "NodeSocketGeometry")
    gin = group.nodes.new("NodeGroupInput")
    gout = group.nodes.new("NodeGroupOutput")
    gin.location, gout.location = (-900, 0), (500, 0)
    center = _attribute(group, CENTER_ATTRIBUTE, "FLOAT_VECTOR", -700, -250)
    radius = _attribute(group, RADIUS_ATTRIBUTE, "FLOAT", -700, 200)
    shown = _shown_radius(group, gin, radius, center)
    set_pos = group.nodes.new("GeometryNodeSetPosition")
    set_pos.location = (300, 0)
    group.links.new(gin.outputs["Geometry"], set_pos.inputs["Geometry"])
    group.links.new(_ring_position(group, center, shown), set_pos.inputs["Position"])
    group.links.new(set_pos.outputs["Geometry"], gout.inputs["Geometry"])


def _attribute(group, name: str, data_type: str, x: float, y: float):
    node = group.nodes.new("GeometryNodeInputNamedAttribute")
    node.data_type = data_type
    node.inputs["Name"].default_value = name
    node.location = (x, y)
    node.label = name
    return node


def _shown_radius(group, gin, radius, center):
    """max(min, scale * ((1 - h) * r + h * mean)) * units, at least ``Minimum Pixels`` wide."""
    def math(op, a, b, x, y, label):
        return add_math(group, op, (x, y), a, b, label=label).outputs[0]

    mix = group.nodes.new("ShaderNodeMix")
    mix.data_type = "FLOAT"
    mix.location = (-450, 200)
    mix.label = "Homogeneity"
    group.links.new(gin.outputs["Homogeneity"], mix.inputs["Factor"])
    group.links.new(radius.outputs["Attribute"], mix.inputs["A"])
    group.links.new(gin.outputs["Mean Radius"], mix.inputs["B"])
    scaled = math("MULTIPLY", mix.outputs["Result"], gin.outputs["Radius Scale"], -250, 200,
                  "Scale")
    clamped = math("MAXIMUM", scaled, gin.outputs["Minimum Radius"], -50, 200, "Minimum")
    return math("MAXIMUM", math("MULTIPLY", clamped, gin.outputs["Units per um"], 150, 200,
                                "To scene units"), _pixel_radius(group, gin, center), 300, 400,
                "At least Minimum Pixels wide")


def _ring_position(group, center, shown):
    """centre + normalize(position - centre) * shown radius."""
    nodes, links = group.nodes, group.links
    position = nodes.new("GeometryNodeInputPosition")
    position.location = (-700, -400)
    steps = []
    for operation, x in (("SUBTRACT", -450), ("NORMALIZE", -250), ("SCALE", 150), ("ADD", 300)):
        node = nodes.new("ShaderNodeVectorMath")
        node.operation = operation
        node.location = (x, -300)
        steps.append(node)
    direction, unit, offset, moved = steps
    links.new(position.outputs["Position"], direction.inputs[0])
    links.new(center.outputs["Attribute"], direction.inputs[1])
    links.new(direction.outputs["Vector"], unit.inputs[0])
    links.new(unit.outputs["Vector"], offset.inputs[0])
    links.new(shown, offset.inputs["Scale"])
    links.new(center.outputs["Attribute"], moved.inputs[0])
    links.new(offset.outputs["Vector"], moved.inputs[1])
    return moved.outputs["Vector"]


def _pixel_radius(group, gin, center):
    """Half of ``Minimum Pixels`` pixels at the ring centre's distance from the active camera."""
    nodes, links = group.nodes, group.links
    camera = nodes.new("GeometryNodeInputActiveCamera")
    camera.location = (-700, 650)
    info = nodes.new("GeometryNodeObjectInfo")
    info.transform_space = "RELATIVE"
    info.location = (-500, 650)
    links.new(camera.outputs[0], info.inputs["Object"])
    distance = nodes.new("ShaderNodeVectorMath")
    distance.operation = "DISTANCE"
    distance.label = "Distance to camera"
    distance.location = (-300, 650)
    links.new(info.outputs["Location"], distance.inputs[0])
    links.new(center.outputs["Attribute"], distance.inputs[1])
    per_pixel = add_math(group, "MULTIPLY", (-100, 650), distance.outputs["Value"],
                         gin.outputs["Pixel Size"], label="One pixel here").outputs[0]
    width = add_math(group, "MULTIPLY", (100, 650), per_pixel, gin.outputs["Minimum Pixels"],
                     label="Minimum width").outputs[0]
    return add_math(group, "MULTIPLY", (200, 500), width, 0.5, label="Minimum radius").outputs[0]
