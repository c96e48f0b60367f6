"""Heightmap surfaces: a grid mesh built from numpy with the array's exact float32 heights.

Orientation (same as ``matplotlib.pyplot.imshow(z, origin="upper")``): array row 0 is the far
(+Y) edge, column 0 the left (-X) edge. Vertex ``row * nx + col`` sits at
``x = xmin + col * dx``, ``y = ymax - row * dy``, ``z = z[row, col]`` in the object's (data)
coordinates; the object is scaled uniformly to ``size`` Blender units and centred on the origin.
The raw value is kept as the point attribute ``value``; NaN cells are holes (their faces are
dropped; their loose vertices hold the lowest value). The height scale and the animation live
in a geometry-nodes modifier:

- ``Height Scale`` multiplies the heights without touching the stored values;
- an animated surface stores every frame as a float point attribute ``nb_z_<i>`` (4 bytes per
  vertex and frame, a third of what shape keys cost) and its node group picks and linearly blends
  the two frames around the scene time, so playback needs no Python and the saved .blend renders
  on its own. Static surfaces use a group without the scene time, so they are not re-evaluated
  (nor their render geometry rebuilt) every frame.

``mode="displace"`` builds a flat grid with a Displace modifier reading a 32-bit float image
(sampled at texel centres, no interpolation) for people who prefer that workflow.
"""

from __future__ import annotations

import bpy
import numpy as np

from neuroblend.blender.core import compat
from neuroblend.blender.core.node_build import add_math, add_node, node_group
from neuroblend.errors import NeuroBlendError
from neuroblend.surface.grid import (
    auto_height_scale,
    default_wire_every,
    grid_positions,
    grid_topology,
)
from neuroblend.surface.heightmap import as_frames

SURFACE_GROUP = "NB Heightmap Surface"
ANIMATED_GROUP = "NB Heightmap Surface (animated)"
WIRE_GROUP = "NB Heightmap Wire"
SURFACE_MODIFIER = "NeuroBlend Surface"
WIRE_MODIFIER = "NeuroBlend Wire"
DISPLACE_MODIFIER = "NeuroBlend Displace"
FRAME_ATTRIBUTE = "nb_z_"
WIRE_ATTRIBUTE = "nb_wire"


# --------------------------------------------------------------------------------------------
# mesh data


def build_grid_mesh(name: str, z: np.ndarray, extent, *, flat: bool = False,
                    uv_texel_centres: bool = False, wire_every: int | None = None):
    """A smooth-shaded grid mesh for heights ``z`` ([ny, nx] or [frames, ny, nx]).

    Positions hold frame 0 (or 0 when ``flat``); ``value`` holds frame 0's raw values; a stack
    adds ``nb_z_<i>`` per frame; ``nb_wire`` marks the wireframe's edges.
    """
    frames = as_frames(np.asarray(z, dtype=np.float32))
    n_frames, ny, nx = frames.shape
    holes = np.isnan(frames).any(axis=0)
    fill = np.float32(np.nanmin(frames))
    heights = np.where(np.isnan(frames), fill, frames).astype(np.float32)
    co = np.empty((ny * nx, 3), dtype=np.float32)
    co[:, :2] = grid_positions((ny, nx), extent)
    co[:, 2] = 0.0 if flat else heights[0].ravel()
    every = wire_every or default_wire_every((ny, nx))
    quads, corner_edges, edges, wire = grid_topology((ny, nx), holes, every)

    # Bulk data goes straight into the mesh's attribute arrays (``position``, ``.edge_verts``,
    # ``.corner_vert``, ``.corner_edge``): many times faster than ``vertices.foreach_set("co")``
    # plus ``update(calc_edges=True)``, and the topology is known exactly.
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(ny * nx)
    mesh.edges.add(len(edges))
    mesh.loops.add(quads.size)
    mesh.polygons.add(len(quads))
    attributes = mesh.attributes
    attributes["position"].data.foreach_set("vector", co.ravel())
    attributes[".edge_verts"].data.foreach_set("value", edges.ravel())
    attributes[".corner_vert"].data.foreach_set("value", quads.ravel())
    attributes[".corner_edge"].data.foreach_set("value", corner_edges.ravel())
    mesh.polygons.foreach_set("loop_start", np.arange(0, quads.size, 4, dtype=np.int32))
    mesh.update()
    mesh.shade_smooth()

    # NaN is invalid data to Blender (Mesh.validate zeroes it): hole vertices, which belong to
    # no face, hold the lowest value instead.
    attributes.new("value", "FLOAT", "POINT").data.foreach_set("value", heights[0].ravel())
    if n_frames > 1:
        for i, frame in enumerate(heights):
            attr = attributes.new(f"{FRAME_ATTRIBUTE}{i}", "FLOAT", "POINT")
            attr.data.foreach_set("value", frame.ravel())
    attributes.new(WIRE_ATTRIBUTE, "BOOLEAN", "EDGE").data.foreach_set("value", wire)
    if uv_texel_centres:
        uv = np.empty((ny, nx, 2), dtype=np.float32)
        uv[..., 0] = ((np.arange(nx) + 0.5) / nx)[None, :]
        uv[..., 1] = ((ny - 1 - np.arange(ny) + 0.5) / ny)[:, None]
        loops_uv = uv.reshape(-1, 2)[quads.ravel()]
        attributes.new("UVMap", "FLOAT2", "CORNER").data.foreach_set("vector", loops_uv.ravel())
    mesh["nb_grid"] = (ny, nx)
    mesh["nb_frames"] = n_frames
    mesh["nb_value_range"] = (float(np.nanmin(frames)), float(np.nanmax(frames)))
    mesh["nb_extent"] = tuple(float(v) for v in extent)
    return mesh


# --------------------------------------------------------------------------------------------
# node groups


def surface_node_group(animated: bool = False):
    """Geometry nodes setting the heights times ``Height Scale``.

    The static group scales the stored heights; the animated one (a separate group, so static
    surfaces do not depend on the scene time and are not rebuilt every frame) picks the two data
    frames around the scene time, blends them linearly and stores the result as ``value``.
    """
    name = ANIMATED_GROUP if animated else SURFACE_GROUP
    return node_group(name, "GeometryNodeTree", lambda tree: _build_surface(tree, animated))


def _build_surface(tree, animated: bool) -> None:
    compat.new_socket(tree, "Geometry", "INPUT", "NodeSocketGeometry")
    inputs = [("Height Scale", "NodeSocketFloat", 1.0)]
    if animated:
        inputs += [("Frame Count", "NodeSocketInt", 2), ("Start Frame", "NodeSocketFloat", 1.0),
                   ("Frames per Step", "NodeSocketFloat", 1.0)]
    for socket_name, kind, default in inputs:
        compat.new_socket(tree, socket_name, "INPUT", kind).default_value = default
    compat.new_socket(tree, "Geometry", "OUTPUT", "NodeSocketGeometry")
    links = tree.links
    gin = add_node(tree, "NodeGroupInput", (-1400, 0))
    gout = add_node(tree, "NodeGroupOutput", (700, 0))
    position = add_node(tree, "GeometryNodeInputPosition", (-600, 100))
    split = add_node(tree, "ShaderNodeSeparateXYZ", (-450, 100))
    links.new(position.outputs["Position"], split.inputs["Vector"])
    geometry, height = gin.outputs["Geometry"], split.outputs["Z"]
    if animated:
        height = _animated_height(tree, gin)
        store = add_node(tree, "GeometryNodeStoreNamedAttribute", (250, 250), "Current Value")
        store.data_type, store.domain = "FLOAT", "POINT"
        store.inputs["Name"].default_value = "value"
        links.new(geometry, store.inputs["Geometry"])
        links.new(height, store.inputs["Value"])
        geometry = store.outputs["Geometry"]
    scaled = add_math(tree, "MULTIPLY", (300, -100), height, gin.outputs["Height Scale"],
                      label="Scaled Height")
    combine = add_node(tree, "ShaderNodeCombineXYZ", (450, 100))
    links.new(split.outputs["X"], combine.inputs["X"])
    links.new(split.outputs["Y"], combine.inputs["Y"])
    links.new(scaled.outputs[0], combine.inputs["Z"])
    setpos = add_node(tree, "GeometryNodeSetPosition", (500, 250))
    links.new(geometry, setpos.inputs["Geometry"])
    links.new(combine.outputs["Vector"], setpos.inputs["Position"])
    links.new(setpos.outputs["Geometry"], gout.inputs["Geometry"])


def _animated_height(tree, gin):
    """Height at the scene time: data frames ``nb_z_<i>`` around it, blended linearly."""
    links = tree.links
    # t = clamp((frame - start) / frames_per_step, 0, count - 1); i0 = floor(t); i1 = i0 + 1
    time = add_node(tree, "GeometryNodeInputSceneTime", (-1400, -300), "Scene Time")
    since = add_math(tree, "SUBTRACT", (-1200, -300), time.outputs["Frame"],
                  gin.outputs["Start Frame"])
    steps = add_math(tree, "DIVIDE", (-1050, -300), since.outputs[0], gin.outputs["Frames per Step"])
    last = add_math(tree, "SUBTRACT", (-1200, -480), gin.outputs["Frame Count"], 1.0)
    low = add_math(tree, "MAXIMUM", (-900, -300), steps.outputs[0], 0.0)
    t = add_math(tree, "MINIMUM", (-750, -300), low.outputs[0], last.outputs[0], label="Data Frame")
    i0 = add_math(tree, "FLOOR", (-600, -300), t.outputs[0], label="Frame Below")
    next_frame = add_math(tree, "ADD", (-750, -480), i0.outputs[0], 1.0)
    i1 = add_math(tree, "MINIMUM", (-600, -480), next_frame.outputs[0], last.outputs[0],
                  label="Frame Above")
    frac = add_math(tree, "SUBTRACT", (-450, -300), t.outputs[0], i0.outputs[0], label="Blend")
    samples = []
    for k, index in enumerate((i0, i1)):
        text = add_node(tree, "FunctionNodeValueToString", (-450, -500 - 160 * k))
        text.inputs["Decimals"].default_value = 0
        links.new(index.outputs[0], text.inputs["Value"])
        join = add_node(tree, "GeometryNodeStringJoin", (-300, -500 - 160 * k), "Attribute Name")
        prefix = add_node(tree, "FunctionNodeInputString", (-450, -420 - 160 * k))
        prefix.string = FRAME_ATTRIBUTE
        links.new(text.outputs["String"], join.inputs["Strings"])
        links.new(prefix.outputs["String"], join.inputs["Strings"])
        attr = add_node(tree, "GeometryNodeInputNamedAttribute", (-150, -500 - 160 * k))
        attr.data_type = "FLOAT"
        links.new(join.outputs["String"], attr.inputs["Name"])
        samples.append(attr.outputs["Attribute"])
    mix = add_node(tree, "ShaderNodeMix", (0, -400), "Animated Height")
    mix.data_type = "FLOAT"
    links.new(frac.outputs[0], mix.inputs["Factor"])
    links.new(samples[0], mix.inputs["A"])
    links.new(samples[1], mix.inputs["B"])
    return mix.outputs["Result"]


def wire_node_group():
    """Geometry nodes turning the parent surface's ``nb_wire`` edges into round tubes."""
    return node_group(WIRE_GROUP, "GeometryNodeTree", _build_wire)


def _build_wire(tree) -> None:
    compat.new_socket(tree, "Geometry", "INPUT", "NodeSocketGeometry")
    compat.new_socket(tree, "Surface", "INPUT", "NodeSocketObject")
    compat.new_socket(tree, "Radius", "INPUT", "NodeSocketFloat").default_value = 0.005
    compat.new_socket(tree, "Material", "INPUT", "NodeSocketMaterial")
    compat.new_socket(tree, "Geometry", "OUTPUT", "NodeSocketGeometry")
    links = tree.links
    gin = add_node(tree, "NodeGroupInput", (-800, 0))
    gout = add_node(tree, "NodeGroupOutput", (600, 0))
    info = add_node(tree, "GeometryNodeObjectInfo", (-600, 0), "Surface (evaluated)")
    info.transform_space = "ORIGINAL"
    links.new(gin.outputs["Surface"], info.inputs["Object"])
    flag = add_node(tree, "GeometryNodeInputNamedAttribute", (-600, -220), "Wire Edges")
    flag.data_type = "BOOLEAN"
    flag.inputs["Name"].default_value = WIRE_ATTRIBUTE
    to_curve = add_node(tree, "GeometryNodeMeshToCurve", (-350, 0))
    links.new(info.outputs["Geometry"], to_curve.inputs["Mesh"])
    links.new(flag.outputs["Attribute"], to_curve.inputs["Selection"])
    circle = add_node(tree, "GeometryNodeCurvePrimitiveCircle", (-350, -220), "Tube Profile")
    circle.mode = "RADIUS"
    circle.inputs["Resolution"].default_value = 6
    links.new(gin.outputs["Radius"], circle.inputs["Radius"])
    to_mesh = add_node(tree, "GeometryNodeCurveToMesh", (-100, 0))
    links.new(to_curve.outputs["Curve"], to_mesh.inputs["Curve"])
    links.new(circle.outputs["Curve"], to_mesh.inputs["Profile Curve"])
    material = add_node(tree, "GeometryNodeSetMaterial", (150, 0))
    links.new(to_mesh.outputs["Mesh"], material.inputs["Geometry"])
    links.new(gin.outputs["Material"], material.inputs["Material"])
    smooth = add_node(tree, "GeometryNodeSetShadeSmooth", (380, 0))
    # the geometry socket is "Geometry" before 5.0 and "Mesh" from 5.0: use its index
    links.new(material.outputs["Geometry"], smooth.inputs[0])
    links.new(smooth.outputs[0], gout.inputs["Geometry"])


# --------------------------------------------------------------------------------------------
# objects


def build_surface(doc: dict, *, name: str = "Heightmap", size: float = 4.0,
                  height_scale: float | None = None, mode: str = "mesh",
                  frame_start: int = 1, frames_per_step: float = 1.0,
                  wire_every: int | None = None, collection=None):
    """Add a heightmap document's surface to the scene; returns the surface object.

    ``mode`` is ``"mesh"`` (exact heights in the vertices) or ``"displace"`` (flat grid + float
    image). A stack of frames plays data frame ``i`` at scene frame
    ``frame_start + i * frames_per_step``, blending linearly in between.
    """
    if mode not in ("mesh", "displace"):
        raise NeuroBlendError(f"unknown surface mode {mode!r}; use 'mesh' or 'displace'")
    z, extent = np.asarray(doc["z"], dtype=np.float32), tuple(doc["extent"])
    frames = as_frames(z)
    if mode == "displace" and len(frames) > 1:
        raise NeuroBlendError("an animated heightmap needs mode 'mesh' (displace uses one image)")
    if frames_per_step <= 0:
        raise NeuroBlendError(f"frames per step must be positive, got {frames_per_step}")
    collection = collection or bpy.context.scene.collection
    mesh = build_grid_mesh(name, z, extent, flat=mode == "displace",
                           uv_texel_centres=mode == "displace", wire_every=wire_every)
    obj = bpy.data.objects.new(name, mesh)
    collection.objects.link(obj)
    span = max(extent[1] - extent[0], extent[3] - extent[2])
    scale = size / span
    obj.scale = (scale,) * 3
    obj["nb_size"] = float(size)
    if mode == "mesh":
        modifier = obj.modifiers.new(SURFACE_MODIFIER, "NODES")
        modifier.node_group = surface_node_group(animated=len(frames) > 1)
        if len(frames) > 1:
            compat.set_modifier_input(modifier, "Frame Count", len(frames))
            compat.set_modifier_input(modifier, "Start Frame", float(frame_start))
            compat.set_modifier_input(modifier, "Frames per Step", float(frames_per_step))
    else:
        _add_displace(obj, frames[0])
    set_height_scale(obj, auto_height_scale(z, extent) if height_scale is None else height_scale)
    return obj


def _add_displace(obj, z2d: np.ndarray) -> None:
    ny, nx = z2d.shape
    image = bpy.data.images.new(f"{obj.name} Heights", nx, ny, alpha=False, float_buffer=True)
    image.colorspace_settings.name = "Non-Color"
    heights = np.where(np.isnan(z2d), np.nanmin(z2d), z2d).astype(np.float32)
    pixels = np.ones((ny, nx, 4), dtype=np.float32)
    pixels[..., :3] = heights[::-1, :, None]  # Blender images start at the bottom row
    image.pixels.foreach_set(pixels.ravel())
    image.file_format = "OPEN_EXR"
    image.pack()
    texture = bpy.data.textures.new(f"{obj.name} Heights", "IMAGE")
    texture.image = image
    texture.use_interpolation = False
    texture.extension = "EXTEND"
    modifier = obj.modifiers.new(DISPLACE_MODIFIER, "DISPLACE")
    modifier.texture = texture
    modifier.texture_coords = "UV"
    modifier.uv_layer = "UVMap"
    modifier.direction = "Z"
    modifier.space = "LOCAL"
    modifier.mid_level = 0.0


def set_height_scale(obj, value: float) -> None:
    """Multiply the surface's heights by ``value`` (stored values are untouched)."""
    modifier = obj.modifiers.get(SURFACE_MODIFIER)
    if modifier is not None:
        compat.set_modifier_input(modifier, "Height Scale", float(value))
    else:
        obj.modifiers[DISPLACE_MODIFIER].strength = float(value)
    zmin = obj.data["nb_value_range"][0]
    # keep the lowest point on the floor (z = 0) and the grid centred on the origin
    xmin, xmax, ymin, ymax = obj.data["nb_extent"]
    s = obj.scale[0]
    obj.location = (-(xmin + xmax) / 2 * s, -(ymin + ymax) / 2 * s, -zmin * float(value) * s)
    obj["nb_height_scale"] = float(value)
    obj.update_tag()


def get_height_scale(obj) -> float:
    """The surface's current height scale."""
    return float(obj.get("nb_height_scale", 1.0))


def add_wire_twin(surface, material=None, *, radius: float | None = None):
    """A child object drawing the surface's grid lines as tubes (follows heights and animation)."""
    wire = next((child for child in surface.children if WIRE_MODIFIER in child.modifiers), None)
    if wire is None:
        name = f"{surface.name} Wire"
        wire = bpy.data.objects.new(name, bpy.data.meshes.new(name))
        for collection in surface.users_collection:
            collection.objects.link(wire)
    wire.parent = surface
    # An emissive overlay: seen by the camera only. Casting shadows through its (mostly
    # transparent) tubes would double the render time and darken the solid side.
    wire.visible_shadow = wire.visible_diffuse = wire.visible_glossy = False
    wire.visible_transmission = False
    wire.matrix_parent_inverse.identity()
    wire.matrix_basis.identity()
    modifier = wire.modifiers.get(WIRE_MODIFIER) or wire.modifiers.new(WIRE_MODIFIER, "NODES")
    modifier.node_group = wire_node_group()
    compat.set_modifier_input(modifier, "Surface", surface)
    if radius is None:
        xmin, xmax, ymin, ymax = surface.data["nb_extent"]
        radius = 0.0025 * max(xmax - xmin, ymax - ymin)
    compat.set_modifier_input(modifier, "Radius", float(radius))
    if material is not None:
        compat.set_modifier_input(modifier, "Material", material)
    wire.update_tag()
    return wire
