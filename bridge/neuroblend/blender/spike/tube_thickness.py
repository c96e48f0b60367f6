"""The live tube-thickness modifier of cell meshes: radius from ``nb_radius`` with scale, minimum,
homogeneity, and a minimum on-screen width that follows the camera without Python per frame.

Each vertex is placed at its ring centre (``nb_center``) plus its direction times the shown
radius: ``max(tube_radius(nb_radius) * units, distance to the Camera input * Pixel Size *
Minimum Pixels / 2)``. :func:`bind_camera` (run when framing) sets the Camera input to the scene
camera and drives ``Pixel Size`` (one pixel's width at unit distance) from its lens and sensor,
with the render resolution of that moment as a constant, so changing the lens or moving the camera
(a dolly) keeps every branch at least ~1 px wide; after a resolution change, frame again.
Nothing here depends on the scene itself or on the Active Camera node: both change on every frame
(the playback clock lives on the scene), which would re-evaluate every cell (and make Cycles
rebuild its BVH) on every frame, even with a still camera.
"""

from __future__ import annotations

from neuroblend.blender.core import compat
from neuroblend.blender.core.node_build import add_math, math_socket, node_group
from neuroblend.spike.tube_geometry import TubeOptions

CENTER_ATTRIBUTE = "nb_center"
RADIUS_ATTRIBUTE = "nb_radius"
THICKNESS_GROUP = "NB Tube Thickness"
THICKNESS_MODIFIER = "NeuroBlend Thickness"


def add_thickness_modifier(obj, mean_radius_um: float, options):
    """Attach the live thickness modifier to ``obj`` (``options``: a tube_geometry.TubeOptions)."""
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
    """Point each object's thickness modifier at the scene camera and drive its ``Pixel Size``
    from the camera's lens/sensor (a simple driver expression: evaluated without Python) at the
    scene's current render resolution."""
    camera = scene.camera
    if camera is None or camera.type != "CAMERA":
        return
    render = scene.render
    per_lens_unit = 100.0 / (max(render.resolution_x, render.resolution_y)
                             * render.resolution_percentage)
    for obj in objects:
        mod = obj.modifiers.get(THICKNESS_MODIFIER)
        if mod is None:
            continue
        compat.set_modifier_input(mod, "Camera", camera)
        path = compat.modifier_input_path(mod, "Pixel Size")
        obj.driver_remove(path)
        driver = obj.driver_add(path).driver
        driver.type = "SCRIPTED"
        for name, data_path in (("lens", "lens"), ("sensor", "sensor_width")):
            var = driver.variables.new()
            var.name, var.type = name, "SINGLE_PROP"
            var.targets[0].id_type = "CAMERA"
            var.targets[0].id = camera.data
            var.targets[0].data_path = data_path
        driver.expression = f"sensor * {per_lens_unit!r} / lens"


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
    compat.new_socket(group, "Camera", "INPUT", "NodeSocketObject")
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
    mix = group.nodes.new("ShaderNodeMix")
    mix.data_type = "FLOAT"
    mix.location = (-450, 200)
    mix.label = "Homogeneity"
    group.links.new(gin.outputs["Homogeneity"], mix.inputs["Factor"])
    group.links.new(radius.outputs["Attribute"], mix.inputs["A"])
    group.links.new(gin.outputs["Mean Radius"], mix.inputs["B"])
    scaled = math_socket(group, "MULTIPLY", mix.outputs["Result"], gin.outputs["Radius Scale"],
                         at=(-250, 200), label="Scale")
    clamped = math_socket(group, "MAXIMUM", scaled, gin.outputs["Minimum Radius"], at=(-50, 200),
                          label="Minimum")
    units = math_socket(group, "MULTIPLY", clamped, gin.outputs["Units per um"], at=(150, 200),
                        label="To scene units")
    return math_socket(group, "MAXIMUM", units, _pixel_radius(group, gin, center), at=(300, 400),
                       label="At least Minimum Pixels wide")


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
    """Half of ``Minimum Pixels`` pixels at the ring centre's distance from the Camera input."""
    nodes, links = group.nodes, group.links
    info = nodes.new("GeometryNodeObjectInfo")
    info.transform_space = "RELATIVE"
    info.location = (-500, 650)
    links.new(gin.outputs["Camera"], info.inputs["Object"])
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
