"""The time label ("12.5 ms") as geometry that never changes: every glyph a digit slot can show is
built once, and the label's shader shows the one the playback clock asks for.

A label whose text is geometry changes the scene's geometry on every new reading, and Cycles
renders from a static BVH in the background: it would rebuild the BVH of every cell each time
(about 0.1 s a frame for 20 pyramid cells). Here a frame change only moves the clock the shaders
read, like the cells' colours. Digits sit in fixed slots, right-aligned, so the reading does not
jitter as it counts.

Mesh faces carry ``nb_place`` (decimal place of their slot: 0 units, 1 tens, -1 tenths...) and
``nb_glyph`` (0-9 digits, ``MINUS``, or ``ALWAYS`` for the point and the unit).
"""

from __future__ import annotations

import bpy
import numpy as np

from neuroblend.blender.core import fonts, playback_clock
from neuroblend.blender.core.node_build import (
    add_emission,
    add_node,
    add_output,
    fresh_material,
    math_socket,
)
from neuroblend.blender.spike import material as spike_material

DECIMALS = 1
LABEL_COLOR = (0.9, 0.9, 0.9)  # every overlay's text
MINUS, ALWAYS = 10.0, -1.0
GAP = 0.08  # between glyph slots, in Blender's text units (size 1)
DEPTH_STEP = 0.01  # glyphs of one slot lie this far apart in depth


def glyph_shapes(chars: str, font=None) -> dict[str, tuple[np.ndarray, list, float]]:
    """Filled outlines of ``chars`` in ``font`` (default: the scene's, ``core.fonts``):
    ``(vertices [n, 3], faces, width)`` each, with the glyph's left edge at x = 0 and its
    baseline at y = 0."""
    font = font or fonts.scene_font()
    shapes = {}
    for char in dict.fromkeys(chars):
        curve = bpy.data.curves.new("NB glyph", "FONT")
        curve.body, curve.font = char, font
        obj = bpy.data.objects.new("NB glyph", curve)
        mesh = bpy.data.meshes.new_from_object(obj)
        co = np.zeros((len(mesh.vertices), 3))
        mesh.vertices.foreach_get("co", co.ravel())
        faces: list[tuple[int, ...]] = [tuple(p.vertices) for p in mesh.polygons]
        bpy.data.objects.remove(obj)
        bpy.data.curves.remove(curve)
        bpy.data.meshes.remove(mesh)
        left = co[:, 0].min() if len(co) else 0.0
        width = co[:, 0].max() - left if len(co) else fonts.advance_units(font, char)  # a space
        shapes[char] = (co - (left, 0.0, 0.0), faces, float(width))
    return shapes


def integer_places(time_start: float, time_end: float) -> int:
    """Digits left of the point that the readings of [time_start, time_end] need."""
    largest = max(abs(time_start), abs(time_end), 1.0)
    return len(str(int(round(largest, DECIMALS))))


def label_mesh(name: str, places: int, negative: bool, suffix: str, font=None):
    """The mesh of every glyph the label can show: ``places`` integer slots (one more for the
    sign when readings can be ``negative``), the point, ``DECIMALS`` slots and ``suffix``, in
    ``font``. Every digit slot is as wide (tabular figures), so the reading does not jitter."""
    shapes = glyph_shapes("0123456789-." + suffix, font)
    slot = max(shapes[d][2] for d in "0123456789") + GAP
    pieces, x = [], 0.0
    for place in range(places - (0 if negative else 1), -DECIMALS - 1, -1):
        if place == -1:
            pieces.append((shapes["."], x, -1.0, ALWAYS))
            x += shapes["."][2] + 2 * GAP
        glyphs = [str(d) for d in range(10)] if place < places else []
        if place >= 1 and negative:
            glyphs.append("-")
        for glyph in glyphs:
            code = MINUS if glyph == "-" else float(glyph)
            width = shapes[glyph][2]
            pieces.append((shapes[glyph], x + (slot - GAP - width) / 2, place, code))
        x += slot
    for char in suffix:
        if char != " ":
            pieces.append((shapes[char], x, 0.0, ALWAYS))
        x += shapes[char][2] + GAP
    return _join(name, pieces)


def _join(name: str, pieces):
    verts: list[np.ndarray] = []
    faces: list[tuple[int, ...]] = []
    place: list[float] = []
    glyph: list[float] = []
    offset = 0
    for (co, shape_faces, _width), x, piece_place, code in pieces:
        verts.append(co + (x, 0.0, -DEPTH_STEP * (code - ALWAYS)))  # not coplanar: rays see each
        faces.extend(tuple(offset + i for i in face) for face in shape_faces)
        place += [piece_place] * len(shape_faces)
        glyph += [code] * len(shape_faces)
        offset += len(co)
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(np.concatenate(verts).tolist(), [], faces)
    for attribute, values in (("nb_place", place), ("nb_glyph", glyph)):
        mesh.attributes.new(attribute, "FLOAT", "FACE").data.foreach_set("value", values)
    return mesh


def label_material(name: str, root, color=LABEL_COLOR):
    """White emission where a face's glyph is the one its slot shows now, else transparent."""
    mat = playback_clock.seen_emission(fresh_material(name, reuse=False))
    tree = mat.node_tree
    timing = spike_material.driven_timing(tree, root)
    frame = playback_clock.frame_socket(tree, (-1600, 400))
    time = playback_clock.clock_time(
        tree, frame, *(timing[key].outputs[0] for key in spike_material.TIMING_INPUTS),
        location=(-1200, 300))
    shown = _shown(tree, time)
    mix = add_node(tree, "ShaderNodeMixShader", (600, 0))
    tree.links.new(shown, mix.inputs["Fac"])
    transparent = add_node(tree, "ShaderNodeBsdfTransparent", (400, 100))
    tree.links.new(transparent.outputs[0], mix.inputs[1])
    emission = add_emission(tree, (*color, 1.0), None, (400, -100))
    tree.links.new(emission.outputs[0], mix.inputs[2])
    add_output(tree, mix.outputs[0], (800, 0))
    return mat


def _shown(tree, time):
    """1 where this face's glyph is what its slot shows for ``time``, else 0."""
    def attribute(name):
        node = add_node(tree, "ShaderNodeAttribute", (-1600, -300), name)
        node.attribute_type, node.attribute_name = "GEOMETRY", name
        return node.outputs["Fac"]

    place, glyph = attribute("nb_place"), attribute("nb_glyph")
    m = math_socket
    scaled = m(tree, "FLOOR", m(tree, "MULTIPLY_ADD", m(tree, "ABSOLUTE", time),
                                10.0 ** DECIMALS, 0.5))
    unit = m(tree, "POWER", 10.0, m(tree, "ADD", place, float(DECIMALS)))
    digit = m(tree, "MODULO", m(tree, "FLOOR", m(tree, "DIVIDE", scaled, unit)), 10.0)
    # a digit shows from the units place down, and above it up to the leading digit
    digit_shown = m(tree, "MAXIMUM", m(tree, "LESS_THAN", place, 0.5),
                    m(tree, "GREATER_THAN", scaled, m(tree, "SUBTRACT", unit, 0.5)))
    # the minus sits in the first place left of the leading digit
    lower = m(tree, "DIVIDE", unit, 10.0)
    minus_place = m(tree, "MULTIPLY",
                    m(tree, "LESS_THAN", scaled, m(tree, "SUBTRACT", unit, 0.5)),
                    m(tree, "MAXIMUM", m(tree, "LESS_THAN", place, 1.5),
                      m(tree, "GREATER_THAN", scaled, m(tree, "SUBTRACT", lower, 0.5))))
    negative = m(tree, "MULTIPLY", m(tree, "LESS_THAN", time, 0.0),
                 m(tree, "GREATER_THAN", scaled, 0.5))
    is_digit = m(tree, "MULTIPLY", m(tree, "COMPARE", glyph, digit, 0.5), digit_shown)
    is_minus = m(tree, "MULTIPLY", m(tree, "COMPARE", glyph, MINUS, 0.5),
                 m(tree, "MULTIPLY", minus_place, negative))
    always = m(tree, "COMPARE", glyph, ALWAYS, 0.5)
    return m(tree, "MAXIMUM", m(tree, "MAXIMUM", is_digit, is_minus), always)


def reading(time: float, places: int) -> dict[int, str]:
    """What each place of the label shows at ``time``: ``{place: glyph}`` (the point and the
    unit aside), from Python's own formatting (the reference for the shader)."""
    text = f"{time:.{DECIMALS}f}"
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    if sign and float(digits) == 0.0:
        sign = ""
    whole, fraction = digits.split(".")
    shown = {place: char for place, char in zip(range(len(whole) - 1, -1, -1), whole, strict=True)}
    shown.update({-k - 1: char for k, char in enumerate(fraction)})
    if sign:
        shown[len(whole)] = "-"
    return {place: glyph for place, glyph in shown.items() if place <= places}
