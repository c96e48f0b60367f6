"""The one place for differences between Blender versions (4.2 LTS to 5.x).

Feature detection wherever Blender lets us (``hasattr``, RNA enum items and parameters), version
numbers only where behaviour changes without a visible API change.

- EEVEE's engine id: ``BLENDER_EEVEE_NEXT`` in 4.2-4.5, ``BLENDER_EEVEE`` from 5.0 (read from the
  engine enum's items).
- Compositor: 5.0 replaced ``scene.use_nodes``/``scene.node_tree`` and the Composite node by a
  node group assigned to ``scene.compositing_node_group`` with a Group Output; 5.3 deprecates that
  for ``scene.compositor_effects`` (each effect holds a node group). Many node options (e.g. the
  Glare type) became input sockets in 4.4+.
- Node options that became menu sockets (Glare type 4.4+, String to Curves alignment 5.3+):
  ``set_input``/``get_input`` with the option's label ("Bottom Baseline"); String to Curves'
  font, a node property before 5.3 and a "Font" socket from 5.3, goes through them too.
- Node sockets renamed across versions (Set Shade Smooth's geometry: "Geometry" before 5.0, "Mesh"
  from 5.0) are looked up by index by their users.
- Sequencer strips: 5.3 deprecates ``frame_final_end``/``frame_duration`` for ``right_handle``/
  ``content_duration``.
- .blend files: a file saved by a newer Blender may not open in an older one
  (``file_opens_here``).
- bpy 4.2-4.4 crash at interpreter exit after add-on UI classes were registered
  (``EXIT_CRASHES_INTERPRETER``).
- Node-group interface: ``tree.interface.new_socket`` (4.0+).
- Video output: 5.0 adds ``image_settings.media_type``.
- Animation: 4.4+ slotted actions (F-curves live in channel bags; ``action.fcurves`` is gone in 5.0).
- Material transparency: EEVEE Next uses ``surface_render_method``; older used ``blend_method``.
- Geometry-nodes modifier inputs: ID properties (``mod["Socket_N"]``) before 5.2,
  ``mod.properties.inputs.Socket_N.value`` from 5.2.
- Cycles light sampling: ``material.cycles.emission_sampling`` (3.5+) and
  ``world.cycles.sampling_method`` exist only while the Cycles add-on is registered.
"""

from __future__ import annotations

import bpy

VERSION = bpy.app.version


def _eevee_engine() -> str:
    items = bpy.types.RenderSettings.bl_rna.properties["engine"].enum_items
    return "BLENDER_EEVEE_NEXT" if "BLENDER_EEVEE_NEXT" in items.keys() else "BLENDER_EEVEE"


EEVEE_ENGINE = _eevee_engine()
# bpy 4.2-4.4 as a Python module: at process exit, C++ static destructors free the space types
# and call back into Python (bpy_class_free -> PyGILState_Ensure) after the interpreter is gone,
# a segfault once an add-on's UI classes were registered. Hosts that import bpy (pytest) end
# the process with os._exit after their own clean-up there. 4.5+ exits cleanly.
EXIT_CRASHES_INTERPRETER = VERSION < (4, 5, 0)
# 4.2's compositor filters only the pixels of a render region: a bloom stops at its edge (4.5+
# filters the whole frame; 4.3/4.4, outside our range, are taken to behave like 4.2)
COMPOSITOR_CROPS_TO_REGION = VERSION < (4, 5, 0)
_ENGINES = {"cycles": "CYCLES", "eevee": EEVEE_ENGINE, "workbench": "BLENDER_WORKBENCH"}


def engine_id(name: str) -> str:
    """Blender's render-engine identifier for ``cycles``, ``eevee`` or ``workbench``."""
    try:
        return _ENGINES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown render engine {name!r}; choose one of {', '.join(_ENGINES)}") from None


def new_socket(tree, name: str, in_out: str = "INPUT", socket_type: str = "NodeSocketFloat"):
    """Add an interface socket to a node group (4.0+ ``interface`` API)."""
    return tree.interface.new_socket(name=name, in_out=in_out, socket_type=socket_type)


def input_identifier(tree, name: str) -> str:
    """The identifier (``Socket_N``) of a node group's input ``name``: the key a modifier uses."""
    for item in tree.interface.items_tree:
        if item.item_type == "SOCKET" and item.in_out == "INPUT" and item.name == name:
            return item.identifier
    raise KeyError(f"node group {tree.name!r} has no input {name!r}")


def _modifier_input_id(mod, name: str) -> str:
    if mod.node_group is None:
        raise KeyError(f"modifier {mod.name!r} has no node group")
    return input_identifier(mod.node_group, name)


def modifier_input_path(mod, name: str) -> str:
    """Data path (relative to the object) of geometry-nodes modifier input ``name``, for drivers."""
    ident = _modifier_input_id(mod, name)
    if hasattr(mod, "properties"):  # 5.2+
        return f'modifiers["{mod.name}"].properties.inputs.{ident}.value'
    return f'modifiers["{mod.name}"]["{ident}"]'


def set_modifier_input(mod, name: str, value) -> None:
    """Set geometry-nodes modifier input ``name`` (its interface name) to ``value``."""
    ident = _modifier_input_id(mod, name)
    if hasattr(mod, "properties"):  # 5.2+
        getattr(mod.properties.inputs, ident).value = value
    else:
        mod[ident] = value


def get_modifier_input(mod, name: str):
    """The value of geometry-nodes modifier input ``name``."""
    ident = _modifier_input_id(mod, name)
    if hasattr(mod, "properties"):  # 5.2+
        return getattr(mod.properties.inputs, ident).value
    return mod[ident]


def _legacy_option(name: str) -> str:
    prop = name.lower().replace(" ", "_")
    return {"type": "glare_type"}.get(prop, prop)


def set_input(node, name: str, value) -> None:
    """Set a node option that is an input socket in newer Blender and a property in older ones."""
    socket = node.inputs.get(name)
    if socket is not None and not socket.is_linked:
        socket.default_value = value
        return
    if isinstance(value, str):  # menu sockets take the label ("Bottom Baseline"), enums the id
        value = value.upper().replace(" ", "_")
    setattr(node, _legacy_option(name), value)


def get_input(node, name: str):
    """A node option set by ``set_input`` (menu choices as enum ids: "BLOOM", in every version)."""
    socket = node.inputs.get(name)
    value = socket.default_value if socket is not None else getattr(node, _legacy_option(name))
    return value.upper().replace(" ", "_") if isinstance(value, str) else value


def scene_compositor(scene):
    """The scene's compositor node tree, or None if it has none (never creates one)."""
    if hasattr(scene, "compositor_effects"):  # 5.3+
        return next((e.node_group for e in scene.compositor_effects if e.node_group), None)
    if hasattr(scene, "compositing_node_group"):  # 5.0-5.2
        return scene.compositing_node_group
    return scene.node_tree if scene.use_nodes else None


def compositor_tree(scene, name: str = "NeuroBlend Compositor"):
    """The scene's compositor node tree, created (empty) and enabled if needed."""
    if hasattr(scene, "compositor_effects"):  # 5.3+
        tree = scene_compositor(scene)
        if tree is None:
            tree = bpy.data.node_groups.get(name) or bpy.data.node_groups.new(name, "CompositorNodeTree")
            scene.compositor_effects.new(name=name).node_group = tree
        return tree
    if hasattr(scene, "compositing_node_group"):  # 5.0-5.2
        tree = scene.compositing_node_group
        if tree is None:
            tree = bpy.data.node_groups.get(name) or bpy.data.node_groups.new(name, "CompositorNodeTree")
            scene.compositing_node_group = tree
        return tree
    scene.use_nodes = True  # 4.x
    return scene.node_tree


def compositor_output(tree):
    """The node whose 'Image' input is the final composite (Group Output in 5.0, Composite before)."""
    if bpy.app.version >= (5, 0, 0):
        if "Image" not in [s.name for s in tree.interface.items_tree if s.item_type == "SOCKET"]:
            new_socket(tree, "Image", "OUTPUT", "NodeSocketColor")
        node = next((n for n in tree.nodes if n.bl_idname == "NodeGroupOutput"), None)
        node = node or tree.nodes.new("NodeGroupOutput")
        node.is_active_output = True
        return node
    node = next((n for n in tree.nodes if n.bl_idname == "CompositorNodeComposite"), None)
    return node or tree.nodes.new("CompositorNodeComposite")


def set_compositor_cpu(scene) -> None:
    """Run the compositor on the CPU (GPU compositing needs a display in background mode)."""
    if hasattr(scene.render, "compositor_device"):
        scene.render.compositor_device = "CPU"


def set_png_output(scene, color_mode: str = "RGB") -> None:
    """Configure 8-bit PNG still output."""
    settings = scene.render.image_settings
    if hasattr(settings, "media_type"):
        settings.media_type = "IMAGE"
    settings.file_format = "PNG"
    settings.color_mode = color_mode
    settings.color_depth = "8"
    settings.compression = 15


def fcurves(id_data) -> list:
    """All F-curves animating ``id_data`` (slotted actions in 4.4+, ``action.fcurves`` before)."""
    anim = id_data.animation_data
    if anim is None or anim.action is None:
        return []
    action = anim.action
    if hasattr(anim, "action_slot"):
        from bpy_extras import anim_utils

        bag = anim_utils.action_get_channelbag_for_slot(action, anim.action_slot)
        return list(bag.fcurves) if bag is not None else []
    return list(action.fcurves)


def set_linear_interpolation(id_data) -> None:
    """Make every keyframe of ``id_data`` interpolate linearly (constant-speed motion)."""
    for curve in fcurves(id_data):
        for point in curve.keyframe_points:
            point.interpolation = "LINEAR"


def set_material_blend_transparent(material) -> None:
    """Let a material be see-through in EEVEE (Cycles needs nothing)."""
    if hasattr(material, "surface_render_method"):  # EEVEE Next, 4.2+
        material.surface_render_method = "BLENDED"
    else:
        material.blend_method = "BLEND"
    if hasattr(material, "use_transparency_overlap"):
        material.use_transparency_overlap = True


def set_emission_sampling(material, mode: str = "NONE") -> None:
    """Cycles' emission sampling of ``material`` ('NONE': its emission is seen but not sampled
    as a light, so Cycles builds no light tree over its triangles). No-op without Cycles."""
    settings = getattr(material, "cycles", None)
    if settings is not None and hasattr(settings, "emission_sampling"):
        settings.emission_sampling = mode


def set_world_light_sampling(world, enabled: bool) -> None:
    """Whether Cycles samples ``world`` as a light (off for a black world). No-op without Cycles."""
    settings = getattr(world, "cycles", None)
    if settings is not None and hasattr(settings, "sampling_method"):
        settings.sampling_method = "AUTOMATIC" if enabled else "NONE"


def enable_nodes(id_block) -> None:
    """Make a material/world/light use its node tree (always on from 5.0, where the flag is deprecated)."""
    if VERSION < (5, 0, 0):
        id_block.use_nodes = True


def uses_nodes(id_block) -> bool:
    """Whether a material/world/light renders through its node tree (always from 5.0)."""
    return VERSION >= (5, 0, 0) or bool(id_block.use_nodes)


def set_strip_end(strip, frame: int) -> None:
    """Move a strip's right handle: ``frame`` is the first frame it no longer shows."""
    if hasattr(strip, "right_handle"):  # 5.3+
        strip.right_handle = frame
    else:
        strip.frame_final_end = frame


def strip_span(strip) -> tuple[int, int]:
    """(first frame shown, first frame no longer shown) of a strip, its handles applied."""
    if hasattr(strip, "right_handle"):  # 5.3+
        return int(strip.left_handle), int(strip.right_handle)
    return int(strip.frame_final_start), int(strip.frame_final_end)


def strip_content_frames(strip) -> int:
    """Length of a strip's source in frames, handles ignored."""
    if hasattr(strip, "content_duration"):  # 5.3+
        return int(strip.content_duration)
    return int(strip.frame_duration)


def blend_file_version(path) -> tuple[int, int]:
    """(major, minor) of the Blender that saved the .blend ``path``, read from its header.

    Headers: ``BLENDER-v402`` (pointer size, endianness, 3 digits; up to 4.x) or
    ``BLENDER17-01v0500`` (header size, format version, endianness, 4 digits; 5.0+), possibly
    zstd-compressed (zstandard ships with every Blender and bpy wheel).
    """
    with open(path, "rb") as f:
        head = f.read(32)
        if head.startswith(b"\x28\xb5\x2f\xfd"):
            import zstandard

            f.seek(0)
            head = zstandard.ZstdDecompressor().stream_reader(f).read(32)
    if not head.startswith(b"BLENDER"):
        raise ValueError(f"{path}: not a .blend file")
    digits = head[9:12] if head[7:8] in (b"_", b"-") else head[13:17]
    number = int(digits.decode("ascii"))
    return number // 100, number % 100


def file_opens_here(path) -> bool:
    """Whether this Blender can open the .blend ``path``: saved by this version or an older one."""
    return blend_file_version(path) <= VERSION[:2]


def sequencer_strips(scene):
    """Top-level strips of the scene's video sequencer (``strips`` in 5.0, ``sequences`` before)."""
    editor = scene.sequence_editor or scene.sequence_editor_create()
    return editor.strips if hasattr(editor, "strips") else editor.sequences


def new_effect_strip(strips, name: str, effect_type: str, channel: int, frame_start: int,
                     frame_end: int):
    """A sequencer effect strip over [frame_start, frame_end) (5.0 takes a length, 4.x an end)."""
    params = strips.bl_rna.functions["new_effect"].parameters
    if "length" in params:
        return strips.new_effect(name, effect_type, channel, frame_start,
                                 length=frame_end - frame_start)
    return strips.new_effect(name, effect_type, channel, frame_start, frame_end=frame_end)


def set_text_anchor(strip, x: str, y: str) -> None:
    """Anchor a text strip at its location (``anchor_x/y`` in 4.4+, ``align_x/y`` before)."""
    if hasattr(strip, "anchor_x"):
        strip.anchor_x, strip.anchor_y = x, y
    else:
        strip.align_x, strip.align_y = x, y


def mix_socket(sockets, name: str):
    """The Mix node socket called ``name`` in use (the one home for this: Mix nodes keep hidden
    sockets of the other data types under the same names)."""
    return next(s for s in sockets if s.name == name and s.enabled)
