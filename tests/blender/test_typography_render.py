"""Typography in Blender: the time label, the colorbar's labels, tick labels and title strips are
set in the bundled face (or a chosen font file); overlay x-heights measured on the geometry
through the camera at 540p, 1080p and 2160p, and once on a render; title sizes measured on
sequencer renders; tabular digit slots in the clock."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector
from PIL import Image
from spike_docs import PEAK, REST, toy_document

from neuroblend.blender.colormaps.colorbar import build_colorbar_scene
from neuroblend.blender.core import compat, fonts, render, studio
from neuroblend.blender.film.compose_film import compose_film
from neuroblend.blender.spike import clock_label
from neuroblend.blender.spike import overlays as spike_overlays
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.spike.playback_settings import SpikeLook
from neuroblend.typography.font_file import DEFAULT_FONT
from neuroblend.typography.sizes import MIN_X_HEIGHT, OVERLAY_X_HEIGHT, TITLE_STYLES, x_height

pytestmark = pytest.mark.render


def _scene(resolution=(960, 540)):
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=resolution, samples=4,
                                      denoise=False, bloom=False)
    fonts.use_font(scene)
    root = spike_playback.import_simulation(
        toy_document(), scene=scene, name="toy",
        settings=SpikeLook(vmin=REST, vmax=PEAK, frames_per_ms=2.0))
    spike_playback.frame_simulation(root, scene, view=(0.0, -1.0, 0.0))
    spike_overlays.add_time_label(root, scene)
    spike_overlays.add_colorbar(root, scene)
    return scene, root


def _overlay(root, kind):
    return bpy.data.objects[f"{root.name} {kind}"]


def _projected_x_height(scene, obj) -> float:
    """The x-height of ``obj``'s text (an "x" at size 1, scaled by the object) as a fraction
    of the frame height, projected through the scene camera."""
    bpy.context.view_layer.update()
    units = fonts.x_height_units(fonts.scene_font(scene))
    base = obj.matrix_world @ Vector((0.0, 0.0, 0.0))
    top = obj.matrix_world @ Vector((0.0, units, 0.0))
    a, b = (world_to_camera_view(scene, scene.camera, p) for p in (base, top))
    return abs(b.y - a.y)


def test_overlays_are_set_in_the_bundled_face():
    scene, root = _scene()
    font = scene["nb_font"]
    assert bpy.path.abspath(font.filepath).endswith("DejaVuSans.ttf")
    assert font.packed_file is not None  # a saved .blend renders its text anywhere
    group = bpy.data.node_groups[spike_overlays.VALUE_LABEL_GROUP]
    texts = [n for n in group.nodes if n.bl_idname == "GeometryNodeStringToCurves"]
    assert texts and all(compat.get_input(n, "Font") == font for n in texts)


@pytest.mark.parametrize("height", [540, 1080, 2160])
def test_overlay_x_height_is_a_share_of_the_frame_height(height):
    scene, root = _scene((height * 16 // 9, height))
    spike_overlays.place_overlays(root, scene)
    clock = _projected_x_height(scene, _overlay(root, "time"))
    label = _projected_x_height(scene, _overlay(root, "colorbar min"))
    assert clock == pytest.approx(OVERLAY_X_HEIGHT["clock"], rel=0.02)
    assert label == pytest.approx(OVERLAY_X_HEIGHT["label"], rel=0.02)
    assert min(clock, label) >= MIN_X_HEIGHT


def test_rendered_clock_x_height_matches_the_geometry(tmp_path):
    """The "ms" of the time label (x-height letters, the label's right end) measured in pixels."""
    scene, root = _scene((960, 540))
    label = _overlay(root, "time")
    for obj in scene.objects:
        obj.hide_render = obj is not label
    image = np.asarray(Image.open(render.render_still(scene, tmp_path / "label.png")))
    lit = image[..., :3].max(axis=2) > 100
    cols = np.flatnonzero(lit.any(axis=0))
    ms = lit[:, cols[-1] - int(0.02 * 960):cols[-1] + 1]  # the "s" and the end of the "m"
    rows = np.flatnonzero(ms.any(axis=1))
    measured = (rows[-1] - rows[0] + 1) / 540
    expected = _projected_x_height(scene, label)
    assert measured == pytest.approx(expected, abs=2.5 / 540)  # overshoot and anti-aliasing
    assert measured >= MIN_X_HEIGHT


def test_clock_digits_sit_in_equal_slots():
    """Tabular figures: every digit of a slot is centred in it, and slots are evenly spaced."""
    mesh = clock_label.label_mesh("slots", 3, negative=False, suffix=" ms")
    n = len(mesh.polygons)
    place, glyph = np.zeros(n), np.zeros(n)
    mesh.attributes["nb_place"].data.foreach_get("value", place)
    mesh.attributes["nb_glyph"].data.foreach_get("value", glyph)
    centres = {}
    for k, poly in enumerate(mesh.polygons):
        if glyph[k] >= 0 and glyph[k] != clock_label.MINUS:
            xs = [mesh.vertices[v].co.x for v in poly.vertices]
            key = (place[k], glyph[k])
            lo, hi = centres.get(key, (np.inf, -np.inf))
            centres[key] = (min(lo, min(xs)), max(hi, max(xs)))
    by_place: dict[float, list[float]] = {}
    for (p, _g), (lo, hi) in centres.items():
        by_place.setdefault(p, []).append((lo + hi) / 2)
    spread = [np.ptp(v) for v in by_place.values()]
    assert max(spread) < 1e-4  # every digit centred in its slot
    integer = sorted(np.mean(by_place[p]) for p in by_place if p >= 0)
    assert np.ptp(np.diff(integer)) < 1e-4  # equal slots


def test_colorbar_tick_labels_use_the_chosen_font(tmp_path):
    import matplotlib

    serif = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSerif.ttf"
    scene = build_colorbar_scene("viridis", size=(256, 48), ticks=3, font=serif)
    ticks = [o for o in scene.objects if o.type == "FONT"]
    assert len(ticks) == 3
    assert all(bpy.path.abspath(o.data.font.filepath) == serif for o in ticks)


def _title_plan(tmp_path, height: int, style: str) -> dict:
    frame = tmp_path / f"black{height}"
    frame.mkdir()
    Image.new("RGB", (16, 9)).save(frame / "frame_0001.png")
    em = TITLE_STYLES[style].em
    return {"size": [height * 16 // 9, height], "fps": 30, "frames": 1, "font": None,
            "layers": [{"frames_dir": str(frame), "blend": "alpha", "start": 1, "x": 0, "y": 0,
                        "scale": 1.0, "opacity": 1.0, "fades": [0, 0]}],
            "titles": [{"text": "xxxx", "start": 1, "end": 2, "opacity": 1.0,
                        "font_size": em * height, "box": False, "color": [1, 1, 1],
                        "anchor": "center", "position": [0.5, 0.5], "fades": [0, 0]}],
            "blacks": []}


@pytest.mark.parametrize("height", [540, 1080, 2160])
def test_title_x_height_is_the_styles_share_of_the_frame(tmp_path, height):
    scene = bpy.context.scene
    plan = _title_plan(tmp_path, height, "caption")
    compose_film(scene, plan, tmp_path)
    strip = next(s for s in compat.sequencer_strips(scene) if s.name.startswith("title"))
    assert bpy.path.abspath(strip.font.filepath) == str(DEFAULT_FONT)
    image = np.asarray(Image.open(render.render_still(scene, tmp_path / "title.png", 1)))
    rows = np.flatnonzero((image[..., :3].max(axis=2) > 128).any(axis=1))
    measured = (rows[-1] - rows[0] + 1) / height
    expected = x_height(TITLE_STYLES["caption"].em)
    assert measured == pytest.approx(expected, rel=0.08, abs=2 / height)
    assert measured >= MIN_X_HEIGHT


def test_blender_sets_a_proportional_face_with_tabular_digits():
    """The face Blender sets is proportional (not monospace), its digits all advance alike."""
    font = fonts.use_font(bpy.context.scene)
    assert fonts.advance_units(font, "W") > 2.5 * fonts.advance_units(font, "i")
    digits = [fonts.advance_units(font, d) for d in "0123456789"]
    assert np.ptp(digits) < 1e-4
