"""The scene's typeface: one font for every text a NeuroBlend scene draws.

``use_font(scene, path)`` loads the font (the bundled DejaVu Sans unless a checked ``--font``
file is given), packs it into the .blend (a saved scene renders its text anywhere) and records
it on the scene; the time label, the colorbar's labels, tick labels and title strips take
``scene_font(scene)``. Overlays are sized by their x-height, measured on the font's outline.
"""

from __future__ import annotations

import functools

import bpy
import numpy as np

from neuroblend.typography.font_file import font_path
from neuroblend.typography.sizes import OVERLAY_X_HEIGHT

SCENE_KEY = "nb_font"


def load_font(path=None):
    """The VectorFont of ``path`` (checked; default: the bundled face), loaded once and packed."""
    checked = font_path(path)
    font = bpy.data.fonts.load(str(checked), check_existing=True)
    if font.packed_file is None:
        font.pack()
    return font


def use_font(scene, path=None):
    """Make ``path`` (default: the bundled face) the font of ``scene``'s text; returns it."""
    font = load_font(path)
    scene[SCENE_KEY] = font
    return font


def scene_font(scene=None):
    """The font of ``scene``'s text (:func:`use_font`'s, else the bundled face)."""
    scene = scene or bpy.context.scene
    font = scene.get(SCENE_KEY) if scene is not None else None
    return font if isinstance(font, bpy.types.VectorFont) else load_font()


def x_height_units(font) -> float:
    """Height in Blender units of an "x" set at size 1 in ``font`` (measured on its outline)."""
    return float(_outline(font.name, "x")[:, 1].max())


def advance_units(font, char: str) -> float:
    """Advance width in Blender units of ``char`` at size 1 in ``font`` (a space has no
    outline: measured between two "x")."""
    width = [np.ptp(_outline(font.name, text)[:, 0]) for text in (f"x{char}x", "xx")]
    return float(width[0] - width[1])


@functools.lru_cache(maxsize=64)
def _outline(name: str, text: str) -> np.ndarray:
    """Vertices [n, 3] of ``text`` set at size 1 in the font ``name``."""
    curve = bpy.data.curves.new("NB measure", "FONT")
    curve.body, curve.font = text, bpy.data.fonts[name]
    obj = bpy.data.objects.new("NB measure", curve)
    mesh = bpy.data.meshes.new_from_object(obj)
    co = np.zeros(3 * len(mesh.vertices))
    mesh.vertices.foreach_get("co", co)
    bpy.data.objects.remove(obj)
    bpy.data.curves.remove(curve)
    bpy.data.meshes.remove(mesh)
    return co.reshape(-1, 3) if len(co) else np.zeros((1, 3))


def overlay_scale(kind: str, frame_height: float, font=None) -> float:
    """Scale of a size-1 text overlay ``kind`` ("clock" or "label") whose x-height is
    ``OVERLAY_X_HEIGHT[kind]`` of a frame ``frame_height`` units high."""
    return OVERLAY_X_HEIGHT[kind] * frame_height / x_height_units(font or scene_font())
