"""How the frame reaches a shader without making Cycles re-sync the scene on every frame.

The clock is a custom property ``nb_frame`` on the scene, driven by the expression ``frame`` (a
simple expression: Blender evaluates it without Python, so a saved .blend plays on a farm with no
add-on). Shaders read it with an Attribute node of type View Layer (:func:`frame_socket`), which
looks the name up on the view layer, then the scene; Cycles and EEVEE both support it.

Why not a driver on a node socket (NeuroBlend's first design)? Measured with 20 pyramid cells
(379k vertices, ``benchmarks/bench_video.py``), a frame change that touches a material tags every
object using it; a background render applies each object's transform to its mesh, so Cycles then
rebuilds every such mesh and the BVH (about 0.4 s of CPU per frame here). When the material's
emission is also sampled as a light (Cycles' default), the light tree over every emissive triangle
is rebuilt too (about 5 s per frame). A View Layer attribute is resolved by Cycles itself when the
scene changes: only the shaders that read it are recompiled, no object or mesh is touched.

:func:`seen_emission` switches off light sampling of a material's emission. NeuroBlend's emission
is *seen*, not used to light other surfaces (emission-only shaders on a black world; the sliced
surface is lit by its sun), so the pixels stay the same and a changed shader costs no light tree.

Use: a material animated by the frame calls ``frame_socket(tree, location)`` (and its builder
``ensure_clock(scene)``); any material with animated emission (spike playback, network pulses,
slicing bands) calls ``seen_emission(material)``. A scene that gets playback materials some other
way (appended or linked from another file) needs ``ensure_clock(scene)`` too (the Spike add-on's
Fit Timeline does it): without the clock the shaders see frame 0.
"""

from __future__ import annotations

from neuroblend import clock
from neuroblend.blender.core import compat
from neuroblend.blender.core.node_build import add_math, add_node, node_group

CLOCK_PROPERTY = "nb_frame"
FRAME_NODE = "Frame"
CLOCK_GROUP = "NB Clock"
CLOCK_INPUTS = ("Frame", "Start Frame", "Frames per Unit", "Time at Start")


def ensure_clock(scene) -> None:
    """Give ``scene`` the ``nb_frame`` property that follows the frame (idempotent)."""
    path = f'["{CLOCK_PROPERTY}"]'
    anim = scene.animation_data
    if anim is not None and any(curve.data_path == path for curve in anim.drivers):
        return
    scene[CLOCK_PROPERTY] = float(scene.frame_current)
    curve = scene.driver_add(path)
    curve.driver.type = "SCRIPTED"
    curve.driver.expression = "frame"  # a simple expression: evaluated without Python


def frame_socket(tree, location=(0.0, 0.0), name: str = FRAME_NODE):
    """The current frame in shader ``tree``: output of a View Layer Attribute node ``name``
    reading the scene's clock (see :func:`ensure_clock`)."""
    node = add_node(tree, "ShaderNodeAttribute", location, name=name)
    node.attribute_type = "VIEW_LAYER"
    node.attribute_name = CLOCK_PROPERTY
    return node.outputs["Fac"]


def seen_emission(material):
    """Keep Cycles from sampling ``material``'s emission as a light; returns the material.

    Rays that hit the surface still see its emission, so an emission-only scene renders the same
    pixels, but changing the material no longer rebuilds the light tree over its triangles.
    """
    compat.set_emission_sampling(material, "NONE")
    return material


def clock_node_group():
    """Shader group "NB Clock": (frame, start frame, frames per unit, time at start) -> the data
    time shown, ``neuroblend.clock.frame_to_time`` as nodes (the one shader copy of it)."""
    return node_group(CLOCK_GROUP, "ShaderNodeTree", _build_clock)


def _build_clock(group) -> None:
    for name in CLOCK_INPUTS:
        compat.new_socket(group, name, "INPUT", "NodeSocketFloat")
    compat.new_socket(group, "Time", "OUTPUT", "NodeSocketFloat")
    gin = add_node(group, "NodeGroupInput", (-800, 0))
    gout = add_node(group, "NodeGroupOutput", (200, 0))
    i = gin.outputs
    elapsed = add_math(group, "SUBTRACT", (-600, 0), i["Frame"], i["Start Frame"],
                       label="Frames since start").outputs[0]
    since = add_math(group, "DIVIDE", (-400, 0), elapsed, i["Frames per Unit"],
                     label="Time since start").outputs[0]
    time = add_math(group, "ADD", (-200, 0), since, i["Time at Start"], label="Time").outputs[0]
    group.links.new(time, gout.inputs["Time"])


def clock_time(tree, frame, start_frame, frames_per_unit, time_start, location=(0.0, 0.0)):
    """The data time shown at ``frame`` (sockets or numbers): an "NB Clock" group node."""
    node = add_node(tree, "ShaderNodeGroup", location, label="Clock")
    node.node_tree = clock_node_group()
    for name, value in zip(CLOCK_INPUTS, (frame, start_frame, frames_per_unit, time_start),
                           strict=True):
        if isinstance(value, (int, float)):
            node.inputs[name].default_value = float(value)
        else:
            tree.links.new(value, node.inputs[name])
    return node.outputs["Time"]


def key_clock(root, times) -> None:
    """Key ``root``'s start time so output frame k + 1 shows data time ``times[k]`` (a film's
    clock; constant between keys is the caller's ``constant_keys``)."""
    rate, first, _ = clock.root_clock(root)
    for frame, t in enumerate(times, start=1):
        root[clock.TIME_START] = clock.start_time_for(frame, t, rate, first)
        root.keyframe_insert(f'["{clock.TIME_START}"]', frame=frame)
