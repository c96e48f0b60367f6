"""The shared colormap node group: value -> matplotlib colour, for shader and geometry nodes.

``colormap_node_group(name, mode=..., kind=...)`` is the one builder every NeuroBlend feature uses.
Interface (a contract other modules code against):

- inputs ``Value`` (float), ``Min`` (float, 0), ``Max`` (float, 1), ``Reverse`` (bool),
  ``Under Color`` / ``Over Color`` (default: the colormap's end colours), ``NaN Color``
  (default :func:`neuroblend.colormaps.luts.nan_color`); output ``Color`` (linear RGB).
- ``exact`` mode looks the colour up in a float lookup image (256 x 1, or N x 1 for a qualitative
  map with N colours) packed into the .blend, at the centre of texel ``floor(t * N)`` with Closest
  interpolation, where ``t = (Value - Min) / (Max - Min)``: the colour matplotlib gives.
- ``ramp`` mode uses a ColorRamp with fitted stops (:func:`neuroblend.colormaps.luts.fit_ramp`).
- ``Reverse`` runs the colormap backwards and, like matplotlib's reversed maps, swaps which end
  the Under/Over colours attach to: Under Color shows below the colormap's start.
"""

from __future__ import annotations

import bpy

from neuroblend.blender.core import compat
from neuroblend.blender.core.node_build import add_node, connect, fill_group, math_socket
from neuroblend.colormaps import luts as colormaps
from neuroblend.colormaps import ramp_fit
from neuroblend.errors import NeuroBlendError

MODES = ("exact", "ramp")
KINDS = {"shader": "ShaderNodeTree", "geometry": "GeometryNodeTree"}
IMAGE_NODES = {"shader": "ShaderNodeTexImage", "geometry": "GeometryNodeImageTexture"}
BUILD_VERSION = 1  # bump when the group's insides change, so saved groups get rebuilt
SOCKETS = (  # (name, in_out, socket type, tooltip) in Blender's order: outputs first
    ("Color", "OUTPUT", "NodeSocketColor", "Linear RGB colour"),
    ("Value", "INPUT", "NodeSocketFloat", "The number to colour"),
    ("Min", "INPUT", "NodeSocketFloat", "Value at the colormap's start"),
    ("Max", "INPUT", "NodeSocketFloat", "Value at the colormap's end"),
    ("Reverse", "INPUT", "NodeSocketBool", "Run the colormap from end to start"),
    ("Under Color", "INPUT", "NodeSocketColor", "Colour before the colormap's start"),
    ("Over Color", "INPUT", "NodeSocketColor", "Colour past the colormap's end"),
    ("NaN Color", "INPUT", "NodeSocketColor", "Colour of NaN values"),
)


def group_name(name: str, mode: str, kind: str) -> str:
    """Name of the node group for colormap ``name`` in ``mode`` and ``kind``."""
    return f"NeuroBlend Colormap {name} ({mode}, {kind})"


def lut_image_name(name: str) -> str:
    return f"NeuroBlend LUT {name}"


def _check(name: str, mode: str, kind: str, n_stops: int) -> tuple[str, int]:
    name = colormaps.resolve_name(name)
    if mode not in MODES:
        raise NeuroBlendError(f"colormap mode must be 'exact' or 'ramp', got {mode!r}")
    if kind not in KINDS:
        raise NeuroBlendError(f"colormap node kind must be 'shader' or 'geometry', got {kind!r}")
    return name, ramp_fit.check_stops(n_stops)


def colormap_node_group(name: str, *, mode: str = "exact", kind: str = "shader",
                        n_stops: int = colormaps.MAX_STOPS) -> bpy.types.NodeTree:
    """The node group mapping ``Value`` through colormap ``name`` (see the module docstring).

    Idempotent: the same name, mode and kind return the same group (rebuilt in place, keeping
    links to it, only if ``n_stops`` or the builder changed).
    """
    name, n_stops = _check(name, mode, kind, n_stops)
    gname = group_name(name, mode, kind)
    signature = f"{name}|{mode}|{kind}|{n_stops if mode == 'ramp' else '-'}|{BUILD_VERSION}"
    tree = bpy.data.node_groups.get(gname)
    if tree is not None and tree.bl_idname != KINDS[kind]:
        raise NeuroBlendError(f"node group {gname!r} exists but is not a {kind} node group; "
                              "rename it and try again")
    if tree is not None and tree.get("nb_signature") == signature and _lut_intact(tree, name, mode):
        return tree
    created = tree is None
    if created:
        tree = bpy.data.node_groups.new(gname, KINDS[kind])
    tree.pop("nb_signature", None)  # stamped again only once the build succeeded

    def build(group) -> None:
        _set_interface(group, name)
        group.nodes.clear()
        _build(group, name, mode, kind, n_stops)

    fill_group(tree, build, created=created)
    tree["nb_colormap"] = name
    tree["nb_mode"] = mode
    tree["nb_signature"] = signature
    return tree


def _lut_intact(tree, name: str, mode: str) -> bool:
    """False if an exact group lost its lookup image (deleted, or replaced by hand)."""
    if mode != "exact":
        return True
    image = bpy.data.images.get(lut_image_name(name))
    if image is None or image.packed_file is None:
        return False
    for node in tree.nodes:
        if node.bl_idname == "ShaderNodeTexImage":
            return node.image == image
        if node.bl_idname == "GeometryNodeImageTexture":
            return node.inputs["Image"].default_value == image
    return False


def _set_interface(tree, name: str) -> None:
    """Create the sockets (unless already right, so links survive) and set their defaults."""
    have = [(s.name, s.in_out) for s in tree.interface.items_tree if s.item_type == "SOCKET"]
    if have != [s[:2] for s in SOCKETS]:
        tree.interface.clear()
        for sname, in_out, stype, tip in SOCKETS:
            try:
                socket = compat.new_socket(tree, sname, in_out, stype)
            except (TypeError, RuntimeError):  # a Blender without Boolean shader sockets
                socket = compat.new_socket(tree, sname, in_out, "NodeSocketFloat")
                socket.min_value, socket.max_value = 0.0, 1.0
            socket.description = tip
    lut = colormaps.get_lut(name, "linear")
    defaults = {"Value": 0.0, "Min": 0.0, "Max": 1.0, "Reverse": False,
                "Under Color": _rgba(lut[0]), "Over Color": _rgba(lut[-1]),
                "NaN Color": _rgba(colormaps.nan_color(name, "linear"))}
    for item in tree.interface.items_tree:
        if item.item_type == "SOCKET" and item.in_out == "INPUT":
            item.default_value = defaults[item.name]


def _rgba(color) -> tuple[float, float, float, float]:
    return tuple(float(c) for c in color[:3]) + (1.0,)


class _Builder:
    """Small helper adding labelled nodes at grid positions and linking sockets or constants."""

    def __init__(self, tree):
        self.tree = tree

    def node(self, kind: str, label: str, col: int, row: int, **props):
        node = add_node(self.tree, kind, _at(col, row), label)
        for key, value in props.items():
            setattr(node, key, value)
        return node

    def link(self, source, socket) -> None:
        connect(self.tree, source, socket)

    def mix(self, factor, a, b, label: str, col: int, row: int):
        node = self.node("ShaderNodeMix", label, col, row, data_type="RGBA")
        self.link(factor, compat.mix_socket(node.inputs, "Factor"))
        self.link(a, compat.mix_socket(node.inputs, "A"))
        self.link(b, compat.mix_socket(node.inputs, "B"))
        return compat.mix_socket(node.outputs, "Result")


def _at(col: int, row: int) -> tuple[float, float]:
    """The location of grid cell (``col``, ``row``): the group reads left to right."""
    return (col * 220.0, -row * 170.0)


def _build(tree, name: str, mode: str, kind: str, n_stops: int) -> None:
    b = _Builder(tree)
    gin = b.node("NodeGroupInput", "Inputs", -1, 1)
    gin.location.x -= 100
    v = gin.outputs
    offset = math_socket(b.tree, "SUBTRACT", v["Value"], v["Min"], at=_at(0, 0),
                         label="Value - Min")
    span = math_socket(b.tree, "SUBTRACT", v["Max"], v["Min"], at=_at(0, 1), label="Max - Min")
    t = math_socket(b.tree, "DIVIDE", offset, span, at=_at(1, 0), label="Normalised")
    sign = math_socket(b.tree, "MULTIPLY_ADD", v["Reverse"], -2.0, 1.0, at=_at(1, 1),
                       label="Direction (+1 / -1)")
    pos = math_socket(b.tree, "MULTIPLY_ADD", t, sign, v["Reverse"], at=_at(2, 0),
                      label="Position on colormap")
    # NaN compares false both ways; MAXIMUM(0, NaN) is 0 in Cycles (fmaxf) and geometry nodes
    inside = math_socket(b.tree, "MAXIMUM", 0.0, pos, at=_at(3, 0), label="Clamp low (NaN -> 0)")
    inside = math_socket(b.tree, "MINIMUM", 1.0, inside, at=_at(4, 0), label="Clamp high")
    under = math_socket(b.tree, "LESS_THAN", pos, 0.0, at=_at(3, 2), label="Under range")
    over = math_socket(b.tree, "GREATER_THAN", pos, 1.0, at=_at(3, 3), label="Over range")
    real = math_socket(b.tree, "MAXIMUM",
                       math_socket(b.tree, "LESS_THAN", pos, 1.0, at=_at(3, 4), label="Below 1"),
                       math_socket(b.tree, "GREATER_THAN", pos, 0.0, at=_at(3, 5), label="Above 0"),
                       at=_at(4, 4), label="Is a number")
    is_nan = math_socket(b.tree, "SUBTRACT", 1.0, real, at=_at(5, 4), label="Is NaN")
    if mode == "exact":
        color = _exact_lookup(b, name, kind, inside)
    else:
        color = _ramp_lookup(b, name, n_stops, inside)
    color = b.mix(under, color, v["Under Color"], "Under Color", 8, 1)
    color = b.mix(over, color, v["Over Color"], "Over Color", 9, 1)
    color = b.mix(is_nan, color, v["NaN Color"], "NaN Color", 10, 1)
    gout = b.node("NodeGroupOutput", "Output", 11, 1)
    b.link(color, gout.inputs["Color"])


def _exact_lookup(b: _Builder, name: str, kind: str, inside):
    image = lut_image(name)
    n = image.size[0]
    texel = math_socket(b.tree, "FLOOR",
                        math_socket(b.tree, "MULTIPLY", inside, float(n), at=_at(5, 0),
                                    label=f"x {n} texels"),
                        None, at=_at(6, 0), label="Texel")
    texel = math_socket(b.tree, "MINIMUM", float(n - 1), texel, at=_at(7, 0), label="Last texel")
    centre = math_socket(b.tree, "MULTIPLY_ADD", texel, 1.0 / n, 0.5 / n, at=_at(5, 1),
                         label="Texel centre")
    uv = b.node("ShaderNodeCombineXYZ", "Lookup coordinate", 6, 1)
    b.link(centre, uv.inputs["X"])
    uv.inputs["Y"].default_value = 0.5
    tex = b.node(IMAGE_NODES[kind], f"{name} lookup table", 7, 1,
                 interpolation="Closest", extension="EXTEND")
    tex.width = 200
    if kind == "shader":
        tex.image = image
    else:
        tex.inputs["Image"].default_value = image
    b.link(uv.outputs["Vector"], tex.inputs["Vector"])
    return tex.outputs["Color"]


def _ramp_lookup(b: _Builder, name: str, n_stops: int, inside):
    ramp = b.node("ShaderNodeValToRGB", f"{name} ({n_stops} stops max)", 6, 1)
    ramp.width = 260
    error = apply_to_color_ramp(ramp.color_ramp, name, n_stops)
    b.tree["nb_max_error_8bit"] = error
    b.link(inside, ramp.inputs["Fac"])
    return ramp.outputs["Color"]


def add_colormap_node(tree, name: str, *, mode: str = "exact", n_stops: int = colormaps.MAX_STOPS,
                      location=(0.0, 0.0)):
    """Add a group node of colormap ``name`` to a shader or geometry node ``tree``; returns it,
    selected and active."""
    kind = next((k for k, idname in KINDS.items() if idname == tree.bl_idname), None)
    if kind is None:
        raise NeuroBlendError(f"colormap nodes go in shader or geometry node trees, not "
                              f"{tree.bl_idname}")
    group = colormap_node_group(name, mode=mode, kind=kind, n_stops=n_stops)
    node = tree.nodes.new("ShaderNodeGroup" if kind == "shader" else "GeometryNodeGroup")
    node.node_tree = group
    node.label = f"Colormap {group['nb_colormap']} ({mode})"
    node.width = 200
    node.location = location
    for other in tree.nodes:
        other.select = False
    node.select = True
    tree.nodes.active = node
    return node


def lut_image(name: str) -> bpy.types.Image:
    """The colormap's float lookup image (linear RGB, packed into the .blend), made once."""
    name = colormaps.resolve_name(name)
    lut = colormaps.native_lut(name, "linear")
    image = bpy.data.images.get(lut_image_name(name))
    if image is not None and tuple(image.size) == (len(lut), 1) and image.packed_file is not None:
        return image
    if image is not None:
        bpy.data.images.remove(image)
    image = bpy.data.images.new(lut_image_name(name), len(lut), 1, alpha=True, float_buffer=True)
    pixels = lut.copy()
    pixels[:, 3] = 1.0  # colour only; alpha would be premultiplied into the packed EXR
    image.pixels.foreach_set(pixels.ravel())
    image.file_format = "OPEN_EXR"
    if hasattr(image, "use_half_precision"):
        image.use_half_precision = False
    image.pack()
    return image


def apply_to_color_ramp(color_ramp, name: str, n_stops: int = colormaps.MAX_STOPS,
                        interpolation: str | None = None) -> float:
    """Replace ``color_ramp``'s stops by the fitted stops of ``name``; returns the max error left
    (8-bit sRGB levels). Interpolation defaults to CONSTANT for qualitative maps, else LINEAR."""
    interpolation = interpolation or ramp_fit.default_interpolation(colormaps.resolve_name(name))
    fit = ramp_fit.fit_ramp(name, n_stops, interpolation)
    color_ramp.color_mode = "RGB"
    color_ramp.interpolation = fit.interpolation
    elements = color_ramp.elements
    while len(elements) > 1:
        elements.remove(elements[-1])
    first = elements[0]
    first.position = float(fit.positions[0])
    first.color = tuple(float(c) for c in fit.colors_linear[0])
    for position, color in zip(fit.positions[1:], fit.colors_linear[1:], strict=True):
        element = elements.new(float(position))
        element.color = tuple(float(c) for c in color)
    return float(fit.max_error_8bit)

