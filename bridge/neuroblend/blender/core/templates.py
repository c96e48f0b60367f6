"""Template scenes shipped in ``blend_templates/`` and the description used to check them."""

from __future__ import annotations

from pathlib import Path

import bmesh
import bpy

from neuroblend.blender.core import compat, studio
from neuroblend.errors import NeuroBlendError
from neuroblend.render_options import STUDIO_TEMPLATE

PREVIEW_NAME = "NeuroBlend Preview"


def build_studio_template(scene=None):
    """Build the studio template in ``scene``: studio look, a framed camera on a turntable
    (frames 1-120), soft key and rim lights for non-emissive objects, and a glowing preview
    sphere in its own collection (delete it and add your data)."""
    scene = scene or bpy.context.scene
    scene.name = "NeuroBlend Studio"
    studio.setup_studio_scene(scene, resolution=(1280, 720), samples=32)
    scene.frame_start, scene.frame_end = 1, 120
    preview = _preview_sphere(scene)
    studio.frame_camera((-1.5, -1.5, -1.5), (1.5, 1.5, 1.5), scene, orbit=True)
    studio.add_turntable(scene, (0.0, 0.0, 0.0), 1, 120)
    _light(scene, "NeuroBlend Key Light", (3.0, -3.0, 4.0), 300.0, 3.0)
    _light(scene, "NeuroBlend Rim Light", (-3.5, 3.0, 2.0), 200.0, 2.0)
    scene.frame_set(1)
    return preview


def open_studio_template(path: Path = STUDIO_TEMPLATE):
    """Open the studio template ``path`` and return its scene.

    The shipped template is saved by the Blender in the main environment (5.0): an older Blender
    cannot open that file format, so there (or if the file is missing) the same scene is built
    fresh with ``build_studio_template``. Another ``path`` must exist and open here.
    """
    default = Path(path) == STUDIO_TEMPLATE
    if default and (not STUDIO_TEMPLATE.exists() or not compat.file_opens_here(STUDIO_TEMPLATE)):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        build_studio_template(bpy.context.scene)
        return bpy.context.scene
    if not Path(path).exists():
        raise NeuroBlendError(f"{path}: no such template file")
    try:
        bpy.ops.wm.open_mainfile(filepath=str(path), load_ui=False)
    except RuntimeError as exc:
        raise NeuroBlendError(f"{path}: cannot open as a .blend ({exc})") from None
    return bpy.context.scene


def _preview_sphere(scene):
    collection = bpy.data.collections.new("Preview")
    scene.collection.children.link(collection)
    mesh = bpy.data.meshes.new(PREVIEW_NAME)
    bm = bmesh.new()
    bmesh.ops.create_uvsphere(bm, u_segments=48, v_segments=24, radius=1.0)
    bm.to_mesh(mesh)
    bm.free()
    mesh.shade_smooth()
    obj = bpy.data.objects.new(PREVIEW_NAME, mesh)
    collection.objects.link(obj)
    material = bpy.data.materials.new("NeuroBlend Preview Glow")
    compat.enable_nodes(material)
    nodes = material.node_tree.nodes
    nodes.clear()
    emission = nodes.new("ShaderNodeEmission")
    emission.inputs["Color"].default_value = (0.127, 0.566, 0.551, 1.0)  # viridis(0.5), linear
    emission.inputs["Strength"].default_value = 2.0
    output = nodes.new("ShaderNodeOutputMaterial")
    output.location = (250, 0)
    material.node_tree.links.new(emission.outputs["Emission"], output.inputs["Surface"])
    mesh.materials.append(material)
    return obj


def _light(scene, name, location, energy, size):
    data = bpy.data.lights.new(name, "AREA")
    data.energy = energy
    data.size = size
    obj = bpy.data.objects.new(name, data)
    obj.location = location
    obj.rotation_euler = (obj.location * -1).to_track_quat("-Z", "Y").to_euler()
    scene.collection.objects.link(obj)
    return obj


def describe_scene(scene) -> dict:
    """What a template promises, as plain data: objects (type, location, parent) and settings."""
    render = scene.render
    tree = compat.scene_compositor(scene)
    world_color = tuple(round(v, 4) for v in
                        scene.world.node_tree.nodes["Background"].inputs["Color"].default_value)
    return {
        "objects": {
            obj.name: (obj.type, tuple(round(v, 4) for v in obj.location),
                       obj.parent.name if obj.parent else None)
            for obj in scene.objects
        },
        "engine": render.engine,
        "resolution": (render.resolution_x, render.resolution_y, render.resolution_percentage),
        "fps": render.fps,
        "frames": (scene.frame_start, scene.frame_end),
        "view_transform": scene.view_settings.view_transform,
        "samples": scene.cycles.samples,
        "denoise": scene.cycles.use_denoising,
        "device": scene.cycles.device,
        "world_color": world_color,
        "camera": scene.camera.name if scene.camera else None,
        "compositor_nodes": sorted(n.bl_idname for n in tree.nodes) if tree else [],
    }
