"""Small helpers for building node trees in code: placed, labelled nodes and math nodes."""

from __future__ import annotations


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
    """Feed ``socket`` from ``value``: a number sets its default, a socket is linked, None skips."""
    if value is None:
        return
    if isinstance(value, (int, float)):
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
