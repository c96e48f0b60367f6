"""Camera overlays of a spike scene: a time label ("12.5 ms") and a colorbar with its range.

The colorbar's range is geometry-nodes text (Value to String -> String to Curves) fed by drivers
from the simulation's root Empty; the time label is ``clock_label``'s fixed glyphs, which its
shader picks from the playback clock, so nothing runs in Python per frame and a frame change
changes no geometry. They are parented to the camera at a depth just in front of the scene, so
they stay put in the frame whatever the camera does.
"""

from __future__ import annotations

import math

import bpy

from neuroblend.blender.core import compat, fonts, playback_clock
from neuroblend.blender.core import scale_bar as core_scale_bar
from neuroblend.blender.core.node_build import emission_surface, fresh_material, node_group
from neuroblend.blender.spike import clock_label
from neuroblend.blender.spike.material import COLORMAP_NODE, drive_from_root, set_colormap_node

VALUE_LABEL_GROUP = "NB Value Label"
LABEL_MATERIAL = "NB Label White"
BAND_MATERIAL = "NB Overlay Band"
OVERLAY_RESERVE = (0.16, 0.11)  # frame height kept free for the colorbar (bottom), time (top)
# each overlay's band: "bottom" (colorbar), "top" (time) or "scale" (scale bar); a black backing behind a shown overlay
# keeps it readable in close-ups, where the cells fill the frame (in whole-cell shots the camera
# keeps the cells out of the overlays' bands, so the backings hide nothing)
_BANDS = {"time": "top", "colorbar": "bottom", "scale bar": "scale"}
# the overlays that move together when a film's layout step moves one (neuroblend.film.layout)
GROUPS = {"time": "time", "band top": "time", "colorbar": "colorbar", "colorbar min": "colorbar",
          "colorbar max": "colorbar", "band bottom": "colorbar", "scale bar": "scale bar",
          "band scale": "scale bar"}


def _new_label_group(group, inputs, output_x: float):
    """Fill a new geometry-nodes modifier group of a text overlay with its interface and its
    group input/output nodes.

    Sockets: Geometry, then ``inputs`` (``(name, socket type, {attribute: value})``), Material;
    out: Geometry. Returns ``(group, group input node, group output node)``.
    """
    group.is_modifier = True
    compat.new_socket(group, "Geometry", "INPUT", "NodeSocketGeometry")
    for socket_name, socket_type, attributes in inputs:
        socket = compat.new_socket(group, socket_name, "INPUT", socket_type)
        for key, value in attributes.items():
            setattr(socket, key, value)
    compat.new_socket(group, "Material", "INPUT", "NodeSocketMaterial")
    compat.new_socket(group, "Geometry", "OUTPUT", "NodeSocketGeometry")
    gin = group.nodes.new("NodeGroupInput")
    gin.location = (-800, 0)
    gout = group.nodes.new("NodeGroupOutput")
    gout.location = (output_x, 0)
    return group, gin, gout


def value_label_node_group(font=None):
    """Geometry nodes: a number as filled text, ``Value`` with ``Decimals`` and a ``Suffix``,
    set in ``font`` (default: the scene's)."""
    group = node_group(VALUE_LABEL_GROUP, "GeometryNodeTree", _build_value_label)
    for node in group.nodes:
        if node.bl_idname == "GeometryNodeStringToCurves":
            compat.set_input(node, "Font", font or fonts.scene_font())
    return group


def _build_value_label(group) -> None:
    group, gin, gout = _new_label_group(group, (
        ("Value", "NodeSocketFloat", {}),
        ("Decimals", "NodeSocketInt", {"default_value": 1, "min_value": 0, "max_value": 6}),
        ("Suffix", "NodeSocketString", {}),
        ("Align Right", "NodeSocketBool", {"default_value": False}),
    ), output_x=1000)
    nodes, links = group.nodes, group.links
    to_string = nodes.new("FunctionNodeValueToString")
    to_string.location = (-550, 100)
    links.new(gin.outputs["Value"], to_string.inputs["Value"])
    links.new(gin.outputs["Decimals"], to_string.inputs["Decimals"])
    join = nodes.new("GeometryNodeStringJoin")
    join.location = (-300, 100)
    links.new(gin.outputs["Suffix"], join.inputs["Strings"])  # multi-input: last link first
    links.new(to_string.outputs["String"], join.inputs["Strings"])
    shapes = []
    for k, side in enumerate(("Left", "Right")):
        text = nodes.new("GeometryNodeStringToCurves")
        compat.set_input(text, "Align X", side)
        compat.set_input(text, "Align Y", "Bottom Baseline")
        text.location = (-50, 250 - 300 * k)
        text.inputs["Size"].default_value = 1.0
        links.new(join.outputs["String"], text.inputs["String"])
        shapes.append(text.outputs["Curve Instances"])
    switch = nodes.new("GeometryNodeSwitch")
    switch.input_type = "GEOMETRY"
    switch.location = (200, 100)
    links.new(gin.outputs["Align Right"], switch.inputs["Switch"])
    links.new(shapes[0], switch.inputs["False"])
    links.new(shapes[1], switch.inputs["True"])
    realize = nodes.new("GeometryNodeRealizeInstances")
    realize.location = (400, 100)
    links.new(switch.outputs["Output"], realize.inputs["Geometry"])
    fill = nodes.new("GeometryNodeFillCurve")
    fill.location = (600, 100)
    links.new(realize.outputs["Geometry"], fill.inputs["Curve"])
    material = nodes.new("GeometryNodeSetMaterial")
    material.location = (800, 100)
    links.new(fill.outputs["Mesh"], material.inputs["Geometry"])
    links.new(gin.outputs["Material"], material.inputs["Material"])
    links.new(material.outputs["Geometry"], gout.inputs["Geometry"])


def _flat_material(name: str, color: tuple, strength: float = 1.0):
    """A seen-only emission material ``name`` of one colour (fetched by name or made)."""
    mat = bpy.data.materials.get(name)
    if mat is None:
        mat = playback_clock.seen_emission(fresh_material(name, reuse=False))
        tree = mat.node_tree
        emission_surface(tree, (*color, 1.0), strength)
    return mat


def label_material():
    """Plain white emission for overlay text."""
    return _flat_material(LABEL_MATERIAL, clock_label.LABEL_COLOR)


def _band_material():
    """Black, unlit: the backing of an overlay band (the studio world is black too)."""
    return _flat_material(BAND_MATERIAL, (0.0, 0.0, 0.0), strength=0.0)


def _add_band(root, scene, kind: str) -> None:
    """The black backing behind the overlay ``kind`` (a square, placed by place_overlays)."""
    band = f"band {_BANDS[kind]}"
    if bpy.data.objects.get(f"{root.name} {band}") is not None:
        return
    mesh = bpy.data.meshes.new(f"{root.name} {band}")
    mesh.from_pydata([(-1, -1, 0), (1, -1, 0), (1, 1, 0), (-1, 1, 0)], [], [(0, 1, 2, 3)])
    mesh.materials.append(_band_material())
    _overlay_object(root, scene, band, mesh)


def _overlay_object(root, scene, kind: str, mesh=None):
    name = f"{root.name} {kind}"
    obj = bpy.data.objects.get(name)
    if obj is None:
        obj = bpy.data.objects.new(name, mesh or bpy.data.meshes.new(name))
        for collection in root.users_collection:
            collection.objects.link(obj)
    obj["nb_root"] = root.name
    obj["nb_overlay"] = kind
    return obj


def _modifier(obj, group):
    mod = obj.modifiers.get("NeuroBlend Label") or obj.modifiers.new("NeuroBlend Label", "NODES")
    mod.node_group = group
    compat.set_modifier_input(mod, "Material", label_material())
    return mod


def add_time_label(root, scene=None):
    """A camera overlay showing the simulation time of the current frame (``clock_label``:
    its geometry never changes, its shader reads the playback clock)."""
    scene = scene or bpy.context.scene
    name = f"{root.name} time"
    start, end = root["nb_data_time_start"], root["nb_data_time_end"]
    mesh = clock_label.label_mesh(name, clock_label.integer_places(start, end),
                                  negative=min(start, root["nb_time_start"]) < 0.0,
                                  suffix=f" {root.get('nb_time_unit', 'ms')}",
                                  font=fonts.scene_font(scene))
    mesh.materials.append(clock_label.label_material(name, root))
    obj = _overlay_object(root, scene, "time", mesh)
    if obj.data is not mesh:  # a label again: the new glyphs and material replace the old
        old, obj.data = obj.data, mesh
        if not old.users:
            bpy.data.meshes.remove(old)
        obj.modifiers.clear()  # the text modifier of labels made before clock_label
    _add_band(root, scene, "time")
    place_overlays(root, scene)
    return obj


def add_colorbar(root, scene=None):
    """A camera overlay: the colormap as a bar with the range's end values under it."""
    scene = scene or bpy.context.scene
    mesh = bpy.data.meshes.new(f"{root.name} colorbar")
    mesh.from_pydata([(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0)], [], [(0, 1, 2, 3)])
    bar = _overlay_object(root, scene, "colorbar", mesh)
    if not bar.data.materials:
        bar.data.materials.append(_colorbar_material(root))
    refresh_colorbar(bar, root)
    group = value_label_node_group(fonts.scene_font(scene))
    unit = root.get("nb_value_unit", "")
    for kind, prop, right in (("colorbar min", "nb_value_min", False),
                              ("colorbar max", "nb_value_max", True)):
        obj = _overlay_object(root, scene, kind)
        mod = _modifier(obj, group)
        drive_from_root(obj, compat.modifier_input_path(mod, "Value"), root, prop)
        compat.set_modifier_input(mod, "Decimals", 0)
        if unit:
            compat.set_modifier_input(mod, "Suffix", f" {unit}")
        compat.set_modifier_input(mod, "Align Right", right)
    _add_band(root, scene, "colorbar")
    place_overlays(root, scene)
    return bar


def add_scale_bar(root, scene=None, setting="auto", units_per_um: float = 0.01):
    """A camera overlay: a scale bar in µm (``setting``: "auto" or a length in µm) for cells
    built at ``units_per_um`` Blender units per µm under ``root``."""
    scene = scene or bpy.context.scene
    micrometres = 1.0 / (units_per_um * root.matrix_world.to_scale()[0])
    obj = core_scale_bar.add_scale_bar(f"{root.name} scale bar", root.users_collection[0],
                                       label_material(), micrometres=micrometres,
                                       length=0.0 if setting == "auto" else float(setting))
    _overlay_object(root, scene, "scale bar", obj.data)
    _add_band(root, scene, "scale bar")
    place_overlays(root, scene)
    return obj


def _colorbar_material(root):
    mat = playback_clock.seen_emission(fresh_material(f"{root.name} colorbar", reuse=False))
    tree = mat.node_tree
    coords = tree.nodes.new("ShaderNodeTexCoord")
    coords.location = (-600, 0)
    split = tree.nodes.new("ShaderNodeSeparateXYZ")
    split.location = (-400, 0)
    tree.links.new(coords.outputs["Generated"], split.inputs["Vector"])
    cmap = tree.nodes.new("ShaderNodeGroup")
    cmap.name = cmap.label = COLORMAP_NODE
    cmap.location = (-200, 0)
    set_colormap_node(cmap, root.get("nb_colormap", "plasma"),
                       root.get("nb_colormap_mode", "exact"))
    tree.links.new(split.outputs["X"], cmap.inputs["Value"])
    cmap.inputs["Min"].default_value = 0.0
    cmap.inputs["Max"].default_value = 1.0
    reverse = tree.nodes.new("ShaderNodeValue")
    reverse.name = reverse.label = "nb_reverse"
    reverse.location = (-400, -200)
    tree.links.new(reverse.outputs[0], cmap.inputs["Reverse"])
    drive_from_root(tree, 'nodes["nb_reverse"].outputs[0].default_value', root, "nb_reverse")
    emission_surface(tree, cmap.outputs["Color"], None, (50, 0))
    return mat


def refresh_colorbar(bar, root) -> None:
    """Show the root's current colormap on the colorbar."""
    for mat in bar.data.materials:
        node = mat.node_tree.nodes.get(COLORMAP_NODE) if mat and mat.node_tree else None
        if node is not None:
            set_colormap_node(node, root.get("nb_colormap", "plasma"),
                               root.get("nb_colormap_mode", "exact"))


def place_overlays(root, scene=None) -> None:
    """Parent the root's overlays to the scene camera, just in front of the scene."""
    scene = scene or bpy.context.scene
    camera = scene.camera
    overlays = {obj["nb_overlay"]: obj for obj in bpy.data.objects
                if obj.get("nb_root") == root.name and obj.get("nb_overlay")}
    if camera is None or not overlays:
        return
    cam = camera.data
    depth = max(cam.clip_start * 1.05, 1e-3)
    aspect = scene.render.resolution_x / scene.render.resolution_y
    half = depth * math.tan(cam.angle / 2)
    half_w, half_h = (half, half / aspect) if aspect >= 1 else (half * aspect, half)
    text = fonts.overlay_scale("clock", 2 * half_h)  # typography.sizes: x-height / frame
    label = fonts.overlay_scale("label", 2 * half_h)
    # frame_camera centres the cells with the lens shift (a fraction of the larger side)
    shift = (cam.shift_x * 2 * max(half_w, half_h), cam.shift_y * 2 * max(half_w, half_h))
    back = depth * 1.01  # behind the overlays, in front of the scene
    bottom, top = (2 * f * half_h * 1.01 for f in OVERLAY_RESERVE)  # band heights at ``back``
    layout = {
        # a backing under the colorbar and its labels, one under the time; each reaches past the
        # frame's edge (0.2 * half_h) so no sliver of a cell shows beside the text
        "band bottom": ((0.0, -half_h * 1.01 + (bottom - 0.2 * half_h) / 2, -back),
                        (half_w * 0.45, (bottom + 0.2 * half_h) / 2, 1)),
        "band top": ((-half_w * 0.8, half_h * 1.01 - (top - 0.2 * half_h) / 2, -back),
                     (half_w * 0.3, (top + 0.2 * half_h) / 2, 1)),
        "time": ((-half_w * 0.92, half_h * 0.82, -depth), (text, text, text)),
        "colorbar": ((-half_w * 0.35, -half_h * 0.80, -depth), (half_w * 0.7, half_h * 0.035, 1)),
        "colorbar min": ((-half_w * 0.35, -half_h * 0.93, -depth), (label,) * 3),
        "colorbar max": ((half_w * 0.35, -half_h * 0.93, -depth), (label,) * 3),
        # behind the scale bar and its label, past the frame's lower left corner
        "band scale": ((-half_w * 0.78, -half_h * 0.96, -back), (half_w * 0.34, half_h * 0.25, 1)),
    }
    moves = {group: tuple(value) for group, value in root.get("nb_overlay_layout", {}).items()}
    for kind, obj in overlays.items():
        dx, dy, backed = moves.get(GROUPS.get(kind, ""), (0.0, 0.0, 1.0))
        if kind.startswith("band"):
            obj.hide_render = obj.hide_viewport = not backed
        if kind == "scale bar":
            at = core_scale_bar.DEFAULT_AT
            core_scale_bar.fit_to_camera(obj, scene, (at[0] + dx, at[1] + dy), depth)
        elif kind in layout:
            (x, y, z), scale = layout[kind]
            _hold(obj, camera, (x + 2 * half_w * dx + shift[0] * z / -depth,
                                y + 2 * half_h * dy + shift[1] * z / -depth, z), scale)


def _hold(obj, camera, location, scale) -> None:
    """Parent an overlay to the camera at ``location`` (camera space) and ``scale``."""
    obj.parent = camera
    obj.matrix_parent_inverse.identity()
    obj.location, obj.scale = location, scale
    obj.rotation_euler = (0.0, 0.0, 0.0)


def apply_layout(scene, moves: dict) -> None:
    """Move the overlays of every simulation in ``scene`` as a film's layout step says: ``moves``
    maps a group ("time", "colorbar", "scale bar") to ``[dx, dy, backed]`` (frame fractions;
    ``backed`` 0 hides the group's black backing, not needed where nothing lit is under it)."""
    roots = {obj["nb_root"] for obj in scene.objects if obj.get("nb_overlay")}
    for name in roots:
        root = bpy.data.objects.get(name)
        if root is not None:
            root["nb_overlay_layout"] = {group: [float(v) for v in value]
                                         for group, value in moves.items()}
            place_overlays(root, scene)
