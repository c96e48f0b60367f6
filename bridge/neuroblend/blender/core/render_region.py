"""Render only where the frame can show something: for the length of a render, a Cycles render
region fitted to the screen bounds of everything the camera can see.

Emission scenes on a black world (a glowing cell, a network) light a tenth of the frame, yet Cycles
pays every sample of every pixel, and samples are most of a video frame's time. A pixel outside
every object's screen bounds shows the black world whether it is rendered or not, so rendering
only the region gives the same picture, as long as nothing else can colour that pixel.
``fitted_region`` checks that (see ``whole_frame_reason``) and otherwise renders the whole frame.
The region is set only while our helpers render and is never saved: a .blend someone opens renders
whole frames, as they expect.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager

import numpy as np

from neuroblend.blender.core import compat

SWITCH = "NEUROBLEND_RENDER_REGION"  # "0": always render whole frames (to compare, or to rule it out)
WORTH_IT = 0.85  # a region covering more of the frame than this saves too little to bother
_GEOMETRY = {"MESH", "CURVE", "CURVES", "SURFACE", "META", "FONT", "POINTCLOUD", "VOLUME",
             "GPENCIL", "GREASEPENCIL"}
_NOT_SEEN = {"EMPTY", "CAMERA", "ARMATURE", "LATTICE", "SPEAKER", "LIGHT_PROBE"}
# compositor nodes that pass the image on unchanged; with the Glare of the studio bloom, the
# nodes that use no pass but the image, and no alpha
_PASS_THROUGH = {"CompositorNodeRLayers", "CompositorNodeComposite", "CompositorNodeViewer",
                 "NodeGroupOutput", "NodeGroupInput", "NodeReroute", "NodeFrame"}
_IMAGE_ONLY_NODES = _PASS_THROUGH | {"CompositorNodeGlare"}


@contextmanager
def fitted_region(scene, frames):
    """Render ``scene`` inside the region :func:`region_for` finds for ``frames``, if any; the
    render settings are restored afterwards."""
    region = region_for(scene, frames)
    render = scene.render
    keys = ("use_border", "use_crop_to_border", "border_min_x", "border_max_x", "border_min_y",
            "border_max_y")
    saved = {key: getattr(render, key) for key in keys}
    if region is not None:
        render.use_border, render.use_crop_to_border = True, False
        (render.border_min_x, render.border_max_x,
         render.border_min_y, render.border_max_y) = region
    try:
        yield region
    finally:
        for key, value in saved.items():
            setattr(render, key, value)


def region_for(scene, frames) -> tuple[float, float, float, float] | None:
    """``(min_x, max_x, min_y, max_y)``, as fractions of the frame, that hold every pixel any
    visible object can reach in ``frames`` (padded by the pixel filter), or None when the whole
    frame must be rendered (``whole_frame_reason``, something unbounded, or no saving)."""
    if whole_frame_reason(scene) is not None:
        return None
    width, height = _frame_pixels(scene)
    pad = math.ceil(scene.cycles.filter_width / 2) + 2  # a sample's filter reach, + rounding
    lo, hi = np.full(2, np.inf), np.full(2, -np.inf)
    current = scene.frame_current
    try:
        for frame in frames:
            scene.frame_set(frame)
            bounds = _screen_bounds(scene, width, height)
            if bounds is None:
                return None
            lo, hi = np.minimum(lo, bounds[0] - pad), np.maximum(hi, bounds[1] + pad)
            lo, hi = np.maximum(lo, 0.0), np.minimum(hi, (width, height))
            if np.prod(np.maximum(hi - lo, 0.0)) > WORTH_IT * width * height:
                return None
    finally:
        scene.frame_set(current)
    if not np.all(hi > lo):  # nothing visible at all: one pixel is enough
        lo, hi = np.zeros(2), np.ones(2)
    return (lo[0] / width, hi[0] / width, lo[1] / height, hi[1] / height)


def whole_frame_reason(scene) -> str | None:
    """Why ``scene`` must render whole frames (pixels outside the objects could still change),
    or None when a render region gives the same picture."""
    render, camera = scene.render, scene.camera
    checks = (
        (os.environ.get(SWITCH, "1") == "0", f"{SWITCH}=0"),
        (render.engine != "CYCLES", "not Cycles"),
        (render.use_border, "the scene has its own render region"),
        (camera is None or camera.type != "CAMERA", "no camera"),
        (camera is not None and camera.type == "CAMERA"
         and (camera.data.type not in {"PERSP", "ORTHO"} or camera.data.dof.use_dof),
         "a panoramic camera or depth of field"),
        (render.use_motion_blur, "motion blur"),
        (scene.cycles.use_denoising, "the denoiser sees the whole frame (its result shifts)"),
        (render.use_sequencer and _has_strips(scene), "the sequencer makes the picture"),
        (render.image_settings.color_mode == "RGBA" and not render.film_transparent,
         "an alpha channel outside the region would differ"),
        (not render.film_transparent and not _world_is_black(scene.world), "a visible world"),
        (_world_has_volume(scene.world), "a world volume"),
        (render.use_compositing and not _compositor_uses_image_only(scene),
         "a compositor that may read alpha or other passes"),
        (render.use_compositing and compat.COMPOSITOR_CROPS_TO_REGION
         and _compositor_filters(scene), "this Blender's compositor filters only the region"),
    )
    return next((reason for failed, reason in checks if failed), None)


def _frame_pixels(scene) -> tuple[int, int]:
    render = scene.render
    scale = render.resolution_percentage / 100.0
    return max(1, round(render.resolution_x * scale)), max(1, round(render.resolution_y * scale))


def _screen_bounds(scene, width: int, height: int):
    """Pixel ``(min xy, max xy)`` of every visible object's bounding box at the current frame,
    ``(inf, -inf)`` if none, or None if some cannot be bounded (behind the camera, a light the
    camera may see, an object the viewport does not evaluate)."""
    depsgraphs = [layer.depsgraph for layer in scene.view_layers if layer.use]
    corners, seen = [], set()
    for instance in (i for depsgraph in depsgraphs for i in depsgraph.object_instances):
        obj = instance.object
        seen.add(obj.original.session_uid)
        if instance.parent is not None:
            seen.add(instance.parent.original.session_uid)
        if obj.type == "LIGHT" and obj.data.type != "SUN":
            return None
        if obj.type not in _GEOMETRY or not obj.visible_camera or _renders_black(obj):
            continue
        if not instance.is_instance and not instance.show_self:
            continue
        matrix = np.array(instance.matrix_world)
        local = np.array([tuple(c) for c in obj.bound_box], dtype=np.float64)
        corners.append(local @ matrix[:3, :3].T + matrix[:3, 3])
    if any(_renders(obj) and obj.session_uid not in seen for obj in scene.objects):
        return None  # hidden in the viewport but rendered: its geometry is unknown here
    if not corners:
        return np.full(2, np.inf), np.full(2, -np.inf)
    return _project(scene, depsgraphs[0], np.concatenate(corners), width, height)


def _renders_black(obj) -> bool:
    """Whether every material of ``obj`` is an unlit black emission (an overlay's backing): such
    an object can only hide things, and what it hides outside the region is black anyway."""
    materials = [slot.material for slot in obj.material_slots]
    return bool(materials) and all(_black_emission(mat) for mat in materials)


def _black_emission(material) -> bool:
    if material is None or not compat.uses_nodes(material):
        return False
    tree = material.node_tree
    output = tree and next((n for n in tree.nodes if n.bl_idname == "ShaderNodeOutputMaterial"
                            and n.is_active_output), None)
    if output is None or any(output.inputs[name].is_linked for name in ("Volume", "Displacement")):
        return False
    surface = output.inputs["Surface"]
    node = surface.links[0].from_node if surface.is_linked else None
    return node is not None and node.bl_idname == "ShaderNodeEmission" and _off(node)


def _off(node) -> bool:
    """Whether a Background or Emission ``node`` gives black: no strength or a black colour."""
    color, strength = node.inputs["Color"], node.inputs["Strength"]
    return ((not strength.is_linked and strength.default_value <= 0.0)
            or (not color.is_linked and max(color.default_value[:3]) <= 0.0))


def _renders(obj) -> bool:
    return not obj.hide_render and obj.type not in _NOT_SEEN


def _project(scene, depsgraph, points, width: int, height: int):
    camera = scene.camera.evaluated_get(depsgraph)  # the original's matrix lags in other scenes
    render = scene.render
    projection = np.array(camera.calc_matrix_camera(
        depsgraph, x=width, y=height, scale_x=render.pixel_aspect_x, scale_y=render.pixel_aspect_y))
    view = np.array(camera.matrix_world.inverted())
    clip = np.c_[points, np.ones(len(points))] @ (projection @ view).T
    if np.any(clip[:, 3] <= 1e-9):
        return None  # a box reaching behind the camera: its screen bounds are unbounded
    ndc = clip[:, :2] / clip[:, 3:4]
    pixels = (ndc + 1.0) / 2.0 * (width, height)
    return pixels.min(axis=0), pixels.max(axis=0)


def _has_strips(scene) -> bool:
    return scene.sequence_editor is not None and len(compat.sequencer_strips(scene)) > 0


def _world_output(world):
    if world is None or not world.node_tree or not compat.uses_nodes(world):
        return None
    return next((n for n in world.node_tree.nodes
                 if n.bl_idname == "ShaderNodeOutputWorld" and n.is_active_output), None)


def _world_is_black(world) -> bool:
    if world is None:
        return True
    output = _world_output(world)
    if output is None:
        return max(world.color) <= 0.0
    surface = output.inputs["Surface"]
    if not surface.is_linked:
        return True
    node = surface.links[0].from_node
    return node.bl_idname == "ShaderNodeBackground" and _off(node)


def _world_has_volume(world) -> bool:
    output = _world_output(world)
    return output is not None and output.inputs["Volume"].is_linked


def _compositor_uses_image_only(scene) -> bool:
    tree = compat.scene_compositor(scene)
    if tree is None:
        return True
    if any(node.bl_idname not in _IMAGE_ONLY_NODES for node in tree.nodes):
        return False
    return all(link.from_socket.name == "Image" for link in tree.links
               if link.from_node.bl_idname == "CompositorNodeRLayers")


def _compositor_filters(scene) -> bool:
    tree = compat.scene_compositor(scene)
    return tree is not None and any(not node.mute and node.bl_idname not in _PASS_THROUGH
                                    for node in tree.nodes)
