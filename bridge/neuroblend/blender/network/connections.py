"""A network's connections in Blender: thin arcs from each presynaptic soma to its synapse, a
pulse travelling along each after its presynaptic spike (arriving at the delay) and the synapse
flashing on arrival.

Everything is baked: the pulse phase of every connection (network_geometry.pulse_phases) is
packed into a float image exactly like the compartment values (spike_playback.bake_values) and
read by the materials from the frame, so a saved .blend plays without Python. The arcs are a
mesh of edge chains turned into tubes by a geometry-nodes modifier ("NB Connection Tubes"), or,
over BIG_NETWORK connections, hair curves ("NB Connection Curves": far less memory); the
synapses are points instanced as small spheres ("NB Synapse Spheres"). Both carry the connection
row (``nb_connection``); the arcs also their position along the path (``nb_u``, 0 at the soma;
a curve's intercept is the same). The pulse time step comes from render_budget.pulse_grid.
"""

from __future__ import annotations

import math

import bpy
import numpy as np

from neuroblend.blender.core import compat, playback_clock
from neuroblend.blender.core.node_build import (
    add_math,
    add_node,
    emission_surface,
    fresh_material,
    node_group,
)
from neuroblend.blender.core.root_properties import set_root_properties
from neuroblend.blender.spike import material as spike_material
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.network import geometry as network_geometry
from neuroblend.network.render_budget import DEFAULT_LIMITS, NetworkLimits, pulse_grid

ROW_ATTRIBUTE = "nb_connection"
U_ATTRIBUTE = "nb_u"
TUBES_GROUP = "NB Connection Tubes"
CURVES_GROUP = "NB Connection Curves"
SPHERES_GROUP = "NB Synapse Spheres"
MARKER = "nb_network"
# root custom property -> (default, soft min, soft max, description)
SETTINGS = {
    "nb_connection_radius": (3.0, 0.0, 100.0, "Radius of the connection arcs (um)"),
    "nb_synapse_radius": (10.0, 0.0, 100.0, "Radius of the synapse spheres (um)"),
    "nb_connection_brightness": (0.15, 0.0, 100.0, "Emission of a connection at rest"),
    "nb_pulse_glow": (12.0, 0.0, 1000.0, "Emission of a travelling pulse"),
    "nb_pulse_width": (0.12, 0.001, 1.0, "Pulse length, as a fraction of the connection"),
    "nb_flash_glow": (25.0, 0.0, 1000.0, "Emission of a synapse on arrival"),
}
PULSE_COLOR = (0.35, 0.85, 1.0, 1.0)
REST_FULL_BRIGHT = 100  # up to this many connections keep the full rest brightness
ARC_POINTS = 12  # points along each arc...
BIG_ARC_POINTS = 4  # ...or, over BIG_NETWORK connections, fewer, drawn as curves (no tubes)
BIG_NETWORK = 20_000


def build_connections(root, doc: dict, collection, *, units_per_um: float, name: str,
                      flash_ms: float = 1.5, to_soma: bool = False,
                      limits: NetworkLimits = DEFAULT_LIMITS) -> list:
    """Arcs and synapse spheres of ``doc``'s connections, parented to ``root``; returns them.
    ``to_soma``: end at the postsynaptic soma (cells drawn as somata) instead of the synapse;
    the pulses are baked at the time resolution ``limits`` allow (render_budget.pulse_grid)."""
    conn = doc["connections"]
    if not len(conn["pre"]):
        return []
    somata = network_geometry.soma_centers(doc)
    start = somata[conn["pre"]]
    end = somata[conn["post"]] if to_soma else network_geometry.synapse_points(doc)
    lift = 0.1 if to_soma else 0.25  # soma-to-soma arcs across a wide slab stay low
    n_points = ARC_POINTS if len(conn["pre"]) <= BIG_NETWORK else BIG_ARC_POINTS
    paths = network_geometry.connection_paths(start, end, n_points, lift) * units_per_um
    time = pulse_grid(doc["time"], len(conn["pre"]), limits)
    image, layout = spike_playback.bake_values(f"NB Pulse Data {name}", time,
                                               network_geometry.pulse_phases(doc, time, flash_ms))
    _init_settings(root)
    # many arcs at rest would veil the cells: dim them with their number, pulses stay bright
    root["nb_connection_brightness"] *= min(1.0, math.sqrt(REST_FULL_BRIGHT / len(conn["pre"])))
    arcs = _arc_object(f"{name} connections", paths, collection, units_per_um)
    _set_material(arcs, pulse_material(f"NB Pulse {name}", root, image, layout,
                                       curves=arcs.type == "CURVES"))
    spheres = _synapse_object(f"{name} synapses", paths[:, -1], collection, units_per_um)
    _set_material(spheres, pulse_material(f"NB Synapse {name}", root, image, layout,
                                          synapse=True))
    for obj, key, socket in ((arcs, "nb_connection_radius", "Radius"),
                             (spheres, "nb_synapse_radius", "Radius")):
        obj.parent = root
        obj[MARKER] = 1
        mod = obj.modifiers[0]
        spike_material.drive_from_root(obj, compat.modifier_input_path(mod, socket), root, key)
    root["nb_pulse_image"] = image.name
    return [arcs, spheres]


def _set_material(obj, material) -> None:
    """The generated geometry gets ``material`` through the modifier (curves and instances
    carry no material slots of the source mesh)."""
    obj.data.materials.append(material)
    compat.set_modifier_input(obj.modifiers[0], "Material", material)


def _init_settings(root) -> None:
    set_root_properties(root, {key: float(row[0]) for key, row in SETTINGS.items()},
                        {key: row[1:] for key, row in SETTINGS.items()})


def _arc_object(name: str, paths: np.ndarray, collection, units_per_um: float):
    """The arcs as edge chains of a mesh made tubes by geometry nodes, or, over BIG_NETWORK
    connections, as hair curves rendered as such (a few bytes per point instead of a tube)."""
    k, n = paths.shape[:2]
    rows, u = np.repeat(np.arange(k), n), np.tile(np.linspace(0, 1, n), k)
    if k > BIG_NETWORK:
        curves = bpy.data.hair_curves.new(name)
        curves.add_curves([n] * k)
        curves.attributes["position"].data.foreach_set("vector",
                                                       paths.astype(np.float32).ravel())
        _point_attribute(curves, ROW_ATTRIBUTE, "FLOAT", rows)  # Cycles reads no int on curves
        _point_attribute(curves, U_ATTRIBUTE, "FLOAT", u)
        return _modified_object(name, curves, collection, curves_node_group(), units_per_um,
                                SETTINGS["nb_connection_radius"][0])
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(k * n)
    mesh.vertices.foreach_set("co", paths.astype(np.float32).ravel())
    first = (np.arange(k)[:, None] * n + np.arange(n - 1)[None]).ravel()
    mesh.edges.add(len(first))
    mesh.edges.foreach_set("vertices", np.column_stack([first, first + 1]).astype(np.int32)
                           .ravel())
    mesh.update()
    _point_attribute(mesh, ROW_ATTRIBUTE, "INT", rows)
    _point_attribute(mesh, U_ATTRIBUTE, "FLOAT", u)
    return _modified_object(name, mesh, collection, tubes_node_group(), units_per_um,
                            SETTINGS["nb_connection_radius"][0])


def _synapse_object(name: str, points: np.ndarray, collection, units_per_um: float):
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(points))
    mesh.vertices.foreach_set("co", points.astype(np.float32).ravel())
    mesh.update()
    _point_attribute(mesh, ROW_ATTRIBUTE, "INT", np.arange(len(points)))
    return _modified_object(name, mesh, collection, spheres_node_group(), units_per_um,
                            SETTINGS["nb_synapse_radius"][0])


def _point_attribute(data, name: str, kind: str, values) -> None:
    dtype = np.int32 if kind == "INT" else np.float32
    data.attributes.new(name, kind, "POINT").data.foreach_set("value", values.astype(dtype))


def _modified_object(name: str, data, collection, group, units_per_um: float, radius: float):
    obj = bpy.data.objects.new(name, data)
    collection.objects.link(obj)
    mod = obj.modifiers.new(group.name, "NODES")
    mod.node_group = group
    compat.set_modifier_input(mod, "Radius", float(radius))
    compat.set_modifier_input(mod, "Units per um", float(units_per_um))
    return obj


# --------------------------------------------------------------------------- node groups

def _start_geometry_group(group):
    """Fill a modifier group's interface (Geometry + Radius (um) + Units per um + Material ->
    Geometry); returns its input/output nodes and the radius in scene units."""
    group.is_modifier = True
    compat.new_socket(group, "Geometry", "INPUT", "NodeSocketGeometry")
    for sock_name, default in (("Radius", 1.0), ("Units per um", 0.01)):
        compat.new_socket(group, sock_name, "INPUT", "NodeSocketFloat").default_value = default
    compat.new_socket(group, "Material", "INPUT", "NodeSocketMaterial")
    compat.new_socket(group, "Geometry", "OUTPUT", "NodeSocketGeometry")
    gin = add_node(group, "NodeGroupInput", (-800, 0))
    gout = add_node(group, "NodeGroupOutput", (800, 0))
    radius = add_math(group, "MULTIPLY", (-600, -200), gin.outputs["Radius"],
                      gin.outputs["Units per um"], label="Radius (scene units)").outputs[0]
    return gin, gout, radius


def _finish(group, gin, gout, geometry) -> None:
    """Set the group's Material on ``geometry`` and output it."""
    material = add_node(group, "GeometryNodeSetMaterial", (600, 0))
    group.links.new(geometry, material.inputs["Geometry"])
    group.links.new(gin.outputs["Material"], material.inputs["Material"])
    group.links.new(material.outputs[0], gout.inputs["Geometry"])


def tubes_node_group():
    """Geometry nodes: edge chains -> curves -> thin tubes (attributes carried along)."""
    return node_group(TUBES_GROUP, "GeometryNodeTree", _build_tubes)


def _build_tubes(group) -> None:
    gin, gout, radius = _start_geometry_group(group)
    links = group.links
    to_curve = add_node(group, "GeometryNodeMeshToCurve", (-400, 0))
    circle = add_node(group, "GeometryNodeCurvePrimitiveCircle", (-400, -250))
    circle.inputs["Resolution"].default_value = 4
    links.new(radius, circle.inputs["Radius"])
    to_mesh = add_node(group, "GeometryNodeCurveToMesh", (0, 0))
    links.new(gin.outputs["Geometry"], to_curve.inputs[0])
    links.new(to_curve.outputs[0], to_mesh.inputs["Curve"])
    links.new(circle.outputs[0], to_mesh.inputs["Profile Curve"])
    _finish(group, gin, gout, to_mesh.outputs[0])


def curves_node_group():
    """Geometry nodes: hair curves get the connection radius (rendered as curves: the arcs of a
    big network cost a few bytes per point, no tube mesh)."""
    return node_group(CURVES_GROUP, "GeometryNodeTree", _build_curves)


def _build_curves(group) -> None:
    gin, gout, radius = _start_geometry_group(group)
    links = group.links
    set_radius = add_node(group, "GeometryNodeSetCurveRadius", (0, 0))
    links.new(gin.outputs["Geometry"], set_radius.inputs["Curve"])
    links.new(radius, set_radius.inputs["Radius"])
    _finish(group, gin, gout, set_radius.outputs[0])


def spheres_node_group():
    """Geometry nodes: points -> instances of one small sphere (point attributes carried to the
    instances, read by the material as instancer attributes: a million synapses stay cheap)."""
    return node_group(SPHERES_GROUP, "GeometryNodeTree", _build_spheres)


def _build_spheres(group) -> None:
    gin, gout, radius = _start_geometry_group(group)
    links = group.links
    sphere = add_node(group, "GeometryNodeMeshIcoSphere", (-400, -250))
    sphere.inputs["Subdivisions"].default_value = 2
    links.new(radius, sphere.inputs["Radius"])
    smooth = add_node(group, "GeometryNodeSetShadeSmooth", (-200, -250))
    links.new(sphere.outputs[0], smooth.inputs[0])  # "Geometry" before 5.0, "Mesh" after
    material = add_node(group, "GeometryNodeSetMaterial", (0, -250))
    links.new(smooth.outputs[0], material.inputs["Geometry"])
    links.new(gin.outputs["Material"], material.inputs["Material"])
    instance = add_node(group, "GeometryNodeInstanceOnPoints", (200, 0))
    links.new(gin.outputs["Geometry"], instance.inputs["Points"])
    links.new(material.outputs[0], instance.inputs["Instance"])
    links.new(instance.outputs[0], gout.inputs["Geometry"])


# --------------------------------------------------------------------------- materials

def _along(tree, curves: bool):
    """The shading point's position along its connection, 0 at the soma: the ``nb_u``
    attribute of a tube, the intercept of a curve."""
    if curves:
        return add_node(tree, "ShaderNodeHairInfo", (-400, -250), "Along connection").outputs[
            "Intercept"]
    u = add_node(tree, "ShaderNodeAttribute", (-400, -250), "Along connection")
    u.attribute_type, u.attribute_name = "GEOMETRY", U_ATTRIBUTE
    return u.outputs["Fac"]


def pulse_material(name: str, root, image, layout, *, synapse: bool = False,
                   curves: bool = False):
    """Emission of a connection (rest + a pulse at ``nb_u`` = phase; on ``curves``, at the
    curve's intercept) or of a synapse (rest + a flash while the phase is past 1), settings
    driven from the root's ``nb_*`` properties."""
    mat = playback_clock.seen_emission(fresh_material(name, reuse=False))
    tree = mat.node_tree
    # a synapse is a sphere instance: its connection row is an attribute of the instance
    phase = spike_material.value_at_frame(tree, root, image, layout, ROW_ATTRIBUTE, label="Phase",
                                          instanced=synapse)
    keys = (("nb_connection_brightness", "nb_flash_glow") if synapse else
            ("nb_connection_brightness", "nb_pulse_glow", "nb_pulse_width"))
    value = {}
    for n, key in enumerate(keys):
        value[key] = spike_material.value_node(tree, key, SETTINGS[key][0], -400, 500 - 60 * n)
        spike_material.drive_from_root(tree, f'nodes["{key}"].outputs[0].default_value', root,
                                       key)
        value[key] = value[key].outputs[0]
    if synapse:
        lit = add_math(tree, "GREATER_THAN", (-200, 0), phase, 0.999, label="Arrived").outputs[0]
        glow = value["nb_flash_glow"]
    else:
        gap = add_math(tree, "ABSOLUTE", (-200, -100),
                       add_math(tree, "SUBTRACT", (-300, -100), _along(tree, curves), phase)
                       .outputs[0]).outputs[0]
        near = add_math(tree, "DIVIDE", (-100, -100), gap, value["nb_pulse_width"]).outputs[0]
        lit = add_math(tree, "MAXIMUM", (100, -100),
                       add_math(tree, "SUBTRACT", (0, -100), 1.0, near).outputs[0], 0.0,
                       label="Pulse").outputs[0]
        glow = value["nb_pulse_glow"]
    strength = add_math(tree, "MULTIPLY_ADD", (300, 0), lit, glow,
                        value["nb_connection_brightness"], label="Strength").outputs[0]
    emission_surface(tree, tuple(PULSE_COLOR), strength, (500, 0))
    mat["nb_root"] = root.name
    return mat
