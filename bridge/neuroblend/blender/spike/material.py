"""The playback material: node groups that sample the baked image at the scene frame, the
colormap, glow, rest lift and rim, every setting driven from the root Empty's ``nb_*`` properties."""

from __future__ import annotations

from neuroblend.blender.core import compat, playback_clock
from neuroblend.blender.core.node_build import add_math, add_node, fresh_material, node_group
from neuroblend.blender.spike import look as spike_look
from neuroblend.blender.spike import neuron_mesh
from neuroblend.blender.spike.settings_ui import MATERIAL_SETTINGS
from neuroblend.spike.bake_layout import NAN_SENTINEL, BakeLayout

SAMPLE_GROUP = "NB Spike Sample"
CHANNEL_GROUP = "NB Spike Channel"
COLORMAP_NODE = "Colormap"


def _interface(group, inputs, outputs) -> None:
    """Give a new node group the (name, socket type) ``inputs`` and ``outputs``."""
    for sock_name, sock_type in inputs:
        compat.new_socket(group, sock_name, "INPUT", sock_type)
    for sock_name, sock_type in outputs:
        compat.new_socket(group, sock_name, "OUTPUT", sock_type)


class _Builder:
    """Tiny helper to add math nodes with labels and tidy positions."""

    def __init__(self, tree):
        self.tree = tree

    def math(self, op: str, a, b=None, c=None, label: str = "", x: float = 0, y: float = 0):
        return add_math(self.tree, op, (x, y), a, b, c, label=label or op.title()).outputs[0]

    def combine(self, x_value, y_value, x: float, y: float):
        node = self.tree.nodes.new("ShaderNodeCombineXYZ")
        node.location = (x, y)
        self.tree.links.new(x_value, node.inputs["X"])
        self.tree.links.new(y_value, node.inputs["Y"])
        return node.outputs[0]


def sample_node_group():
    """Shader group: frame + row -> texture UVs/channels of the two samples around the time."""
    return node_group(SAMPLE_GROUP, "ShaderNodeTree", _build_sample)


def _build_sample(group) -> None:
    inputs = [(n, "NodeSocketFloat") for n in (
        "Frame", "Start Frame", "Frames per ms", "Time at Start", "Data Time", "Data Step",
        "Samples", "Row", "Band Rows", "Row Pixels", "Width", "Height")]
    outputs = [("UV A", "NodeSocketVector"), ("Channel A", "NodeSocketFloat"),
               ("UV B", "NodeSocketVector"), ("Channel B", "NodeSocketFloat"),
               ("Fraction", "NodeSocketFloat")]
    _interface(group, inputs, outputs)
    b = _Builder(group)
    gin = group.nodes.new("NodeGroupInput")
    gin.location = (-1400, 0)
    gout = group.nodes.new("NodeGroupOutput")
    gout.location = (1000, 0)
    i = gin.outputs
    # time shown at this frame (the clock), then the fractional sample position, held inside
    t = playback_clock.clock_time(group, i["Frame"], i["Start Frame"], i["Frames per ms"],
                                  i["Time at Start"], (-1000, 300))
    rel = b.math("SUBTRACT", t, i["Data Time"], label="Since first sample", x=-600, y=300)
    pos = b.math("DIVIDE", rel, i["Data Step"], label="Sample position", x=-400, y=300)
    last = b.math("SUBTRACT", i["Samples"], 1.0, label="Last sample", x=-600, y=500)
    held = b.math("MINIMUM", b.math("MAXIMUM", pos, 0.0, label="Hold first", x=-200, y=300),
                  last, label="Hold last", x=0, y=300)
    last_start = b.math("MAXIMUM", b.math("SUBTRACT", last, 1.0, x=-400, y=500), 0.0,
                        label="Last pair start", x=-200, y=500)
    sample_a = b.math("MINIMUM", b.math("FLOOR", held, x=200, y=400), last_start,
                      label="Sample A", x=400, y=400)
    sample_b = b.math("MINIMUM", b.math("ADD", sample_a, 1.0, x=600, y=500), last,
                      label="Sample B", x=800, y=500)
    frac = b.math("SUBTRACT", held, sample_a, label="Fraction", x=600, y=300)
    # row -> band and line in the image
    row = b.math("FLOOR", b.math("ADD", i["Row"], 0.5, x=-1200, y=-300), label="Row",
                 x=-1000, y=-300)
    band = b.math("FLOOR", b.math("DIVIDE", row, i["Band Rows"], x=-800, y=-300), label="Band",
                  x=-600, y=-300)
    line = b.math("SUBTRACT", row, b.math("MULTIPLY", band, i["Band Rows"], x=-400, y=-400),
                  label="Line", x=-200, y=-300)
    v = b.math("DIVIDE", b.math("ADD", line, 0.5, x=0, y=-300), i["Height"], label="V",
               x=200, y=-300)
    band_x = b.math("MULTIPLY", band, i["Row Pixels"], label="Band start", x=-400, y=-200)
    for label, sample, y, uv_name, ch_name in (("A", sample_a, 0, "UV A", "Channel A"),
                                               ("B", sample_b, -150, "UV B", "Channel B")):
        texel = b.math("FLOOR", b.math("DIVIDE", sample, 4.0, x=200, y=y), label=f"Texel {label}",
                       x=400, y=y)
        channel = b.math("SUBTRACT", sample, b.math("MULTIPLY", texel, 4.0, x=600, y=y - 60),
                         label=f"Channel {label}", x=800, y=y - 60)
        u = b.math("DIVIDE", b.math("ADD", b.math("ADD", band_x, texel, x=600, y=y), 0.5,
                                    x=700, y=y), i["Width"], label=f"U {label}", x=800, y=y)
        group.links.new(b.combine(u, v, 900, y), gout.inputs[uv_name])
        group.links.new(channel, gout.inputs[ch_name])
    group.links.new(frac, gout.inputs["Fraction"])


def channel_node_group():
    """Shader group: pick channel 0..3 (R, G, B, A) of a texel without mixing in the others."""
    return node_group(CHANNEL_GROUP, "ShaderNodeTree", _build_channel)


def _build_channel(group) -> None:
    _interface(group, [("Color", "NodeSocketColor"), ("Alpha", "NodeSocketFloat"),
                       ("Channel", "NodeSocketFloat")], [("Value", "NodeSocketFloat")])
    b = _Builder(group)
    gin = group.nodes.new("NodeGroupInput")
    gin.location = (-600, 0)
    gout = group.nodes.new("NodeGroupOutput")
    gout.location = (800, 0)
    sep = group.nodes.new("ShaderNodeSeparateColor")
    sep.location = (-400, 200)
    group.links.new(gin.outputs["Color"], sep.inputs["Color"])
    parts = [sep.outputs["Red"], sep.outputs["Green"], sep.outputs["Blue"], gin.outputs["Alpha"]]
    total = None
    for k, part in enumerate(parts):
        weight = b.math("COMPARE", gin.outputs["Channel"], float(k), 0.25, label=f"Is {k}",
                        x=-200, y=200 - 150 * k)
        term = b.math("MULTIPLY", part, weight, x=0, y=200 - 150 * k)
        total = term if total is None else b.math("ADD", total, term, x=200 + 100 * k, y=0)
    group.links.new(total, gout.inputs["Value"])


def value_node(tree, label: str, value: float, x: float, y: float):
    node = tree.nodes.new("ShaderNodeValue")
    node.name = node.label = label
    node.outputs[0].default_value = float(value)
    node.location = (x, y)
    return node


def build_material(name: str, image, layout: BakeLayout, colormap: str, mode: str = "exact"):
    """The playback material: baked samples -> interpolated value -> colormap emission + glow."""
    mat = playback_clock.seen_emission(fresh_material(name, reuse=False))
    tree = mat.node_tree
    b = _Builder(tree)
    settings = {key: value_node(tree, key, 0.0, -1600, 300 - 60 * n)  # driven from the root
                for n, key in enumerate(MATERIAL_SETTINGS)}
    a, bv, frac = sample_at_row(tree, settings, neuron_mesh.ROW_ATTRIBUTE, image, layout,
                                row_label="Compartment row")
    # NaN: sample A non-finite, or sample B non-finite and actually used
    bad = NAN_SENTINEL / 10
    nan_a = b.math("LESS_THAN", a, bad, label="A is NaN", x=-450, y=-450)
    nan_b = b.math("MULTIPLY", b.math("LESS_THAN", bv, bad, x=-450, y=-550),
                   b.math("GREATER_THAN", frac, 0.0, x=-450, y=-650), label="B is NaN used",
                   x=-300, y=-550)
    is_nan = b.math("MAXIMUM", nan_a, nan_b, label="Is NaN", x=-150, y=-500)
    value = b.math("MULTIPLY_ADD", b.math("SUBTRACT", bv, a, x=-450, y=0), frac, a,
                   label="Value", x=-300, y=0)
    cmap = tree.nodes.new("ShaderNodeGroup")
    cmap.name = cmap.label = COLORMAP_NODE
    cmap.location = (-50, 200)
    set_colormap_node(cmap, colormap, mode)
    tree.links.new(value, cmap.inputs["Value"])
    tree.links.new(settings["nb_value_min"].outputs[0], cmap.inputs["Min"])
    tree.links.new(settings["nb_value_max"].outputs[0], cmap.inputs["Max"])
    tree.links.new(settings["nb_reverse"].outputs[0], cmap.inputs["Reverse"])
    strength = _glow_strength(tree, b, settings, value, is_nan)
    nan_mix = tree.nodes.new("ShaderNodeMix")
    nan_mix.data_type = "RGBA"
    nan_mix.label = "NaN colour"
    nan_mix.name = "NaN Mix"
    nan_mix.location = (300, 200)
    tree.links.new(is_nan, compat.mix_socket(nan_mix.inputs, "Factor"))
    tree.links.new(cmap.outputs["Color"], compat.mix_socket(nan_mix.inputs, "A"))
    compat.mix_socket(nan_mix.inputs, "B").default_value = cmap.inputs["NaN Color"].default_value
    emission = tree.nodes.new("ShaderNodeEmission")
    emission.location = (1000, 100)
    surface = spike_look.finish_emission(tree, emission, compat.mix_socket(nan_mix.outputs, "Result"),
                                         strength, is_nan, settings)
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    out.location = (1400, 100)
    tree.links.new(surface, out.inputs["Surface"])
    return mat


TIMING_INPUTS = {"nb_start_frame": "Start Frame", "nb_frames_per_ms": "Frames per ms",
                 "nb_time_start": "Time at Start"}  # root property -> Sample position input


def driven_timing(tree, root) -> dict:
    """Value nodes of the root's timing properties (``TIMING_INPUTS`` keys), driven from it."""
    timing = {}
    for n, key in enumerate(TIMING_INPUTS):
        timing[key] = value_node(tree, key, float(root.get(key, 0.0)), -1600, 300 - 60 * n)
        drive_from_root(tree, f'nodes["{key}"].outputs[0].default_value', root, key)
    return timing


def sample_at_row(tree, timing: dict, row_attribute: str, image, layout: BakeLayout, *,
                  row_label: str, value_label: str = "Value", instanced: bool = False):
    """The two baked samples of ``image`` around the current time at this shading point's row
    (geometry attribute ``row_attribute``; of the instance, for geometry nodes ``instanced``
    on points), A and B, and the fraction between them.

    The one place where baked samples are fetched for the current frame (cells, connections):
    the scene clock, and ``timing``'s value nodes (keyed like ``TIMING_INPUTS``).
    """
    links = tree.links
    sample = add_node(tree, "ShaderNodeGroup", (-1300, 0), name="Sample position")
    sample.node_tree = sample_node_group()
    links.new(playback_clock.frame_socket(tree, (-1600, 400)), sample.inputs["Frame"])
    for key, socket in TIMING_INPUTS.items():
        links.new(timing[key].outputs[0], sample.inputs[socket])
    row = add_node(tree, "ShaderNodeAttribute", (-1600, -400), row_label)
    row.attribute_type = "INSTANCER" if instanced else "GEOMETRY"
    row.attribute_name = row_attribute
    links.new(row.outputs["Fac"], sample.inputs["Row"])
    set_layout_inputs(sample, layout)
    fetched = []
    for k, tag in enumerate("AB"):
        tex = add_node(tree, "ShaderNodeTexImage", (-1000, 200 - 350 * k), name=f"Samples {tag}")
        tex.image, tex.interpolation, tex.extension = image, "Closest", "EXTEND"
        links.new(sample.outputs[f"UV {tag}"], tex.inputs["Vector"])
        pick = add_node(tree, "ShaderNodeGroup", (-700, 200 - 350 * k), f"{value_label} {tag}")
        pick.node_tree = channel_node_group()
        links.new(tex.outputs["Color"], pick.inputs["Color"])
        links.new(tex.outputs["Alpha"], pick.inputs["Alpha"])
        links.new(sample.outputs[f"Channel {tag}"], pick.inputs["Channel"])
        fetched.append(pick.outputs["Value"])
    return fetched[0], fetched[1], sample.outputs["Fraction"]


def value_at_frame(tree, root, image, layout: BakeLayout, row_attribute: str, *, label: str,
                   instanced: bool = False):
    """The baked value of this shading point's row (see :func:`sample_at_row`) interpolated at
    the current frame, timed by ``root``'s driven properties; a value baked as "off" (a huge
    negative number) stays far below 0 whenever either sample is off."""
    timing = driven_timing(tree, root)
    a, b, fraction = sample_at_row(tree, timing, row_attribute, image, layout,
                                   row_label=f"{label} row", value_label=label,
                                   instanced=instanced)
    return add_math(tree, "MULTIPLY_ADD", (-400, 0),
                    add_math(tree, "SUBTRACT", (-500, -100), b, a).outputs[0],
                    fraction, a, label=label).outputs[0]


def set_layout_inputs(sample, layout: BakeLayout) -> None:
    """Give a "NB Spike Sample" group node the baked image's layout."""
    for key, value in (("Data Time", layout.time0), ("Data Step", layout.step),
                       ("Samples", layout.samples), ("Band Rows", layout.band_rows),
                       ("Row Pixels", layout.row_pixels), ("Width", layout.width),
                       ("Height", layout.height)):
        sample.inputs[key].default_value = float(value)


def _glow_strength(tree, b: _Builder, settings: dict, value, is_nan):
    """brightness + glow * normalised^2, edges darkened, NaN at plain brightness."""
    links = tree.links
    norm = tree.nodes.new("ShaderNodeMapRange")
    norm.label = "Depolarisation"
    norm.clamp = True
    norm.location = (-50, -150)
    links.new(value, norm.inputs["Value"])
    links.new(settings["nb_value_min"].outputs[0], norm.inputs["From Min"])
    links.new(settings["nb_value_max"].outputs[0], norm.inputs["From Max"])
    rise = b.math("MULTIPLY", b.math("POWER", norm.outputs["Result"], 2.0, x=150, y=-150),
                  settings["nb_glow"].outputs[0], label="Glow", x=300, y=-150)
    rise = b.math("MULTIPLY", rise, b.math("SUBTRACT", 1.0, is_nan, x=300, y=-350),
                  label="No glow for NaN", x=450, y=-200)
    strength = b.math("ADD", settings["nb_brightness"].outputs[0], rise, label="Strength",
                      x=600, y=-150)
    facing = tree.nodes.new("ShaderNodeLayerWeight")
    facing.location = (300, -450)
    facing.inputs["Blend"].default_value = 0.5
    edge = b.math("MULTIPLY_ADD", facing.outputs["Facing"],
                  b.math("MULTIPLY", settings["nb_edge_darkening"].outputs[0], -1.0,
                         x=450, y=-550), 1.0, label="Edge shading", x=600, y=-450)
    return b.math("MULTIPLY", strength, edge, label="Shaded strength", x=800, y=-250)


def set_colormap_node(node, colormap: str, mode: str) -> None:
    from neuroblend.blender.colormaps.nodes import colormap_node_group
    from neuroblend.colormaps import luts as colormaps

    node.node_tree = colormap_node_group(colormap, mode=mode, kind="shader")
    nan = tuple(float(c) for c in colormaps.nan_color(colormap, space="linear")[:3]) + (1.0,)
    node.inputs["NaN Color"].default_value = nan
    mix = node.id_data.nodes.get("NaN Mix")
    if mix is not None:
        compat.mix_socket(mix.inputs, "B").default_value = nan


def drive_from_root(target, data_path: str, root, prop: str):
    """Make ``target.data_path`` follow ``root[prop]`` (an Average driver: no Python at all)."""
    target.driver_remove(data_path)
    curve = target.driver_add(data_path)
    driver = curve.driver
    driver.type = "AVERAGE"
    var = driver.variables.new()
    var.name = "value"
    var.type = "SINGLE_PROP"
    var.targets[0].id_type = "OBJECT"
    var.targets[0].id = root
    var.targets[0].data_path = f'["{prop}"]'
    return curve
