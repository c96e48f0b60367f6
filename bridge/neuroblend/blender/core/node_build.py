"""Small helpers for building node trees in code: placed, labelled nodes and math nodes, and
node groups that are either built completely or not at all."""

from __future__ import annotations

from collections.abc import Callable

import bpy

from neuroblend.blender.core import compat


def node_group(name: str, kind: str, build: Callable) -> bpy.types.NodeTree:
    """The node group ``name`` if it exists, else a new ``kind`` group filled by ``build(group)``.

    If ``build`` raises, the new group is removed again, so a failed build (e.g. a socket that
    this Blender version names differently) never leaves a half-built group for the next call.
    """
    group = bpy.data.node_groups.get(name)
    if group is not None:
        return group
    group = bpy.data.node_groups.new(name, kind)
    fill_group(group, build, created=True)
    return group


def fill_group(group, build: Callable, *, created: bool) -> None:
    """Run ``build(group)``; if it raises, remove ``group`` (``created`` by the caller) or, for a
    group rebuilt in place (other trees keep their links to it), leave it with no nodes."""
    try:
        build(group)
    except BaseException:
        if created:
            bpy.data.node_groups.remove(group)
        else:
            group.nodes.clear()
        raise


def add_node(tree, kind: str, location=(0.0, 0.0), label: str | None = None, *,
             name: str | None = None):
    """Add a ``kind`` node at ``location``; ``name`` (looked up later) also becomes the label."""
    node = tree.nodes.new(kind)
    node.location = location
    if name:
        node.name = name
    if label or name:
        node.label = label or name
    return node


def connect(tree, value, socket) -> None:
    """Feed ``socket`` from ``value``: a number (or colour/vector tuple) sets its default, a socket
    is linked, None skips."""
    if value is None:
        return
    if isinstance(value, (int, float, tuple)):
        socket.default_value = value
    else:
        tree.links.new(value, socket)


def add_math(tree, operation: str, location, *inputs, label: str | None = None):
    """A Math node doing ``operation`` on ``inputs`` (numbers, sockets or None); returns the node."""
    node = add_node(tree, "ShaderNodeMath", location, label)
    node.operation = operation
    for socket, value in zip(node.inputs, inputs, strict=False):
        connect(tree, value, socket)
    return node


def math_socket(tree, operation: str, *inputs, at=(0.0, 0.0), label: str | None = None):
    """The result socket of :func:`add_math` (math written as nested calls)."""
    return add_math(tree, operation, at, *inputs, label=label).outputs[0]


def add_emission(tree, color=None, strength=None, location=(0.0, 0.0), label: str | None = None,
                 *, name: str | None = None):
    """An Emission node fed ``color`` (RGBA tuple or socket) and ``strength`` (number or
    socket); unset inputs keep Blender's defaults."""
    node = add_node(tree, "ShaderNodeEmission", location, label, name=name)
    connect(tree, color, node.inputs["Color"])
    connect(tree, strength, node.inputs["Strength"])
    return node


def add_output(tree, surface, location=(0.0, 0.0)):
    """A Material Output node showing the shader socket ``surface``."""
    node = add_node(tree, "ShaderNodeOutputMaterial", location)
    tree.links.new(surface, node.inputs["Surface"])
    return node


def emission_surface(tree, color=None, strength=None, location=(0.0, 0.0),
                     label: str | None = None, *, name: str | None = None):
    """The plain glowing surface: :func:`add_emission` wired into a Material Output placed to its
    right; returns the Emission node."""
    node = add_emission(tree, color, strength, location, label, name=name)
    add_output(tree, node.outputs[0], (location[0] + 250, location[1]))
    return node


def fresh_material(name: str, *, reuse: bool = True):
    """The material ``name`` with nodes on and an empty node tree: the existing one emptied
    (``reuse``), else always a new one (Blender numbers a clashing name)."""
    material = (reuse and bpy.data.materials.get(name)) or bpy.data.materials.new(name)
    compat.enable_nodes(material)
    material.node_tree.nodes.clear()
    return material
