"""The rearranging network graph in Blender: one mesh object + the "NB Graph Morph" modifier.

Neuron k is vertex k (position: the shuffled layout); the drawn connections are the mesh's edges.
The modifier moves every vertex between the layouts by ONE keyframed input, ``Factor`` (0 at
START, 1 at END, linear), eased and staggered per neuron from stored attributes (see
:mod:`neuroblend.blender.graph.nodes`). The smoothed activity is baked with the spike playback
mechanism (:func:`activity_material`, the only place this module uses it), so a saved .blend
plays without the add-on. Settings live on the root Empty (``nb_*``) and reach the material
through drivers, as for spike playback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import bpy
import numpy as np

from neuroblend import clock
from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.core.node_build import emission_surface, fresh_material
from neuroblend.blender.core.root_properties import set_root_properties
from neuroblend.blender.graph.nodes import graph_node_group
from neuroblend.blender.spike.neuron_mesh import ROW_ATTRIBUTE  # the row the playback shader reads
from neuroblend.blender.spike.settings_ui import MATERIAL_SETTINGS, SETTINGS
from neuroblend.errors import NeuroBlendError
from neuroblend.graph.model import GraphOptions, NetworkGraph, build_graph
from neuroblend.graph.motion import Rearrange, stagger_delays
from neuroblend.graph.render_options import GraphLook
from neuroblend.settings_table import root_values
from neuroblend.spike.playback_settings import SpikeLook

ROOT_MARKER = "nb_graph"
MODIFIER = "NB Graph Morph"
CAMERA_VIEW = (0.0, -1.0, 0.0)
MANY_EDGES = 5_000  # over this many edges, each tube gets fewer pieces and sides:
MANY_EDGES_PIECES, MANY_EDGES_SIDES = 6, 3  # look down +y: layers left to right, neurons top to bottom


def activity_material(name: str, graph: NetworkGraph, root, colormap: str):
    """Neuron material: per-neuron activity baked into a packed image, read by frame.

    Reuses the spike playback bake (rows = neurons, one sample per step) and material; its
    settings are driven from ``root`` (start frame, frames per step, colour range, glow).
    """
    from neuroblend.blender.spike import material as spike_material
    from neuroblend.blender.spike import playback

    steps = np.arange(len(graph.activity), dtype=np.float64)
    image, layout = playback.bake_values(f"NB Graph Activity {name}", steps, graph.activity.T)
    material = spike_material.build_material(f"NB Graph Neurons {name}", image, layout, colormap)
    for node in material.node_tree.nodes:  # the row is an attribute of each sphere instance
        if node.bl_idname == "ShaderNodeAttribute" and node.attribute_type == "GEOMETRY":
            node.attribute_type = "INSTANCER"
    for key in MATERIAL_SETTINGS:  # the rate node reads the root's frames per step
        spike_material.drive_from_root(material.node_tree,
                                       f'nodes["{key}"].outputs[0].default_value', root,
                                       clock.rate_key(root) if key == clock.FRAMES_PER_MS else key)
    playback_clock.seen_emission(material)
    root["nb_image"] = image.name
    root["nb_material"] = material.name
    root["nb_colormap_mode"] = "exact"
    return material


def edge_material(name: str, look: GraphLook):
    """Plain emission for the edges (colour and strength on its "Edge Glow" node)."""
    material = fresh_material(f"NB Graph Edges {name}", reuse=False)
    tree = material.node_tree
    emission_surface(tree, (*look.edge_color, 1.0), look.edge_strength, name="Edge Glow")
    playback_clock.seen_emission(material)
    return material


def graph_mesh(name: str, graph: NetworkGraph):
    """Vertices = neurons (at their shuffled places), edges = drawn connections, + attributes."""
    mesh = bpy.data.meshes.new(f"NB Graph {name}")
    mesh.vertices.add(len(graph.shuffled))
    mesh.vertices.foreach_set("co", graph.shuffled.astype(np.float32).ravel())
    mesh.edges.add(len(graph.edges))
    mesh.edges.foreach_set("vertices", graph.edges.astype(np.int32).ravel())
    for attr, values in (("nb_shuffled", graph.shuffled), ("nb_layered", graph.layered)):
        mesh.attributes.new(attr, "FLOAT_VECTOR", "POINT").data.foreach_set(
            "vector", values.astype(np.float32).ravel())
    mesh.attributes.new("nb_delay", "FLOAT", "POINT")
    mesh.attributes.new("nb_delay_end", "FLOAT", "POINT")
    _set_delays(mesh, graph.delays, graph.options.rearrange.stagger)
    mesh.attributes.new(ROW_ATTRIBUTE, "INT", "POINT").data.foreach_set(
        "value", np.arange(len(graph.shuffled), dtype=np.int32))
    mesh.update()
    return mesh


def _set_delays(mesh, delays: np.ndarray, stagger: float) -> None:
    mesh.attributes["nb_delay"].data.foreach_set("value", delays.astype(np.float32))
    mesh.attributes["nb_delay_end"].data.foreach_set(
        "value", (delays + (1.0 - stagger)).astype(np.float32))


def _init_root(root, graph: NetworkGraph, look: GraphLook) -> None:
    lo, hi = graph.activity_range()
    opts = graph.options
    defaults = {key: value for key, value in root_values(SpikeLook, SpikeLook()).items()
                if key in MATERIAL_SETTINGS}  # playback settings the graph leaves alone
    values = {**defaults, clock.START_FRAME: float(opts.start_frame),
              clock.FRAMES_PER_STEP: float(opts.frames_per_step), clock.TIME_START: 0.0,
              "nb_value_min": lo, "nb_value_max": hi, "nb_brightness": look.brightness,
              "nb_glow": look.glow, "nb_edge_darkening": look.edge_darkening, "nb_reverse": False,
              # resting neurons lifted off black, a rim outlining each sphere
              "nb_rest_lift": look.rest_lift, "nb_rim": look.rim}
    ui = {**SETTINGS, clock.FRAMES_PER_STEP: (*SETTINGS[clock.FRAMES_PER_MS][:2],
                                              "Animation frames per model step"),
          clock.TIME_START: (*SETTINGS[clock.TIME_START][:2], "Model step shown at the start frame")}
    set_root_properties(root, values, ui)
    root[ROOT_MARKER] = 1
    root["nb_colormap"] = look.colormap
    root["nb_layers"], root["nb_neurons"] = graph.layers, graph.neurons
    root["nb_layout_seed"] = int(opts.rearrange.seed)


def set_rearrange(root, start: float, end: float, stagger: float | None = None) -> None:
    """Move the rearrangement to frames ``start``..``end`` (and re-stagger): re-keys the one
    factor and rewrites the per-neuron delays."""
    obj = graph_object(root)
    stagger = float(root["nb_stagger"] if stagger is None else stagger)
    timing = Rearrange(float(start), float(end), stagger, int(root["nb_layout_seed"])).check()
    _set_delays(obj.data, stagger_delays(len(obj.data.vertices), timing), stagger)
    obj.data.update()
    mod = obj.modifiers[MODIFIER]
    path = compat.modifier_input_path(mod, "Factor")
    obj.animation_data_clear()
    for frame, value in ((timing.start, 0.0), (timing.end, 1.0)):
        compat.set_modifier_input(mod, "Factor", value)
        obj.keyframe_insert(data_path=path, frame=frame)
    compat.set_linear_interpolation(obj)
    root["nb_rearrange"] = [timing.start, timing.end]
    root["nb_stagger"] = stagger


def set_colormap(root, colormap: str) -> None:
    """Colour the neurons' activity with matplotlib colormap ``colormap``."""
    from neuroblend.blender.spike import playback as spike_playback

    spike_playback.set_colormap(root, colormap)


def set_edge_look(root, color=None, strength: float | None = None) -> None:
    """Change the edges' colour (linear RGB) and/or emission strength."""
    material = bpy.data.materials.get(root.get("nb_edge_material", ""))
    if material is None:
        raise NeuroBlendError(f"{root.name}: its edge material is missing")
    glow = material.node_tree.nodes["Edge Glow"]
    if color is not None:
        glow.inputs["Color"].default_value = (*color[:3], 1.0)
    if strength is not None:
        glow.inputs["Strength"].default_value = float(strength)


def graph_settings(root) -> dict:
    """The editable settings of a graph, as the add-on panel shows them."""
    glow = bpy.data.materials[root["nb_edge_material"]].node_tree.nodes["Edge Glow"]
    start, end = root["nb_rearrange"]
    return {"rearrange_start": int(round(start)), "rearrange_end": int(round(end)),
            "stagger": float(root["nb_stagger"]), "colormap": str(root["nb_colormap"]),
            "edge_color": tuple(glow.inputs["Color"].default_value)[:3],
            "edge_strength": float(glow.inputs["Strength"].default_value)}


def fit_timeline(root, graph: NetworkGraph, scene=None) -> tuple[int, int]:
    """Scene frame range: the first step's frame to the end of the activity and the move."""
    scene = scene or bpy.context.scene
    scene.frame_start, scene.frame_end = graph.options.start_frame, graph.last_frame()
    playback_clock.ensure_clock(scene)
    return scene.frame_start, scene.frame_end


def graph_object(root):
    """The graph mesh object of a graph root."""
    obj = bpy.data.objects.get(root.get("nb_object", ""))
    if obj is None:
        raise NeuroBlendError(f"{root.name}: its graph object is missing")
    return obj


def find_root(obj):
    """The graph root Empty of ``obj`` (itself or its parent), or None."""
    for candidate in (obj, getattr(obj, "parent", None)):
        if candidate is not None and candidate.get(ROOT_MARKER):
            return candidate
    return None


def load_network(path) -> dict:
    """Load and validate a network file."""
    from neuroblend.files.fileformat import load_document

    if not Path(path).is_file():
        raise NeuroBlendError(f"{path}: no such file")
    return load_document(path, expect="neuroblend.network")


def import_network_graph(source, options: GraphOptions, *, look: GraphLook | None = None,
                         scene=None, name: str | None = None):
    """Build the graph scene of a network file or document; returns (root Empty, graph)."""
    from neuroblend.colormaps import luts as colormaps

    doc = load_network(source) if isinstance(source, (str, Path)) else source
    if not isinstance(doc, Mapping):
        raise NeuroBlendError("expected a network file or document")
    look = look or GraphLook()
    look = replace(look, colormap=colormaps.resolve_name(look.colormap))
    graph = build_graph(doc, options)
    scene = scene or bpy.context.scene
    playback_clock.ensure_clock(scene)  # the activity material reads the frame from it
    name = name or (Path(source).stem if isinstance(source, (str, Path)) else "Network")
    collection = bpy.data.collections.new(f"NB Graph {name}")
    scene.collection.children.link(collection)
    root = bpy.data.objects.new(f"NB Graph {name}", None)
    collection.objects.link(root)
    _init_root(root, graph, look)
    obj = bpy.data.objects.new(f"NB Graph {name} Mesh", graph_mesh(name, graph))
    collection.objects.link(obj)
    obj.parent = root
    root["nb_object"] = obj.name
    mod = obj.modifiers.new(MODIFIER, "NODES")
    mod.node_group = graph_node_group()
    neurons, edges = activity_material(name, graph, root, look.colormap), edge_material(name, look)
    obj.data.materials.append(neurons)
    obj.data.materials.append(edges)
    compat.set_modifier_input(mod, "Neuron Radius", graph.radius)
    compat.set_modifier_input(mod, "Edge Radius", look.edge_radius or graph.radius / 10)
    if len(graph.edges) > MANY_EDGES:  # lighter tubes: memory grows with pieces x sides
        compat.set_modifier_input(mod, "Edge Pieces", MANY_EDGES_PIECES)
        compat.set_modifier_input(mod, "Edge Sides", MANY_EDGES_SIDES)
    compat.set_modifier_input(mod, "Neuron Material", neurons)
    compat.set_modifier_input(mod, "Edge Material", edges)
    root["nb_edge_material"] = edges.name
    timing = options.rearrange
    set_rearrange(root, timing.start, timing.end, timing.stagger)
    return root, graph


def frame_graph(graph: NetworkGraph, scene=None):
    """Point the scene camera along +y at the box holding the whole move."""
    lo, hi = graph.bounds()
    return studio.frame_camera(tuple(lo), tuple(hi), scene or bpy.context.scene,
                               view=CAMERA_VIEW)
