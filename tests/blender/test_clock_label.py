"""The time label: fixed glyphs whose shader shows the playback clock's reading. A frame change
changes no geometry, and the label reads as Python formats the time (rounding, no leading zeros,
a minus left of the leading digit)."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from PIL import Image
from spike_docs import PEAK, REST, toy_document

from neuroblend.blender.core import render, studio
from neuroblend.blender.spike import clock_label
from neuroblend.blender.spike import overlays as spike_overlays
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.spike.playback_settings import SpikeLook

pytestmark = pytest.mark.render


def _scene(time_start: float = 0.0):
    """A toy cell whose label is built for readings down to ``time_start`` ms."""
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=(320, 180), samples=4,
                                      denoise=False, bloom=False)
    root = spike_playback.import_simulation(
        toy_document(), scene=scene, name="toy",
        settings=SpikeLook(vmin=REST, vmax=PEAK, frames_per_ms=2.0))
    spike_playback.frame_simulation(root, scene, view=(0.0, -1.0, 0.0))
    root["nb_time_start"] = time_start
    label = spike_overlays.add_time_label(root, scene)
    return scene, root, label


def _reference(label, time: float):
    """A copy of ``label`` keeping only the faces Python's formatting of ``time`` shows, in flat
    white: what the label must look like."""
    mesh = label.data
    n = len(mesh.polygons)
    place, glyph = np.zeros(n), np.zeros(n)
    mesh.attributes["nb_place"].data.foreach_get("value", place)
    mesh.attributes["nb_glyph"].data.foreach_get("value", glyph)
    wanted = {(float(p), clock_label.MINUS if g == "-" else float(g))
              for p, g in clock_label.reading(time, 9).items()}
    keep = [k for k in range(n) if glyph[k] == clock_label.ALWAYS or (place[k], glyph[k]) in wanted]
    co = np.zeros(len(mesh.vertices) * 3)
    mesh.vertices.foreach_get("co", co)
    ref_mesh = bpy.data.meshes.new("reference")
    ref_mesh.from_pydata(co.reshape(-1, 3).tolist(), [],
                         [tuple(mesh.polygons[k].vertices) for k in keep])
    ref_mesh.materials.append(spike_overlays.label_material())
    ref = label.copy()
    ref.data = ref_mesh
    for collection in label.users_collection:
        collection.objects.link(ref)
    return ref


def _render_alone(scene, obj, path) -> np.ndarray:
    shown = {o.name: o.hide_render for o in scene.objects}
    for other in scene.objects:
        other.hide_render = other is not obj
    try:
        render.render_still(scene, path)
    finally:
        for other in scene.objects:
            other.hide_render = shown[other.name]
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


@pytest.mark.parametrize("time", [0.0, 5.5, 9.96, 12.34, -0.04, -3.2, -17.5])
def test_label_reads_as_python_formats_the_time(tmp_path, time):
    scene, root, label = _scene(time_start=-20.0)
    root["nb_time_start"] = time
    scene.frame_set(int(root["nb_start_frame"]))  # the frame that shows nb_time_start
    shown = _render_alone(scene, label, tmp_path / "label.png")
    expected = _render_alone(scene, _reference(label, time), tmp_path / "reference.png")
    assert expected.max() > 150  # the reference shows its glyphs
    assert np.abs(shown - expected).max() <= 2


def test_reading_follows_formatting_rules():
    assert clock_label.reading(5.5, 2) == {0: "5", -1: "5"}
    assert clock_label.reading(9.96, 2) == {1: "1", 0: "0", -1: "0"}
    assert clock_label.reading(-3.24, 2) == {1: "-", 0: "3", -1: "2"}
    assert clock_label.reading(-0.04, 2) == {0: "0", -1: "0"}  # no minus zero


def test_frame_change_changes_no_geometry_and_the_reading_follows_the_frame(tmp_path):
    scene, root, label = _scene()
    assert not bpy.app.handlers.frame_change_pre and not bpy.app.handlers.frame_change_post
    scene.frame_set(2)  # the first evaluation of the new objects
    updated: list[set] = []

    def record(_scene, depsgraph):
        updated.append({u.id.name for u in depsgraph.updates if u.is_updated_geometry})

    bpy.app.handlers.frame_change_post.append(record)
    try:
        for frame in (3, 4, 12):
            scene.frame_set(frame)
    finally:
        bpy.app.handlers.frame_change_post.remove(record)
    assert len(updated) == 3 and not any(label.name in names for names in updated), updated
    readings = []
    for frame in (1, 12, 1):
        scene.frame_set(frame)
        readings.append(_render_alone(scene, label, tmp_path / f"frame{len(readings)}.png"))
    first, later, again = readings
    assert first.max() > 150 and np.abs(first - later).max() > 100  # "0.0 ms" -> "5.5 ms"
    assert np.array_equal(first, again)
