"""Baked spike playback: simulation values packed into the .blend, read by the shader from the frame.

The values matrix (rows = compartments, columns = uniformly spaced samples) is stored in a packed
float image, four consecutive samples per RGBA texel; when there are more rows than fit in one
texture column (16384) the rows wrap into side-by-side bands. The material ("NB Spike <name>")
reads each vertex's row (``nb_compartment``) and the current frame (the scene clock of
``playback_clock``: a ``frame`` driver evaluated by Blender without Python), fetches the two
samples around the current time, interpolates, holds the first/last value outside the recording,
and colours the emission through the shared colormap node group; NaN/inf values show the
colormap's NaN colour.
A frame change re-syncs only this shader in Cycles: no mesh, BVH or light tree (see
``playback_clock``).

Every setting lives as a custom property on the simulation's root Empty (``nb_*``) and reaches the
material, the thickness modifiers and the overlays through plain drivers, so editing a property (in
the NeuroBlend panel or Object > Custom Properties) changes the shot at once, and a saved .blend
renders the same in a fresh Blender with no add-on and without the simulation file.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import bpy
import numpy as np

from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.core.node_build import add_math, node_group
from neuroblend.blender.spike import look as spike_look
from neuroblend.blender.spike import neuron_mesh, tube_thickness
from neuroblend.errors import NeuroBlendError
from neuroblend.spike import timebase
from neuroblend.spike.bake_layout import (
    NAN_SENTINEL,
    BakeLayout,
    pack_values,
    plan_layout,
    uniform_samples,
    unpack_values,
)
from neuroblend.spike.tube_geometry import TubeOptions

OVERLAY_RESERVE = (0.16, 0.11)  # frame height kept free for the colorbar (bottom), time (top)
ROOT_MARKER = "nb_spike"
SAMPLE_GROUP = "NB Spike Sample"
CHANNEL_GROUP = "NB Spike Channel"
COLORMAP_NODE = "Colormap"
# root custom property -> (default, soft min, soft max, description)
SETTINGS = {
    "nb_start_frame": (1.0, -10000, 100000, "Frame that shows 'Time at start'"),
    "nb_frames_per_ms": (1.0, 0.001, 10000, "Animation frames per simulated millisecond"),
    "nb_time_start": (0.0, -1e6, 1e6, "Simulation time (ms) shown at the start frame"),
    "nb_value_min": (-70.0, -1e6, 1e6, "Value at the low end of the colormap"),
    "nb_value_max": (30.0, -1e6, 1e6, "Value at the high end of the colormap"),
    "nb_brightness": (1.0, 0.0, 100.0, "Emission strength at rest"),
    "nb_glow": (6.0, 0.0, 1000.0, "Extra emission strength at the top of the range"),
    "nb_edge_darkening": (0.5, 0.0, 1.0, "Darken tube edges to show their roundness"),
    "nb_rest_lift": (0.08, 0.0, 1.0, "White added to the colour so the cell shows at rest"),
    "nb_rim": (1.0, 0.0, 100.0, "Fresnel rim on the emission (depth cue; 0: off)"),
    "nb_reverse": (0.0, 0.0, 1.0, "Run the colormap from its end to its start"),
    "nb_radius_scale": (1.0, 0.0, 100.0, "Tube radius multiplier"),
    "nb_min_radius": (0.25, 0.0, 1000.0, "Minimum tube radius (um)"),
    "nb_homogeneity": (0.0, 0.0, 1.0, "Blend tube radii towards the cell's mean radius"),
    "nb_min_pixels": (1.5, 0.0, 100.0, "Minimum on-screen tube width (pixels; 0: off)"),
}
MATERIAL_SETTINGS = ("nb_start_frame", "nb_frames_per_ms", "nb_time_start", "nb_value_min",
                     "nb_value_max", "nb_brightness", "nb_glow", "nb_edge_darkening", "nb_reverse",
                     "nb_rest_lift", "nb_rim")
_THICKNESS_INPUTS = {"nb_radius_scale": "Radius Scale", "nb_min_radius": "Minimum Radius",
                     "nb_homogeneity": "Homogeneity", "nb_min_pixels": "Minimum Pixels"}


@dataclass(frozen=True)
class SpikeSettings:
    """Look and timing of an imported simulation (all editable later on the root Empty)."""

    colormap: str = "plasma"
    colormap_mode: str = "exact"  # "exact" (lookup table) or "ramp" (ColorRamp)
    value_min: float | None = None  # None: the ``percentiles`` of the finite values
    value_max: float | None = None
    percentiles: tuple[float, float] = (1.0, 99.9)
    frames_per_ms: float | None = None  # None: one frame per recorded sample
    start_frame: int = 1
    brightness: float = 1.0
    glow: float = 6.0
    edge_darkening: float = 0.5
    reverse: bool = False
    rest_lift: float = 0.08  # white added at rest so whole cells read on black (spike_look)
    rim: float = 1.0  # Fresnel rim strength (depth cue)


# --------------------------------------------------------------------------- baking


def bake_values(name: str, time, values) -> tuple[object, BakeLayout]:
    """Pack ``values`` into a new float image stored inside the .blend; returns (image, layout)."""
    time0, step, uniform = uniform_samples(time, values)
    layout = plan_layout(uniform.shape[0], uniform.shape[1], time0, step)
    pixels = pack_values(uniform, layout)
    image = bpy.data.images.new(name, layout.width, layout.height, alpha=True,
                                float_buffer=True, is_data=True)
    image.alpha_mode = "CHANNEL_PACKED"
    image.colorspace_settings.is_data = True
    image.pixels.foreach_set(pixels.ravel())
    image.pack()
    return image, layout


# --------------------------------------------------------------------------- node groups

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
    # time shown at this frame, then the fractional sample position, held inside the data
    elapsed = b.math("SUBTRACT", i["Frame"], i["Start Frame"], label="Frames since start",
                     x=-1200, y=300)
    ms = b.math("DIVIDE", elapsed, i["Frames per ms"], label="ms since start", x=-1000, y=300)
    t = b.math("ADD", ms, i["Time at Start"], label="Time (ms)", x=-800, y=300)
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


# --------------------------------------------------------------------------- material

def _value_node(tree, label: str, value: float, x: float, y: float):
    node = tree.nodes.new("ShaderNodeValue")
    node.name = node.label = label
    node.outputs[0].default_value = float(value)
    node.location = (x, y)
    return node


def build_material(name: str, image, layout: BakeLayout, colormap: str, mode: str = "exact"):
    """The playback material: baked samples -> interpolated value -> colormap emission + glow."""
    mat = playback_clock.seen_emission(bpy.data.materials.new(name))
    compat.enable_nodes(mat)
    tree = mat.node_tree
    tree.nodes.clear()
    links = tree.links
    b = _Builder(tree)
    frame = playback_clock.frame_socket(tree, (-1600, 400))
    settings = {key: _value_node(tree, key, SETTINGS[key][0], -1600, 300 - 60 * n)
                for n, key in enumerate(MATERIAL_SETTINGS)}
    row = tree.nodes.new("ShaderNodeAttribute")
    row.attribute_type = "GEOMETRY"
    row.attribute_name = neuron_mesh.ROW_ATTRIBUTE
    row.label = "Compartment row"
    row.location = (-1600, -400)
    sample = tree.nodes.new("ShaderNodeGroup")
    sample.node_tree = sample_node_group()
    sample.name = sample.label = "Sample position"
    sample.location = (-1300, 0)
    links.new(frame, sample.inputs["Frame"])
    links.new(settings["nb_start_frame"].outputs[0], sample.inputs["Start Frame"])
    links.new(settings["nb_frames_per_ms"].outputs[0], sample.inputs["Frames per ms"])
    links.new(settings["nb_time_start"].outputs[0], sample.inputs["Time at Start"])
    links.new(row.outputs["Fac"], sample.inputs["Row"])
    for key, value in (("Data Time", layout.time0), ("Data Step", layout.step),
                       ("Samples", layout.samples), ("Band Rows", layout.band_rows),
                       ("Row Pixels", layout.row_pixels), ("Width", layout.width),
                       ("Height", layout.height)):
        sample.inputs[key].default_value = float(value)
    fetched = []
    for k, tag in enumerate("AB"):
        tex = tree.nodes.new("ShaderNodeTexImage")
        tex.name = tex.label = f"Samples {tag}"
        tex.image = image
        tex.interpolation = "Closest"
        tex.extension = "EXTEND"
        tex.location = (-1000, 200 - 350 * k)
        links.new(sample.outputs[f"UV {tag}"], tex.inputs["Vector"])
        pick = tree.nodes.new("ShaderNodeGroup")
        pick.node_tree = channel_node_group()
        pick.label = f"Value {tag}"
        pick.location = (-700, 200 - 350 * k)
        links.new(tex.outputs["Color"], pick.inputs["Color"])
        links.new(tex.outputs["Alpha"], pick.inputs["Alpha"])
        links.new(sample.outputs[f"Channel {tag}"], pick.inputs["Channel"])
        fetched.append(pick.outputs["Value"])
    a, bv = fetched
    frac = sample.outputs["Fraction"]
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
    _set_colormap_node(cmap, colormap, mode)
    links.new(value, cmap.inputs["Value"])
    links.new(settings["nb_value_min"].outputs[0], cmap.inputs["Min"])
    links.new(settings["nb_value_max"].outputs[0], cmap.inputs["Max"])
    links.new(settings["nb_reverse"].outputs[0], cmap.inputs["Reverse"])
    # glow: brightness + glow * normalised^2, edges darkened, NaN at plain brightness
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
    strength = b.math("MULTIPLY", strength, edge, label="Shaded strength", x=800, y=-250)
    nan_mix = tree.nodes.new("ShaderNodeMix")
    nan_mix.data_type = "RGBA"
    nan_mix.label = "NaN colour"
    nan_mix.name = "NaN Mix"
    nan_mix.location = (300, 200)
    links.new(is_nan, _socket(nan_mix.inputs, "Factor"))
    links.new(cmap.outputs["Color"], _socket(nan_mix.inputs, "A"))
    _socket(nan_mix.inputs, "B").default_value = cmap.inputs["NaN Color"].default_value
    emission = tree.nodes.new("ShaderNodeEmission")
    emission.location = (1000, 100)
    surface = spike_look.finish_emission(tree, emission, _socket(nan_mix.outputs, "Result"),
                                         strength, is_nan, settings)
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    out.location = (1400, 100)
    links.new(surface, out.inputs["Surface"])
    return mat


def _socket(sockets, name: str):
    """The socket called ``name`` in use (4.x Mix nodes keep hidden sockets of other types)."""
    return next(s for s in sockets if s.name == name and s.enabled)


def _set_colormap_node(node, colormap: str, mode: str) -> None:
    from neuroblend.blender.colormaps.nodes import colormap_node_group
    from neuroblend.colormaps import luts as colormaps

    node.node_tree = colormap_node_group(colormap, mode=mode, kind="shader")
    nan = tuple(float(c) for c in colormaps.nan_color(colormap, space="linear")[:3]) + (1.0,)
    node.inputs["NaN Color"].default_value = nan
    mix = node.id_data.nodes.get("NaN Mix")
    if mix is not None:
        _socket(mix.inputs, "B").default_value = nan


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


# --------------------------------------------------------------------------- scene import

def value_range(values, settings: SpikeSettings) -> tuple[float, float]:
    """Colormap range: as given, else the settings' percentiles of the finite values."""
    lo, hi = settings.value_min, settings.value_max
    finite = np.asarray(values)[np.isfinite(values)] if lo is None or hi is None else None
    if finite is not None and finite.size:
        plo, phi = np.percentile(finite, settings.percentiles)
        lo = float(plo) if lo is None else lo
        hi = float(phi) if hi is None else hi
    lo = -70.0 if lo is None else float(lo)
    hi = lo + 1.0 if hi is None or hi <= lo else float(hi)
    return lo, hi


def load_simulation(path) -> dict:
    """Load and validate a simulation file (NeuroBlend or legacy BlenderSpike pickle)."""
    from neuroblend.files.fileformat import load_document

    if not Path(path).is_file():
        raise NeuroBlendError(f"{path}: no such file")
    return load_document(path, expect="neuroblend.simulation")


def import_simulation(source, *, scene=None, name: str | None = None,
                      tube: TubeOptions | None = None, settings: SpikeSettings | None = None,
                      time_label: bool = False, colorbar: bool = False,
                      progress: Callable[[int, int, str], None] | None = None,
                      build_cells: Callable | None = None):
    """Build the playback scene of a simulation file or document; returns the root Empty.

    Creates a collection with a root Empty (the settings), one tube mesh per cell parented to it,
    the baked data image and the playback material. ``build_cells`` (default
    ``neuron_mesh.build_cell_objects``, same signature) makes the cell objects, e.g. at a
    network's level of detail.
    """
    doc = load_simulation(source) if isinstance(source, (str, Path)) else source
    scene = scene or bpy.context.scene
    tube = tube or TubeOptions()
    settings = settings or SpikeSettings()
    name = name or (Path(source).stem if isinstance(source, (str, Path)) else "Simulation")
    try:
        tube = tube.check()
    except ValueError as exc:
        raise NeuroBlendError(str(exc)) from None
    from neuroblend.colormaps import luts as colormaps

    settings = replace(settings, colormap=colormaps.resolve_name(settings.colormap))
    if settings.colormap_mode not in ("exact", "ramp"):
        raise NeuroBlendError(f"colormap mode {settings.colormap_mode!r}: use 'exact' or 'ramp'")
    playback_clock.ensure_clock(scene)
    collection = bpy.data.collections.new(f"NB Spike {name}")
    scene.collection.children.link(collection)
    root = bpy.data.objects.new(f"NB Spike {name}", None)
    root.empty_display_type = "PLAIN_AXES"
    root.rotation_euler = (math.pi / 2, 0.0, 0.0)  # morphology +Y (apical, towards pia) up
    collection.objects.link(root)
    time, values = doc["time"], doc["values"]
    image, layout = bake_values(f"NB Spike Data {name}", time, values)
    lo, hi = value_range(values, settings)
    fpms = settings.frames_per_ms or (1.0 / layout.step if layout.samples > 1 else 1.0)
    _init_root(root, doc, layout, replace(settings, value_min=lo, value_max=hi,
                                          frames_per_ms=timebase.check_frames_per_ms(fpms)), tube)
    material = build_material(f"NB Spike {name}", image, layout, settings.colormap,
                              settings.colormap_mode)
    material["nb_root"] = root.name
    root["nb_material"] = material.name
    root["nb_image"] = image.name
    for key in MATERIAL_SETTINGS:
        drive_from_root(material.node_tree, f'nodes["{key}"].outputs[0].default_value', root, key)
    cells = (build_cells or neuron_mesh.build_cell_objects)(
        doc, tube, collection=collection, name_prefix=f"{name} ", progress=progress)
    for obj in cells:
        obj.parent = root
        obj.data.materials.append(material)
        obj["nb_root"] = root.name
        mod = obj.modifiers[tube_thickness.THICKNESS_MODIFIER]
        for key, socket in _THICKNESS_INPUTS.items():
            drive_from_root(obj, compat.modifier_input_path(mod, socket), root, key)
    if time_label or colorbar:
        from neuroblend.blender.spike import overlays as spike_overlays

        if time_label:
            spike_overlays.add_time_label(root, scene)
        if colorbar:
            spike_overlays.add_colorbar(root, scene)
    return root


def _init_root(root, doc, layout: BakeLayout, settings: SpikeSettings, tube: TubeOptions):
    root[ROOT_MARKER] = 1
    values = {
        "nb_start_frame": float(settings.start_frame),
        "nb_frames_per_ms": float(settings.frames_per_ms),
        "nb_time_start": float(layout.time0),
        "nb_value_min": float(settings.value_min),
        "nb_value_max": float(settings.value_max),
        "nb_brightness": float(settings.brightness),
        "nb_glow": float(settings.glow),
        "nb_edge_darkening": float(settings.edge_darkening),
        "nb_reverse": bool(settings.reverse),
        "nb_rest_lift": float(settings.rest_lift),
        "nb_rim": float(settings.rim),
        "nb_min_pixels": float(tube.min_pixels),
        "nb_radius_scale": float(tube.radius_scale),
        "nb_min_radius": float(tube.min_radius),
        "nb_homogeneity": float(tube.homogeneity),
    }
    for key, value in values.items():
        _, soft_min, soft_max, description = SETTINGS[key]
        root[key] = value
        ui = root.id_properties_ui(key)
        if isinstance(value, bool):
            ui.update(description=description)
        else:
            ui.update(soft_min=soft_min, soft_max=soft_max, description=description)
    root["nb_colormap"] = settings.colormap
    root["nb_colormap_mode"] = settings.colormap_mode
    root["nb_data_time_start"] = float(layout.time0)
    root["nb_data_time_end"] = float(layout.time0 + layout.step * (layout.samples - 1))
    root["nb_data_step"] = float(layout.step)
    root["nb_samples"] = int(layout.samples)
    root["nb_layout"] = [layout.rows, layout.band_rows, layout.row_pixels]
    root["nb_variable"] = str(doc["variable"])
    root["nb_value_unit"] = str(doc["units"].get("values", ""))
    root["nb_time_unit"] = str(doc["units"].get("time", "ms"))


# --------------------------------------------------------------------------- after import

def find_root(obj):
    """The simulation root Empty of ``obj``: itself, an ancestor, or the one ``obj['nb_root']``
    names (overlays parented to the camera)."""
    seen = obj
    while seen is not None:
        if seen.get(ROOT_MARKER):
            return seen
        seen = seen.parent
    named = bpy.data.objects.get(obj.get("nb_root", "")) if obj is not None else None
    return named if named is not None and named.get(ROOT_MARKER) else None


def cell_objects(root) -> list:
    """The cell mesh objects of a simulation root."""
    return [obj for obj in root.children if obj.type == "MESH" and obj.get("nb_root")]


def set_colormap(root, colormap: str, mode: str | None = None) -> None:
    """Switch the simulation's colormap (any matplotlib name; e.g. 'viridis', 'coolwarm_r')."""
    from neuroblend.colormaps import luts as colormaps

    colormap = colormaps.resolve_name(colormap)
    mode = mode or root.get("nb_colormap_mode", "exact")
    material = bpy.data.materials.get(root.get("nb_material", ""))
    if material is None:
        raise NeuroBlendError(f"{root.name}: its playback material is missing")
    _set_colormap_node(material.node_tree.nodes[COLORMAP_NODE], colormap, mode)
    root["nb_colormap"] = colormap
    root["nb_colormap_mode"] = mode
    for obj in root.children:
        if obj.get("nb_overlay") == "colorbar":
            from neuroblend.blender.spike import overlays as spike_overlays

            spike_overlays.refresh_colorbar(obj, root)


def baked_values(root) -> np.ndarray:
    """The values baked into the simulation's image, [compartments, samples]."""
    image = bpy.data.images.get(root.get("nb_image", ""))
    if image is None or "nb_layout" not in root:
        raise NeuroBlendError(f"{root.name}: its baked data image is missing")
    rows, band_rows, row_pixels = (int(v) for v in root["nb_layout"])
    width, height = image.size
    layout = BakeLayout(rows, int(root["nb_samples"]), float(root["nb_data_time_start"]),
                        float(root["nb_data_step"]), band_rows, row_pixels, width, height)
    pixels = np.empty(width * height * 4, dtype=np.float32)
    image.pixels.foreach_get(pixels)
    return unpack_values(pixels.reshape(height, width, 4), layout)


def range_from_data(root, percentiles: tuple[float, float] = (1.0, 99.9)) -> tuple[float, float]:
    """Set the colour range to percentiles of the baked values (works without the data file)."""
    lo, hi = value_range(baked_values(root), SpikeSettings(percentiles=tuple(percentiles)))
    root["nb_value_min"], root["nb_value_max"] = lo, hi
    return lo, hi


def fit_timeline(root, scene=None, end_time: float | None = None) -> tuple[int, int]:
    """Set the scene's frame range to cover the recording (from the start frame's time to
    ``end_time``, default the last sample) at the current timing; makes sure the scene has the
    playback clock (e.g. for a simulation appended from another file)."""
    scene = scene or bpy.context.scene
    playback_clock.ensure_clock(scene)
    t0 = float(root["nb_time_start"])
    t1 = float(root["nb_data_time_end"] if end_time is None else end_time)
    start, end = timebase.frame_range(t0, max(t1, t0), float(root["nb_frames_per_ms"]),
                                      int(round(root["nb_start_frame"])))
    scene.frame_start, scene.frame_end = start, max(end, start)
    return scene.frame_start, scene.frame_end


def world_bounds(objects) -> tuple[tuple, tuple]:
    """Axis-aligned world bounds of ``objects`` (their evaluated bounding boxes)."""
    corners = []
    for obj in objects:
        matrix = np.array(obj.matrix_world)
        box = np.array([tuple(c) for c in obj.bound_box] or [(0.0, 0.0, 0.0)])
        corners.append(box @ matrix[:3, :3].T + matrix[:3, 3])
    if not corners:
        raise NeuroBlendError("nothing to frame: the simulation has no cell objects")
    allc = np.concatenate(corners)
    return tuple(allc.min(axis=0)), tuple(allc.max(axis=0))


def frame_simulation(root, scene=None, **camera_options):
    """Point the scene camera at the simulation's cells (studio.frame_camera), leaving the
    overlays' bands free (``OVERLAY_RESERVE``, whether or not overlays are shown, so a shot
    looks the same with and without them), and bind the minimum on-screen width to it."""
    scene = scene or bpy.context.scene
    bpy.context.view_layer.update()
    lo, hi = world_bounds(cell_objects(root))
    camera_options.setdefault("reserve", OVERLAY_RESERVE)
    camera = studio.frame_camera(lo, hi, scene, **camera_options)
    tube_thickness.bind_camera(cell_objects(root), scene)
    from neuroblend.blender.spike import overlays as spike_overlays

    spike_overlays.place_overlays(root, scene)
    return camera
