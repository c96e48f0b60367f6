"""Colorbars rendered through Blender: an emission strip filling an orthographic camera.

``build_colorbar_scene`` makes (or rebuilds) a dedicated scene, "NeuroBlend Colorbar", leaving
the user's scenes alone, so other features can render a colorbar image to put beside a video.
The strip uses the shared colormap node group; the Standard view transform, a box pixel filter,
no denoising, no bloom and no dithering make each pixel the colormap's colour at the pixel
centre (the same 8-bit sRGB as matplotlib when the strip is 256 pixels wide).
"""

from __future__ import annotations

import bpy
import numpy as np

from neuroblend.blender.colormaps.nodes import colormap_node_group
from neuroblend.blender.core import fonts, render, studio
from neuroblend.blender.core.node_build import emission_surface, fresh_material
from neuroblend.errors import NeuroBlendError, OptionError

SCENE_NAME = "NeuroBlend Colorbar"
UNITS_PER_PIXEL = 0.01
LABEL_COLOR = (1.0, 1.0, 1.0, 1.0)
FRAME_COLOR = (0.18, 0.18, 0.18, 1.0)


def tick_labels(vmin: float, vmax: float, ticks: int) -> list[tuple[float, str]]:
    """``ticks`` evenly spaced (fraction along the bar, label) pairs with consistent decimals."""
    if ticks == 0:
        return []
    if ticks < 2:
        raise OptionError("ticks", f"{ticks} tick labels: use 0 (no labels) or at least 2")
    values = np.linspace(vmin, vmax, ticks)
    step = (vmax - vmin) / (ticks - 1)
    decimals = next((d for d in range(7) if np.all(np.abs(np.round(values, d) - values)
                                                    < step * 1e-3)), 6)
    labels = [f"{0.0 if abs(v) < step * 1e-9 else v:.{decimals}f}" for v in values]
    labels = [label.replace("-", "\u2212") for label in labels]  # a typographic minus, as matplotlib
    return [(i / (ticks - 1), label) for i, label in enumerate(labels)]


def _emission_material(name: str, color=None):
    material = fresh_material(name)
    tree = material.node_tree
    emission = emission_surface(tree, location=(200, 0))
    if color is not None:
        emission.inputs["Color"].default_value = color
    return material, emission


def _rectangle(scene, name: str, rect, material):
    """A flat quad object over ``rect`` = (x0, y0, x1, y1) in world units, UV x running 0..1."""
    x0, y0, x1, y1 = rect
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata([(x0, y0, 0), (x1, y0, 0), (x1, y1, 0), (x0, y1, 0)], [], [(0, 1, 2, 3)])
    uv = mesh.uv_layers.new(name="UVMap")
    uv.data.foreach_set("uv", np.array([0, 0, 1, 0, 1, 1, 0, 1], dtype=np.float32))
    mesh.materials.append(material)
    obj = bpy.data.objects.new(name, mesh)
    scene.collection.objects.link(obj)
    return obj


def add_strip(scene, name: str, rect, *, mode: str = "exact", vmin: float = 0.0,
              vmax: float = 1.0, reverse: bool = False, n_stops: int = 32):
    """A rectangle ``rect`` (world units) showing colormap ``name`` from vmin (left) to vmax."""
    group = colormap_node_group(name, mode=mode, kind="shader", n_stops=n_stops)
    material, emission = _emission_material(f"NeuroBlend Colorbar {name} ({mode})")
    tree = material.node_tree
    coords = tree.nodes.new("ShaderNodeTexCoord")
    coords.location = (-700, 0)
    split = tree.nodes.new("ShaderNodeSeparateXYZ")
    split.location = (-500, 0)
    value = tree.nodes.new("ShaderNodeMath")
    value.operation = "MULTIPLY_ADD"
    value.label = "Value along the bar"
    value.location = (-300, 0)
    value.inputs[1].default_value = vmax - vmin
    value.inputs[2].default_value = vmin
    cmap = tree.nodes.new("ShaderNodeGroup")
    cmap.node_tree = group
    cmap.label = f"Colormap {name}"
    cmap.location = (-100, 0)
    cmap.inputs["Min"].default_value = vmin
    cmap.inputs["Max"].default_value = vmax
    cmap.inputs["Reverse"].default_value = bool(reverse)
    links = tree.links
    links.new(coords.outputs["UV"], split.inputs[0])
    links.new(split.outputs["X"], value.inputs[0])
    links.new(value.outputs[0], cmap.inputs["Value"])
    links.new(cmap.outputs["Color"], emission.inputs["Color"])
    return _rectangle(scene, f"Colorbar {name}", rect, material)


def _text(scene, body: str, location, size: float, material):
    curve = bpy.data.curves.new(f"Tick {body}", "FONT")
    curve.body, curve.font = body, fonts.scene_font(scene)
    curve.align_x = "CENTER"
    curve.align_y = "TOP"
    curve.size = size
    curve.materials.append(material)
    obj = bpy.data.objects.new(f"Tick {body}", curve)
    obj.location = location
    scene.collection.objects.link(obj)
    return obj


def _clear_scene(scene) -> None:
    for obj in list(scene.collection.all_objects):
        data = obj.data
        bpy.data.objects.remove(obj)
        if data is not None and data.users == 0:
            if isinstance(data, bpy.types.Mesh):
                bpy.data.meshes.remove(data)
            elif isinstance(data, bpy.types.Curve):
                bpy.data.curves.remove(data)
            elif isinstance(data, bpy.types.Camera):
                bpy.data.cameras.remove(data)


def build_colorbar_scene(name: str, *, mode: str = "exact", size=(512, 48), vmin: float = 0.0,
                         vmax: float = 1.0, ticks: int = 0, reverse: bool = False,
                         n_stops: int = 32, samples: int = 16, font=None):
    """The "NeuroBlend Colorbar" scene showing colormap ``name`` as a horizontal bar.

    Without ticks the bar fills the ``size`` = (width, height) pixel image; with ``ticks`` >= 2
    the bar takes the top part and white tick marks and labels for vmin..vmax go below it, set
    in ``font`` (a font file; default: the bundled face). Returns the scene (rebuilt on every call).
    """
    if not (np.isfinite(vmin) and np.isfinite(vmax) and vmin < vmax):
        raise NeuroBlendError(f"colorbar range needs finite min < max, got {vmin}, {vmax}")
    width, height = (int(v) for v in size)
    if width < 4 or height < 4:
        raise NeuroBlendError(f"colorbar size {width}x{height}: both sides need 4+ pixels")
    labels = tick_labels(vmin, vmax, ticks)
    scene = bpy.data.scenes.get(SCENE_NAME) or bpy.data.scenes.new(SCENE_NAME)
    _clear_scene(scene)
    studio.setup_studio_scene(scene, engine="cycles", resolution=(width, height),
                              samples=samples, denoise=False, bloom=False)
    fonts.use_font(scene, font)
    scene.render.dither_intensity = 0.0
    scene.cycles.pixel_filter_type = "BOX"
    scene.cycles.filter_width = 1.0
    scene.cycles.use_adaptive_sampling = False
    w, h = width * UNITS_PER_PIXEL, height * UNITS_PER_PIXEL
    if labels:
        margin = 0.06 * w
        bar = (margin, 0.45 * h, w - margin, h - 2 * UNITS_PER_PIXEL)
    else:
        bar = (0.0, 0.0, w, h)
    add_strip(scene, name, bar, mode=mode, vmin=vmin, vmax=vmax, reverse=reverse,
              n_stops=n_stops)
    if labels:
        white, _ = _emission_material("NeuroBlend Colorbar Labels", LABEL_COLOR)
        grey, _ = _emission_material("NeuroBlend Colorbar Frame", FRAME_COLOR)
        pad = UNITS_PER_PIXEL
        frame = _rectangle(scene, "Colorbar frame", (bar[0] - pad, bar[1] - pad, bar[2] + pad,
                                                     bar[3] + pad), grey)
        frame.location.z = -0.01  # behind the bar: a one-pixel outline for dark colormap ends
        tick_w = max(1.0, width / 400) * UNITS_PER_PIXEL
        for fraction, label in labels:
            x = bar[0] + fraction * (bar[2] - bar[0])
            x = min(max(x, bar[0] + tick_w / 2), bar[2] - tick_w / 2)
            _rectangle(scene, f"Tick mark {label}", (x - tick_w / 2, 0.33 * h, x + tick_w / 2,
                                                     bar[1]), white)
            _text(scene, label, (x, 0.3 * h, 0.0), 0.28 * h, white)
    _orthographic_camera(scene, w, h)
    return scene


def _orthographic_camera(scene, w: float, h: float):
    camera_data = bpy.data.cameras.new("Colorbar Camera")
    camera_data.type = "ORTHO"
    camera_data.sensor_fit = "AUTO"
    camera_data.ortho_scale = max(w, h)
    camera_data.clip_start, camera_data.clip_end = 0.1, 10.0
    camera = bpy.data.objects.new("Colorbar Camera", camera_data)
    camera.location = (w / 2, h / 2, 5.0)  # identity rotation looks down -Z
    scene.collection.objects.link(camera)
    scene.camera = camera
    return camera


def render_colorbar(name: str, out, **options):
    """Build the colorbar scene (``options`` as :func:`build_colorbar_scene`) and render it to
    the PNG ``out`` (atomically). Returns the path."""
    return render.render_still(build_colorbar_scene(name, **options), out)
