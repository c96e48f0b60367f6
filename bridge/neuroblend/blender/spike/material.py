"""The playback material: node groups that sample the baked image at the scene frame, the
colormap, glow, rest lift and rim, every setting driven from the root Empty's ``nb_*`` properties."""

from __future__ import annotations

from neuroblend.blender.core import compat, playback_clock
from neuroblend.blender.core.node_build import (
    add_emission,
    add_math,
    add_node,
    add_output,
    fresh_material,
    math_socket,
    node_group,
)
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


def _combine(tree, x_value, y_value, x: float, y: float):
    node = add_node(tree, "ShaderNodeCombineXYZ", (x, y))
    tree.links.new(x_value, node.inputs["X"])
    tree.links.new(y_value, node.inputs["Y"])
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
    tree = group
    gin = group.nodes.new("NodeGroupInput")
    gin.location = (-1400, 0)
    gout = group.nodes.new("NodeGroupOutput")
    gout.location = (1000, 0)
    i = gin.outputs
    # time shown at this frame (the clock), then the fractional sample position, held inside
    t = playback_clock.clock_time(group, i["Frame"], i["Start Frame"], i["Frames per ms"],
                                  i["Time at Start"], (-1000, 300))
    rel = math_socket(tree, "SUBTRACT", t, i["Data Time"], at=(-600, 300),
                      label="Since first sample")
    pos = math_socket(tree, "DIVIDE", rel, i["Data Step"], at=(-400, 300), label="Sample position")
    last = math_socket(tree, "SUBTRACT", i["Samples"], 1.0, at=(-600, 500), label="Last sample")
    held = math_socket(tree, "MINIMUM",
                       math_socket(tree, "MAXIMUM", pos, 0.0, at=(-200, 300), label="Hold first"),
                       last, at=(0, 300), label="Hold last")
    last_start = math_socket(tree, "MAXIMUM",
                             math_socket(tree, "SUBTRACT", last, 1.0, at=(-400, 500)), 0.0,
                             at=(-200, 500), label="Last pair start")
    sample_a = math_socket(tree, "MINIMUM", math_socket(tree, "FLOOR", held, at=(200, 400)),
                           last_start, at=(400, 400), label="Sample A")
    sample_b = math_socket(tree, "MINIMUM", math_socket(tree, "ADD", sample_a, 1.0, at=(600, 500)),
                           last, at=(800, 500), label="Sample B")
    frac = math_socket(tree, "SUBTRACT", held, sample_a, at=(600, 300), label="Fraction")
    # row -> band and line in the image
    row = math_socket(tree, "FLOOR", math_socket(tree, "ADD", i["Row"], 0.5, at=(-1200, -300)),
                      at=(-1000, -300), label="Row")
    band = math_socket(tree, "FLOOR",
                       math_socket(tree, "DIVIDE", row, i["Band Rows"], at=(-800, -300)),
                       at=(-600, -300), label="Band")
    line = math_socket(tree, "SUBTRACT", row,
                       math_socket(tree, "MULTIPLY", band, i["Band Rows"], at=(-400, -400)),
                       at=(-200, -300), label="Line")
    v = math_socket(tree, "DIVIDE", math_socket(tree, "ADD", line, 0.5, at=(0, -300)), i["Height"],
                    at=(200, -300), label="V")
    band_x = math_socket(tree, "MULTIPLY", band, i["Row Pixels"], at=(-400, -200),
                         label="Band start")
    for label, sample, y, uv_name, ch_name in (("A", sample_a, 0, "UV A", "Channel A"),
                                               ("B", sample_b, -150, "UV B", "Channel B")):
        texel = math_socket(tree, "FLOOR", math_socket(tree, "DIVIDE", sample, 4.0, at=(200, y)),
                            at=(400, y), label=f"Texel {label}")
        channel = math_socket(tree, "SUBTRACT", sample,
                              math_socket(tree, "MULTIPLY", texel, 4.0, at=(600, y - 60)),
                              at=(800, y - 60), label=f"Channel {label}")
        u = math_socket(tree, "DIVIDE",
                        math_socket(tree, "ADD",
                                    math_socket(tree, "ADD", band_x, texel, at=(600, y)), 0.5,
                                    at=(700, y)),
                        i["Width"], at=(800, y), label=f"U {label}")
        group.links.new(_combine(tree, u, v, 900, y), gout.inputs[uv_name])
        group.links.new(channel, gout.inputs[ch_name])
    group.links.new(frac, gout.inputs["Fraction"])


def channel_node_group():
    """Shader group: pick channel 0..3 (R, G, B, A) of a texel without mixing in the others."""
    return node_group(CHANNEL_GROUP, "ShaderNodeTree", _build_channel)


def _build_channel(group) -> None:
    _interface(group, [("Color", "NodeSocketColor"), ("Alpha", "NodeSocketFloat"),
                       ("Channel", "NodeSocketFloat")], [("Value", "NodeSocketFloat")])
    tree = group
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
        weight = math_socket(tree, "COMPARE", gin.outputs["Channel"], float(k), 0.25,
                             at=(-200, 200 - 150 * k), label=f"Is {k}")
        term = math_socket(tree, "MULTIPLY", part, weight, at=(0, 200 - 150 * k))
        total = term if total is None else math_socket(tree, "ADD", total, term,
                                                       at=(200 + 100 * k, 0))
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
    settings = {key: value_node(tree, key, 0.0, -1600, 300 - 60 * n)  # driven from the root
                for n, key in enumerate(MATERIAL_SETTINGS)}
    a, bv, frac = sample_at_row(tree, settings, neuron_mesh.ROW_ATTRIBUTE, image, layout,
                                row_label="Compartment row")
    # NaN: sample A non-finite, or sample B non-finite and actually used
    bad = NAN_SENTINEL / 10
    nan_a = math_socket(tree, "LESS_THAN", a, bad, at=(-450, -450), label="A is NaN")
    nan_b = math_socket(tree, "MULTIPLY", math_socket(tree, "LESS_THAN", bv, bad, at=(-450, -550)),
                        math_socket(tree, "GREATER_THAN", frac, 0.0, at=(-450, -650)),
                        at=(-300, -550), label="B is NaN used")
    is_nan = math_socket(tree, "MAXIMUM", nan_a, nan_b, at=(-150, -500), label="Is NaN")
    value = math_socket(tree, "MULTIPLY_ADD", math_socket(tree, "SUBTRACT", bv, a, at=(-450, 0)),
                        frac, a, at=(-300, 0), label="Value")
    cmap = tree.nodes.new("ShaderNodeGroup")
    cmap.name = cmap.label = COLORMAP_NODE
    cmap.location = (-50, 200)
    set_colormap_node(cmap, colormap, mode)
    tree.links.new(value, cmap.inputs["Value"])
    tree.links.new(settings["nb_value_min"].outputs[0], cmap.inputs["Min"])
    tree.links.new(settings["nb_value_max"].outputs[0], cmap.inputs["Max"])
    tree.links.new(settings["nb_reverse"].outputs[0], cmap.inputs["Reverse"])
    strength = _glow_strength(tree, settings, value, is_nan)
    nan_mix = tree.nodes.new("ShaderNodeMix")
    nan_mix.data_type = "RGBA"
    nan_mix.label = "NaN colour"
    nan_mix.name = "NaN Mix"
    nan_mix.location = (300, 200)
    tree.links.new(is_nan, compat.mix_socket(nan_mix.inputs, "Factor"))
    tree.links.new(cmap.outputs["Color"], compat.mix_socket(nan_mix.inputs, "A"))
    compat.mix_socket(nan_mix.inputs, "B").default_value = cmap.inputs["NaN Color"].default_value
    emission = add_emission(tree, location=(1000, 100))
    surface = spike_look.finish_emission(tree, emission, compat.mix_socket(nan_mix.outputs, "Result"),
                                         strength, is_nan, settings)
    add_output(tree, surface, (1400, 100))
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


def _glow_strength(tree, settings: dict, value, is_nan):
    """brightness + glow * normalised^2, edges darkened, NaN at plain brightness."""
    links = tree.links
    norm = tree.nodes.new("ShaderNodeMapRange")
    norm.label = "Depolarisation"
    norm.clamp = True
    norm.location = (-50, -150)
    links.new(value, norm.inputs["Value"])
    links.new(settings["nb_value_min"].outputs[0], norm.inputs["From Min"])
    links.new(settings["nb_value_max"].outputs[0], norm.inputs["From Max"])
    rise = math_socket(tree, "MULTIPLY",
                       math_socket(tree, "POWER", norm.outputs["Result"], 2.0, at=(150, -150)),
                       settings["nb_glow"].outputs[0], at=(300, -150), label="Glow")
    rise = math_socket(tree, "MULTIPLY", rise,
                       math_socket(tree, "SUBTRACT", 1.0, is_nan, at=(300, -350)), at=(450, -200),
                       label="No glow for NaN")
    strength = math_socket(tree, "ADD", settings["nb_brightness"].outputs[0], rise, at=(600, -150),
                           label="Strength")
    facing = tree.nodes.new("ShaderNodeLayerWeight")
    facing.location = (300, -450)
    facing.inputs["Blend"].default_value = 0.5
    edge = math_socket(tree, "MULTIPLY_ADD", facing.outputs["Facing"],
                       math_socket(tree, "MULTIPLY", settings["nb_edge_darkening"].outputs[0], -1.0,
                                   at=(450, -550)),
                       1.0, at=(600, -450), label="Edge shading")
    return math_socket(tree, "MULTIPLY", strength, edge, at=(800, -250), label="Shaded strength")


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
