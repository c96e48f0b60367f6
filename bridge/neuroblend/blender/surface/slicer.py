"""The slicing look: a surface cut by a movable plane, solid on one side, wireframe on the other.

A slicer Empty defines the cut: its local X axis is the plane's normal. Each shading point's
coordinate along that axis (Texture Coordinate > Object, with the Empty as object) decides, in
the shader, whether the point is solid surface (behind the plane) or transparent; the wireframe
twin uses the inverse mix, so it shows exactly where the surface is hidden, and a glowing band of
adjustable width and colour marks the boundary on both. Everything is nodes and keyframes:
moving or animating the Empty needs no Python per frame, in Cycles and EEVEE alike.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import bpy

from neuroblend.blender.colormaps.nodes import colormap_node_group
from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.core.node_build import add_math, add_node, add_output, node_group
from neuroblend.blender.surface.mesh import (
    add_wire_twin,
    build_surface,
    get_height_scale,
    set_height_scale,
)
from neuroblend.errors import NeuroBlendError
from neuroblend.surface.heightmap import HeightmapWarning, heightmap_from_files
from neuroblend.surface.render_options import COLOR_BY as SURFACE_COLOR_BY

MASK_GROUP = "NB Slicer Mask"
PART_KEYS = ("nb_slicer", "nb_wire", "nb_surface_material", "nb_wire_material")
AXES = {"X": 0, "Y": 1, "Z": 2}
COLOR_BY = SURFACE_COLOR_BY
# rotation of the Empty that turns its local X axis (the plane normal) onto each world axis
_AXIS_ROTATION = {"X": (0.0, 0.0, 0.0), "Y": (0.0, 0.0, math.pi / 2), "Z": (0.0, -math.pi / 2, 0.0)}
# names of the nodes the setters below look up
N_SLICER, N_MASK, N_VALUE, N_COORDS, N_CMAP = ("NB Slicer Coordinates", "NB Slice Mask",
                                                "NB Value", "NB Own Coordinates", "NB Colormap")
N_BAND, N_BSDF = "NB Band Glow", "NB Surface"


def slicer_mask_group():
    """Shader group: Slicer Coordinate (point in the Empty's space) -> Solid, Band (0 or 1)."""
    return node_group(MASK_GROUP, "ShaderNodeTree", _build_mask_group)


def _build_mask_group(tree) -> None:
    compat.new_socket(tree, "Slicer Coordinate", "INPUT", "NodeSocketVector")
    compat.new_socket(tree, "Band Width", "INPUT", "NodeSocketFloat").default_value = 0.02
    compat.new_socket(tree, "Flip", "INPUT", "NodeSocketFloat").default_value = 0.0
    compat.new_socket(tree, "Solid", "OUTPUT", "NodeSocketFloat")
    compat.new_socket(tree, "Band", "OUTPUT", "NodeSocketFloat")
    links = tree.links
    gin = add_node(tree, "NodeGroupInput", (-800, 0))
    gout = add_node(tree, "NodeGroupOutput", (400, 0))
    split = add_node(tree, "ShaderNodeSeparateXYZ", (-600, 100))
    links.new(gin.outputs["Slicer Coordinate"], split.inputs["Vector"])
    # sign = 1 - 2 * flip; distance = x * sign (positive in front of the plane)
    sign = add_math(tree, "MULTIPLY_ADD", (-600, -100), gin.outputs["Flip"], -2.0, 1.0)
    distance = add_math(tree, "MULTIPLY", (-400, 50), split.outputs["X"], sign.outputs[0])
    distance.label = "Signed Distance"
    solid = add_math(tree, "LESS_THAN", (-150, 100), distance.outputs[0], 0.0)
    solid.label = "Behind the Plane"
    half = add_math(tree, "MULTIPLY", (-400, -150), gin.outputs["Band Width"], 0.5)
    near = add_math(tree, "ABSOLUTE", (-150, -50), distance.outputs[0])
    band = add_math(tree, "LESS_THAN", (50, -100), near.outputs[0], half.outputs[0])
    band.label = "Within the Band"
    links.new(solid.outputs[0], gout.inputs["Solid"])
    links.new(band.outputs[0], gout.inputs["Band"])


def _material(name: str, existing=None):
    material = playback_clock.seen_emission(existing or bpy.data.materials.new(name))
    if material.node_tree is None:  # Blender < 5.0 creates materials without nodes
        material.use_nodes = True
    material.node_tree.nodes.clear()
    compat.set_material_blend_transparent(material)
    material.use_transparent_shadow = True
    material.use_backface_culling = False
    return material


def slicing_material(name: str, slicer, *, role: str, existing=None):
    """The surface (``role="surface"``) or wireframe (``role="wire"``) material of a slicer.

    ``existing`` (a material) is rebuilt in place instead of making a new one.
    """
    material = _material(name, existing)
    tree = material.node_tree
    links = tree.links
    coords = add_node(tree, "ShaderNodeTexCoord", (-1200, 300), name=N_SLICER)
    coords.object = slicer
    mask = add_node(tree, "ShaderNodeGroup", (-950, 300), name=N_MASK)
    mask.node_tree = slicer_mask_group()
    links.new(coords.outputs["Object"], mask.inputs["Slicer Coordinate"])
    add_node(tree, "ShaderNodeAttribute", (-1200, -50), name=N_VALUE).attribute_name = "value"
    own = add_node(tree, "ShaderNodeTexCoord", (-1200, -300), name=N_COORDS)
    split = add_node(tree, "ShaderNodeSeparateXYZ", (-1000, -300), name="NB Own XYZ")
    links.new(own.outputs["Object"], split.inputs["Vector"])
    add_node(tree, "ShaderNodeGroup", (-700, -100), name=N_CMAP)  # linked by set_colormap
    transparent = add_node(tree, "ShaderNodeBsdfTransparent", (-400, 250))
    if role == "surface":
        shader = add_node(tree, "ShaderNodeBsdfPrincipled", (-400, 0), name=N_BSDF)
        shader.inputs["Roughness"].default_value = 0.55
        shader.inputs["Emission Strength"].default_value = 0.35
        visible = mask.outputs["Solid"]
    else:
        shader = add_node(tree, "ShaderNodeEmission", (-400, 0), name=N_BSDF)
        shader.inputs["Strength"].default_value = 1.0
        visible = add_math(tree, "SUBTRACT", (-700, 300), 1.0, mask.outputs["Solid"]).outputs[0]
    cut = add_node(tree, "ShaderNodeMixShader", (-150, 150), name="NB Cut")
    links.new(visible, cut.inputs["Fac"])
    links.new(transparent.outputs[0], cut.inputs[1])
    links.new(shader.outputs[0], cut.inputs[2])
    glow = add_node(tree, "ShaderNodeEmission", (-150, -100), name=N_BAND)
    with_band = add_node(tree, "ShaderNodeMixShader", (100, 100), name="NB With Band")
    links.new(mask.outputs["Band"], with_band.inputs["Fac"])
    links.new(cut.outputs[0], with_band.inputs[1])
    links.new(glow.outputs[0], with_band.inputs[2])
    add_output(tree, with_band.outputs[0], (350, 100))
    material["nb_role"] = role
    return material


# --------------------------------------------------------------------------------------------
# objects and settings


def slicer_parts(surface) -> tuple:
    """(slicer Empty, wire object, surface material, wire material) of a sliced surface."""
    parts = tuple(surface.get(key) for key in PART_KEYS)
    if any(part is None for part in parts):
        raise NeuroBlendError(f"{surface.name!r} is not a sliced heightmap surface (or its slicer "
                              "or wireframe was deleted): import it with NeuroBlend again")
    return parts


def add_slicer(surface, *, axis: str = "X", position: float = 0.5, band_width: float | None = None,
               band_color=(0.15, 0.7, 1.0), band_strength: float = 3.0,
               colormap: str = "viridis", color_by: str = "height", wireframe: bool = True,
               flip: bool = False):
    """Give a heightmap surface a slicer Empty, slicing materials and a wireframe twin.

    ``position`` is the plane's place along ``axis`` as a fraction of the surface's extent (0..1).
    Returns the slicer Empty.
    """
    name = surface.name
    slicer = surface.get("nb_slicer")
    if slicer is None:
        slicer = bpy.data.objects.new(f"{name} Slicer", None)
        slicer.empty_display_type = "SINGLE_ARROW"
        for collection in surface.users_collection:
            collection.objects.link(slicer)
    surface_material = slicing_material(f"{name} Slicer Surface", slicer, role="surface",
                                        existing=surface.get("nb_surface_material"))
    wire_material = slicing_material(f"{name} Slicer Wire", slicer, role="wire",
                                     existing=surface.get("nb_wire_material"))
    surface.data.materials.clear()
    surface.data.materials.append(surface_material)
    wire = add_wire_twin(surface, wire_material)
    # ID references (not names), so renaming any part keeps the surface working
    for key, part in zip(PART_KEYS, (slicer, wire, surface_material, wire_material), strict=True):
        surface[key] = part
    lo, hi = world_bounds([surface], evaluated=True, what="surface")
    slicer.empty_display_size = 0.15 * float(max(hi - lo))
    set_colormap(surface, colormap, color_by=color_by)
    set_slice_axis(surface, axis, position)
    width = 0.006 * float(max(hi - lo)) if band_width is None else band_width
    set_band(surface, width=width, color=band_color, strength=band_strength, flip=flip)
    set_wireframe(surface, wireframe)
    return slicer


def set_colormap(surface, name: str, *, color_by: str | None = None, mode: str = "exact") -> None:
    """Colour the surface and its wireframe with colormap ``name`` by height or along x or y."""
    color_by = color_by or surface.get("nb_color_by", "height")
    if color_by not in COLOR_BY:
        raise NeuroBlendError(f"colour by {color_by!r}? choose one of {', '.join(COLOR_BY)}")
    group = colormap_node_group(name, mode=mode, kind="shader")
    xmin, xmax, ymin, ymax = surface.data["nb_extent"]
    ranges = {"height": tuple(surface.data["nb_value_range"]), "x": (xmin, xmax),
              "y": (ymin, ymax)}
    vmin, vmax = ranges[color_by]
    if not vmax > vmin:  # a flat surface: any range shows its single colour
        vmax = vmin + 1.0
    for material in slicer_parts(surface)[2:]:
        nodes, links = material.node_tree.nodes, material.node_tree.links
        cmap = nodes[N_CMAP]
        cmap.node_tree = group
        source = (nodes[N_VALUE].outputs[2] if color_by == "height"  # "Fac"/"Factor"
                  else nodes["NB Own XYZ"].outputs[color_by.upper()])
        links.new(source, cmap.inputs["Value"])
        for target in ("Base Color", "Emission Color", "Color"):
            if target in nodes[N_BSDF].inputs:
                links.new(cmap.outputs["Color"], nodes[N_BSDF].inputs[target])
        cmap.inputs["Min"].default_value = vmin
        cmap.inputs["Max"].default_value = vmax
    surface["nb_colormap"], surface["nb_color_by"] = name, color_by


def set_slice_axis(surface, axis: str, position: float | None = None) -> None:
    """Cut across world ``axis`` (X, Y or Z) at ``position`` (fraction 0..1 of the extent)."""
    axis = axis.upper()
    if axis not in AXES:
        raise NeuroBlendError(f"slice axis {axis!r}? choose X, Y or Z")
    slicer = slicer_parts(surface)[0]
    slicer.animation_data_clear()
    slicer.rotation_euler = _AXIS_ROTATION[axis]
    surface["nb_slice_axis"] = axis
    set_slice_position(surface, surface.get("nb_slice_position", 0.5) if position is None
                       else position)


def slice_location(surface, fraction: float) -> tuple[float, float, float]:
    """World location of the plane at ``fraction`` of the surface's extent along its axis."""
    lo, hi = world_bounds([surface], evaluated=True, what="surface")
    location = (lo + hi) / 2
    i = AXES[surface.get("nb_slice_axis", "X")]
    location[i] = lo[i] + fraction * (hi[i] - lo[i])
    return tuple(float(v) for v in location)


def set_slice_position(surface, fraction: float) -> None:
    """Move the slicing plane to ``fraction`` (0 = low end, 1 = high end) along its axis."""
    slicer = slicer_parts(surface)[0]
    slicer.location = slice_location(surface, float(fraction))
    surface["nb_slice_position"] = float(fraction)


def set_relief(surface, height_scale: float) -> None:
    """Change the surface's height scale, keeping the plane at the same fraction of the extent."""
    set_height_scale(surface, height_scale)
    set_slice_position(surface, surface.get("nb_slice_position", 0.5))


def set_band(surface, *, width: float | None = None, color=None, strength: float | None = None,
             flip: bool | None = None) -> None:
    """Band width (world units), glow colour (linear RGB) and strength; ``flip`` swaps sides."""
    for material in slicer_parts(surface)[2:]:
        nodes = material.node_tree.nodes
        mask, glow = nodes[N_MASK], nodes[N_BAND]
        if width is not None:
            if width < 0:
                raise NeuroBlendError(f"band width must be >= 0, got {width}")
            mask.inputs["Band Width"].default_value = float(width)
        if flip is not None:
            mask.inputs["Flip"].default_value = 1.0 if flip else 0.0
        if color is not None:
            glow.inputs["Color"].default_value = (*[float(c) for c in color[:3]], 1.0)
        if strength is not None:
            glow.inputs["Strength"].default_value = float(strength)


def set_wireframe(surface, visible: bool) -> None:
    """Show or hide the wireframe twin."""
    wire = slicer_parts(surface)[1]
    wire.hide_render = wire.hide_viewport = not visible


def animate_slice(surface, frame_start: int, frame_end: int, *, start: float = -0.02,
                  end: float = 1.02) -> None:
    """Sweep the plane from fraction ``start`` to ``end`` between two frames (linear keys)."""
    if frame_end <= frame_start:
        raise NeuroBlendError(
            f"the sweep needs frame_end > frame_start, got {frame_start}-{frame_end}")
    slicer = slicer_parts(surface)[0]
    i = AXES[surface.get("nb_slice_axis", "X")]
    slicer.animation_data_clear()
    for frame, fraction in ((frame_start, start), (frame_end, end)):
        slicer.location = slice_location(surface, fraction)
        slicer.keyframe_insert("location", index=i, frame=frame)
    compat.set_linear_interpolation(slicer)


def orbit_camera(surface, frame_start: int, frame_end: int, *, scene=None):
    """Circle the scene camera (framed on the surface if there is none) once around it."""
    scene = scene or bpy.context.scene
    lo, hi = world_bounds([surface], evaluated=True, what="surface")
    if scene.camera is None:
        frame_surface_camera(surface, scene)
    return studio.add_turntable(scene, tuple((lo + hi) / 2), frame_start, frame_end)


def frame_surface_camera(surface, scene=None, *, orbit: bool = False):
    """Frame the studio camera on the surface from the front, a little above (``orbit``: so it
    stays in view all the way round a turntable)."""
    lo, hi = world_bounds([surface], evaluated=True, what="surface")
    return studio.frame_camera(tuple(lo), tuple(hi), scene, view=(0.45, -1.0, 0.8), margin=1.05,
                               orbit=orbit)


def add_key_light(surface, *, strength: float = 2.5):
    """A sun from the upper left that gives the surface its shape (colour stays from emission)."""
    light = bpy.data.objects.get("NeuroBlend Key Light")
    if light is None:
        data = bpy.data.lights.new("NeuroBlend Key Light", "SUN")
        light = bpy.data.objects.new("NeuroBlend Key Light", data)
        bpy.context.scene.collection.objects.link(light)
    light.data.energy = float(strength)
    light.data.angle = math.radians(8.0)
    light.rotation_euler = (math.radians(40.0), 0.0, math.radians(-35.0))
    return light


def build_sliced_surface(doc: dict, *, name: str = "Heightmap", size: float = 4.0,
                         height_scale: float | None = None, mode: str = "mesh",
                         frame_start: int = 1, frames_per_step: float = 1.0,
                         wire_every: int | None = None, light: bool = True, **slicer_options):
    """A heightmap document as a sliced surface (surface, slicer, wireframe, light) in one call.

    ``slicer_options`` go to :func:`add_slicer`. Returns the surface object.
    """
    surface = build_surface(doc, name=name, size=size, height_scale=height_scale, mode=mode,
                            frame_start=frame_start, frames_per_step=frames_per_step,
                            wire_every=wire_every)
    add_slicer(surface, **slicer_options)
    if light:
        add_key_light(surface)
    return surface



def slicer_settings(surface) -> dict:
    """The current slicer settings of a sliced surface (what the add-on's panel shows)."""
    nodes = slicer_parts(surface)[2].node_tree.nodes
    mask, glow = nodes[N_MASK], nodes[N_BAND]
    return {
        "axis": surface.get("nb_slice_axis", "X"),
        "position": float(surface.get("nb_slice_position", 0.5)),
        "band_width": float(mask.inputs["Band Width"].default_value),
        "band_color": tuple(glow.inputs["Color"].default_value)[:3],
        "band_strength": float(glow.inputs["Strength"].default_value),
        "flip": mask.inputs["Flip"].default_value > 0.5,
        "wireframe": not slicer_parts(surface)[1].hide_render,
        "colormap": surface.get("nb_colormap", "viridis"),
        "color_by": surface.get("nb_color_by", "height"),
        "height_scale": get_height_scale(surface),
    }


def import_heightmap(path, *, key: str | None = None, **options):
    """Read a heightmap file or image and build it as a sliced surface, camera framed if none.

    ``options`` go to :func:`build_sliced_surface`. Returns ``(surface, warnings)`` where
    ``warnings`` are the messages about changed input (holes, downsampling, colour images).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", HeightmapWarning)
        doc = heightmap_from_files([path], key=key)
    options.setdefault("name", Path(path).stem)
    surface = build_sliced_surface(doc, **options)
    if bpy.context.scene.camera is None:
        frame_surface_camera(surface)
    return surface, [str(w.message) for w in caught if issubclass(w.category, HeightmapWarning)]
