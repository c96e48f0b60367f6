"""The geometry-nodes group of the rearranging network graph ("NB Graph Morph").

Input: a mesh whose vertices are the neurons and whose edges are the drawn connections, with
point attributes ``nb_shuffled`` / ``nb_layered`` (the two layouts), ``nb_delay`` /
``nb_delay_end`` (the morph factor values between which the neuron moves). Each vertex goes to
``mix(shuffled, layered, smoothstep(delay, delay_end, Factor))``; one sphere is instanced on the
vertices (instances keep the vertex attributes, so the render engine shares one sphere mesh)
and the edges become thin tubes, so the edges follow the spheres by construction and
ONE animated input, ``Factor``, drives the whole move.
"""

from __future__ import annotations

import bpy

from neuroblend.blender.core import compat
from neuroblend.blender.core.node_build import add_math, add_node, connect

GROUP_NAME = "NB Graph Morph"
BUILD_VERSION = 4
EDGE_PIECES = 24  # pieces per edge tube (the "Edge Pieces" default)
EDGE_SIDES = 6  # sides of an edge tube (the "Edge Sides" default)
ATTRIBUTES = {"nb_shuffled": "FLOAT_VECTOR", "nb_layered": "FLOAT_VECTOR",
              "nb_delay": "FLOAT", "nb_delay_end": "FLOAT"}
INPUTS = (  # (name, socket type, default)
    ("Geometry", "NodeSocketGeometry", None),
    ("Factor", "NodeSocketFloat", 0.0),
    ("Neuron Radius", "NodeSocketFloat", 0.1),
    ("Edge Radius", "NodeSocketFloat", 0.01),
    ("Sphere Detail", "NodeSocketInt", 3),
    ("Edge Pieces", "NodeSocketInt", EDGE_PIECES),
    ("Edge Sides", "NodeSocketInt", EDGE_SIDES),
    ("Neuron Material", "NodeSocketMaterial", None),
    ("Edge Material", "NodeSocketMaterial", None),
)


def graph_node_group():
    """The morph group, fetched by name or built (a failed build leaves nothing behind)."""
    group = bpy.data.node_groups.get(GROUP_NAME)
    if group is not None and group.get("nb_build") == BUILD_VERSION:
        return group
    fresh = bpy.data.node_groups.new(GROUP_NAME, "GeometryNodeTree")
    try:
        _build(fresh)
    except Exception:
        bpy.data.node_groups.remove(fresh)
        raise
    fresh["nb_build"] = BUILD_VERSION
    if group is not None:  # an outdated group from an older build: replace it everywhere
        group.user_remap(fresh)
        bpy.data.node_groups.remove(group)
        fresh.name = GROUP_NAME
    return fresh


def _attribute(tree, name: str, y: float):
    node = add_node(tree, "GeometryNodeInputNamedAttribute", (-1000, y), name=name)
    node.data_type = ATTRIBUTES[name]
    node.inputs["Name"].default_value = name
    return node.outputs["Attribute"]


def _morphed_position(tree):
    """mix(shuffled, layered, smoothstep(delay, delay_end, Factor)) as a field."""
    gin = next(n for n in tree.nodes if n.bl_idname == "NodeGroupInput")
    ease = add_node(tree, "ShaderNodeMapRange", (-700, 100), name="Eased progress")
    ease.data_type = "FLOAT"
    ease.interpolation_type = "SMOOTHSTEP"
    ease.clamp = True
    for index, value in enumerate((gin.outputs["Factor"], _attribute(tree, "nb_delay", 100),
                                   _attribute(tree, "nb_delay_end", 0), 0.0, 1.0)):
        connect(tree, value, ease.inputs[index])  # Value, From Min, From Max, To Min, To Max
    shuffled, layered = _attribute(tree, "nb_shuffled", 300), _attribute(tree, "nb_layered", 200)
    path = add_node(tree, "ShaderNodeVectorMath", (-700, 300), name="Path")
    path.operation = "SUBTRACT"
    connect(tree, layered, path.inputs[0])
    connect(tree, shuffled, path.inputs[1])
    step = add_node(tree, "ShaderNodeVectorMath", (-500, 300), name="Travelled")
    step.operation = "SCALE"
    connect(tree, path.outputs["Vector"], step.inputs[0])
    connect(tree, ease.outputs[0], step.inputs["Scale"])
    pos = add_node(tree, "ShaderNodeVectorMath", (-300, 300), name="Position now")
    pos.operation = "ADD"
    connect(tree, shuffled, pos.inputs[0])
    connect(tree, step.outputs["Vector"], pos.inputs[1])
    return pos.outputs["Vector"]


def _set_material(tree, geometry, material, x: float, y: float):
    node = add_node(tree, "GeometryNodeSetMaterial", (x, y))
    connect(tree, geometry, node.inputs["Geometry"])
    connect(tree, material, node.inputs["Material"])
    return node.outputs["Geometry"]


def _build(tree) -> None:
    for name, socket_type, default in INPUTS:
        socket = compat.new_socket(tree, name, "INPUT", socket_type)
        if default is not None:
            socket.default_value = default
    compat.new_socket(tree, "Geometry", "OUTPUT", "NodeSocketGeometry")
    gin = add_node(tree, "NodeGroupInput", (-1300, 0))
    gout = add_node(tree, "NodeGroupOutput", (1100, 0))
    moved = add_node(tree, "GeometryNodeSetPosition", (-100, 0), name="Move neurons")
    connect(tree, gin.outputs["Geometry"], moved.inputs["Geometry"])
    connect(tree, _morphed_position(tree), moved.inputs["Position"])
    # neurons: one shared sphere instanced on every vertex (the vertex attributes become
    # instance attributes, read by the shader as "Instancer" attributes)
    sphere = add_node(tree, "GeometryNodeMeshIcoSphere", (-100, -250), name="Neuron sphere")
    connect(tree, gin.outputs["Neuron Radius"], sphere.inputs["Radius"])
    connect(tree, gin.outputs["Sphere Detail"], sphere.inputs["Subdivisions"])
    smooth = add_node(tree, "GeometryNodeSetShadeSmooth", (150, -250))
    connect(tree, sphere.outputs["Mesh"], smooth.inputs[0])  # "Geometry" before 5.0, "Mesh" after
    shaded = _set_material(tree, smooth.outputs[0], gin.outputs["Neuron Material"], 350, -250)
    neurons = add_node(tree, "GeometryNodeInstanceOnPoints", (550, -100), name="Neurons")
    connect(tree, moved.outputs["Geometry"], neurons.inputs["Points"])
    connect(tree, shaded, neurons.inputs["Instance"])
    neurons = neurons.outputs["Instances"]
    # edges: the mesh edges between the moved vertices, as thin tubes
    curves = add_node(tree, "GeometryNodeMeshToCurve", (150, 200), name="Edges")
    connect(tree, moved.outputs["Geometry"], curves.inputs["Mesh"])
    # short pieces: one long thin tube's bounds would cover the frame and slow every ray
    # (subdividing keeps every vertex: edges sharing a neuron join into one curve through it)
    pieces = add_node(tree, "GeometryNodeSubdivideCurve", (300, 200), name="Edge pieces")
    connect(tree, curves.outputs["Curve"], pieces.inputs["Curve"])
    cuts = add_math(tree, "SUBTRACT", (150, 100), gin.outputs["Edge Pieces"], 1.0,
                    label="Edge cuts")
    connect(tree, cuts.outputs[0], pieces.inputs["Cuts"])
    profile = add_node(tree, "GeometryNodeCurvePrimitiveCircle", (150, 400), name="Edge profile")
    connect(tree, gin.outputs["Edge Sides"], profile.inputs["Resolution"])
    connect(tree, gin.outputs["Edge Radius"], profile.inputs["Radius"])
    tubes = add_node(tree, "GeometryNodeCurveToMesh", (400, 250), name="Edge tubes")
    connect(tree, pieces.outputs["Curve"], tubes.inputs["Curve"])
    connect(tree, profile.outputs["Curve"], tubes.inputs["Profile Curve"])
    edges = _set_material(tree, tubes.outputs["Mesh"], gin.outputs["Edge Material"], 750, 250)
    join = add_node(tree, "GeometryNodeJoinGeometry", (950, 0))
    connect(tree, edges, join.inputs[0])
    connect(tree, neurons, join.inputs[0])
    connect(tree, join.outputs[0], gout.inputs[0])
