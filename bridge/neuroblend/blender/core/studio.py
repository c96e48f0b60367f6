"""The NeuroBlend studio look: black world, Standard view transform, Cycles (on the CPU until a
render chooses its device: :mod:`neuroblend.blender.core.devices`), compositor bloom, and a camera
framed on given bounds."""

from __future__ import annotations

import math

import bpy
from mathutils import Matrix, Vector

from neuroblend.blender.core import compat

CAMERA_NAME = "NeuroBlend Camera"
PIVOT_NAME = "NeuroBlend Camera Pivot"
BLOOM_NODE = "NeuroBlend Bloom"


def setup_studio_scene(scene=None, *, engine: str = "cycles", resolution=(1280, 720),
                       samples: int = 32, denoise: bool = True, bloom: bool = True,
                       bloom_strength: float = 0.6, bloom_threshold: float = 0.8,
                       bloom_size: float = 0.6, fps: int = 30):
    """Apply the studio look to ``scene`` (default: the current scene) and return it.

    Colours are reproduced as authored: the Standard view transform (not AgX/Filmic) keeps an
    emission of linear colour C rendering as sRGB(C), which is how matplotlib shows it.
    """
    scene = scene or bpy.context.scene
    scene.render.engine = compat.engine_id(engine)
    scene.render.resolution_x, scene.render.resolution_y = (int(v) for v in resolution)
    scene.render.resolution_percentage = 100
    scene.render.fps = int(fps)
    scene.render.fps_base = 1.0
    scene.render.film_transparent = False
    set_standard_colors(scene)
    _black_world(scene)
    _cycles_cpu(scene, samples, denoise)
    if hasattr(scene, "eevee"):
        scene.eevee.taa_render_samples = max(1, int(samples))
    compat.set_compositor_cpu(scene)
    set_bloom(scene, bloom, strength=bloom_strength, threshold=bloom_threshold, size=bloom_size)
    return scene


def set_standard_colors(scene) -> None:
    """Standard view transform on an sRGB display, no look, exposure or gamma: a linear colour C
    renders as sRGB(C), which is how matplotlib shows it."""
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    scene.view_settings.exposure = 0.0
    scene.view_settings.gamma = 1.0
    scene.display_settings.display_device = "sRGB"
    scene.sequencer_colorspace_settings.name = "sRGB"


def _black_world(scene) -> None:
    world = bpy.data.worlds.get("NeuroBlend Black") or bpy.data.worlds.new("NeuroBlend Black")
    compat.enable_nodes(world)
    background = next((n for n in world.node_tree.nodes if n.bl_idname == "ShaderNodeBackground"), None)
    if background is None:
        world.node_tree.nodes.clear()
        background = world.node_tree.nodes.new("ShaderNodeBackground")
        output = world.node_tree.nodes.new("ShaderNodeOutputWorld")
        output.location = (250, 0)
        world.node_tree.links.new(background.outputs["Background"], output.inputs["Surface"])
    background.inputs["Color"].default_value = (0.0, 0.0, 0.0, 1.0)
    background.inputs["Strength"].default_value = 0.0
    compat.set_world_light_sampling(world, False)  # black: nothing to sample, same pixels
    scene.world = world


def _cycles_cpu(scene, samples: int, denoise: bool) -> None:
    cycles = scene.cycles
    cycles.device = "CPU"
    cycles.samples = max(1, int(samples))
    cycles.preview_samples = max(1, min(int(samples), 16))
    cycles.use_adaptive_sampling = True
    cycles.use_denoising = bool(denoise)
    if denoise:
        cycles.denoiser = "OPENIMAGEDENOISE"
    # Emission-lit scenes on black need few bounces; this keeps frames fast.
    cycles.max_bounces = 4
    cycles.transparent_max_bounces = 16


def set_bloom(scene, enabled: bool, *, strength: float = 0.6, threshold: float = 0.8,
              size: float = 0.6) -> None:
    """Add (or update, or bypass) a compositor bloom: Render Layers -> Glare (Bloom) -> output."""
    scene.render.use_compositing = True
    tree = compat.compositor_tree(scene)
    layers = next((n for n in tree.nodes if n.bl_idname == "CompositorNodeRLayers"), None)
    if layers is None:
        layers = tree.nodes.new("CompositorNodeRLayers")
        layers.location = (-300, 0)
    layers.scene = scene
    output = compat.compositor_output(tree)
    output.location = (300, 0)
    glare = tree.nodes.get(BLOOM_NODE)
    if glare is None:
        glare = tree.nodes.new("CompositorNodeGlare")
        glare.name = glare.label = BLOOM_NODE
    compat.set_input(glare, "Type", "Bloom")
    compat.set_input(glare, "Quality", "High")
    compat.set_input(glare, "Threshold", float(threshold))
    if "Strength" in glare.inputs:
        compat.set_input(glare, "Strength", float(strength))
        compat.set_input(glare, "Size", float(size))
    else:  # 4.2/4.3: mix in [-1, 1] and an integer size 1..9
        glare.mix = float(strength) * 2.0 - 1.0
        glare.size = max(1, min(9, round(size * 9)))
    glare.mute = not enabled
    links = tree.links
    for link in list(links):
        if link.to_node in (glare, output):
            links.remove(link)
    links.new(layers.outputs["Image"], glare.inputs["Image"])
    links.new(glare.outputs["Image"], output.inputs["Image"])


def frame_camera(bounds_min, bounds_max, scene=None, *, view=(0.0, -1.0, 0.35),
                 margin: float = 1.1, lens: float = 50.0, orbit: bool = False,
                 reserve: tuple[float, float] = (0.0, 0.0)):
    """Point the scene camera (created if missing) at a bounding box, filling the frame.

    ``view`` is the direction from the target to the camera; ``margin`` > 1 leaves a border;
    ``reserve`` = (bottom, top) fractions of the frame height kept free of the box (for overlays:
    the fit uses the band between them, centred there with the camera's lens shift).
    With ``orbit=True`` the box stays in view from every angle around the vertical axis
    (use it before :func:`add_turntable`). Returns the camera object.
    """
    scene = scene or bpy.context.scene
    lo, hi = Vector(bounds_min), Vector(bounds_max)
    center = (lo + hi) / 2
    radius = max((hi - lo).length / 2, 1e-6)
    camera = scene.camera or bpy.data.objects.get(CAMERA_NAME)
    if camera is None:
        camera = bpy.data.objects.new(CAMERA_NAME, bpy.data.cameras.new(CAMERA_NAME))
    if camera.name not in scene.collection.all_objects:
        scene.collection.objects.link(camera)
    scene.camera = camera
    cam = camera.data
    cam.type = "PERSP"
    cam.lens = lens
    cam.sensor_fit = "AUTO"
    direction = Vector(view).normalized()
    rotation = (-direction).to_track_quat("-Z", "Y").to_matrix()
    bottom, top = reserve
    band = max(1.0 - bottom - top, 0.1)
    aspect = scene.render.resolution_x / scene.render.resolution_y
    cam.shift_x = 0.0
    cam.shift_y = (top - bottom) / 2 * min(1.0, 1.0 / aspect)
    distance = _fitting_distance(scene, cam, rotation, _box_points(lo, hi, center, orbit), margin,
                                 band)
    matrix = rotation.to_4x4()
    matrix.translation = center + direction * distance
    camera.parent = None
    camera.matrix_world = matrix
    cam.clip_start = max(distance - radius * 2, distance * 1e-3, 1e-4)
    cam.clip_end = distance + radius * 2
    cam.dof.focus_distance = distance  # the focal plane through the box's centre (scale bars)
    return camera


def _box_points(lo, hi, center, orbit: bool) -> list:
    """Box corners relative to ``center``; with ``orbit``, also turned about the vertical axis."""
    corners = [Vector((x, y, z)) - center for x in (lo.x, hi.x) for y in (lo.y, hi.y)
               for z in (lo.z, hi.z)]
    if not orbit:
        return corners
    turns = [Matrix.Rotation(math.radians(a), 3, "Z") for a in range(0, 360, 15)]
    return [turn @ c for turn in turns for c in corners]


def _fitting_distance(scene, cam, rotation, offsets, margin: float, band: float = 1.0) -> float:
    """Smallest camera distance from the centre at which every offset point is in the frame
    (vertically within ``band``, a fraction of the frame height)."""
    aspect = scene.render.resolution_x / scene.render.resolution_y
    tan_wide = math.tan(cam.angle / 2)  # the sensor fits the larger image side
    tan_x, tan_y = (tan_wide, tan_wide / aspect) if aspect >= 1 else (tan_wide * aspect, tan_wide)
    tan_y *= band
    right, up, back = (rotation.col[i] for i in range(3))  # camera looks along -back
    distance = 0.0
    for offset in offsets:
        depth_offset = offset.dot(back)
        need_x = depth_offset + margin * abs(offset.dot(right)) / tan_x
        need_y = depth_offset + margin * abs(offset.dot(up)) / tan_y
        distance = max(distance, need_x, need_y)
    return max(distance, 1e-3)


def add_turntable(scene, center, frame_start: int, frame_end: int):
    """Orbit the scene camera once (360°, constant speed) around ``center`` between two frames.

    The camera is parented to a pivot Empty at ``center`` which is keyframed (linear), so the
    motion is stored in the .blend and needs no Python per frame. Returns the pivot.
    """
    camera = scene.camera
    if camera is None:
        raise ValueError("the scene has no camera: call frame_camera first")
    pivot = bpy.data.objects.get(PIVOT_NAME)
    if pivot is None:
        pivot = bpy.data.objects.new(PIVOT_NAME, None)
        pivot.empty_display_type = "PLAIN_AXES"
    if pivot.name not in scene.collection.all_objects:
        scene.collection.objects.link(pivot)
    pivot.animation_data_clear()
    pivot.location = Vector(center)
    pivot.rotation_euler = (0.0, 0.0, 0.0)
    world = camera.matrix_world.copy()
    camera.parent = pivot
    camera.matrix_parent_inverse = Matrix.Translation(Vector(center)).inverted()
    camera.matrix_basis = world
    pivot.keyframe_insert("rotation_euler", index=2, frame=frame_start)
    # One step short of a full turn at frame_end + 1 so a looping video has no repeated frame.
    pivot.rotation_euler[2] = 2 * math.pi
    pivot.keyframe_insert("rotation_euler", index=2, frame=frame_end + 1)
    compat.set_linear_interpolation(pivot)
    return pivot
