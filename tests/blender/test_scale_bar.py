"""The scale bar measures true: its pixels against the projected length of a known object at the
camera's focal plane, with an orthographic camera, a perspective one, and through a dolly (the
camera and its focus distance keyed, the bar following with no Python per frame)."""

from __future__ import annotations

import math

import bpy
import numpy as np
import pytest
from PIL import Image

from neuroblend.blender.core import compat, scale_bar, studio
from neuroblend.scale_bar import FRACTION, label, round_length

SIZE = (640, 360)
TOLERANCE = 0.02


def _emission(name):
    mat = bpy.data.materials.new(name)
    compat.enable_nodes(mat)
    tree = mat.node_tree
    tree.nodes.clear()
    emission = tree.nodes.new("ShaderNodeEmission")
    emission.inputs["Strength"].default_value = 1.0
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(emission.outputs[0], out.inputs["Surface"])
    return mat


def _scene(distance: float, ortho: bool = False):
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=SIZE, samples=16,
                                      denoise=False, bloom=False)
    camera = bpy.data.objects.new("cam", bpy.data.cameras.new("cam"))
    scene.collection.objects.link(camera)
    scene.camera = camera
    camera.location = (0.0, -distance, 0.0)
    camera.rotation_euler = (math.pi / 2, 0.0, 0.0)  # looking along +y
    cam = camera.data
    cam.clip_start, cam.clip_end = distance * 0.01, distance * 10
    cam.dof.focus_distance = distance
    if ortho:
        cam.type = "ORTHO"
        cam.ortho_scale = distance * 0.7
    return scene


def _box(scene, length: float, z: float, h: float | None = None):
    """A flat white bar of ``length`` at the focal plane (y = 0), centred on x = 0, height z,
    half as thick as ``h`` (default: a 30th of its length)."""
    mesh = bpy.data.meshes.new("known")
    h = length / 30 if h is None else h
    mesh.from_pydata([(-length / 2, 0, z - h), (length / 2, 0, z - h), (length / 2, 0, z + h),
                      (-length / 2, 0, z + h)], [], [(0, 1, 2, 3)])
    mesh.materials.append(_emission("known white"))
    obj = bpy.data.objects.new("known", mesh)
    scene.collection.objects.link(obj)
    return obj


def _bar(scene, length: float = 0.0):
    obj = scale_bar.add_scale_bar("bar", scene.collection, _emission("bar white"), length=length)
    scale_bar.fit_to_camera(obj, scene, (0.5, 0.2), scale_bar.overlay_depth(scene.camera.data))
    return obj


def _lengths_px(scene, path, frame: int = 1) -> tuple[float, float]:
    """(bar, known object) lengths in pixels: the fullest row of each half of the frame, summed
    (coverage at the ends counts as the fraction of the pixel it covers)."""
    scene.frame_set(frame)
    scene.render.filepath = str(path)
    bpy.ops.render.render(write_still=True)
    image = np.asarray(Image.open(path).convert("L"), dtype=np.float64) / 255.0
    rows = image.sum(axis=1)
    height = image.shape[0]
    bar_rows = rows[int(height * 0.72):]  # the bar at 20% from the bottom, its label above
    known_rows = rows[:int(height * 0.5)]
    return float(bar_rows.max()), float(known_rows.max())


def _frame_width(distance: float, cam) -> float:
    return cam.ortho_scale if cam.type == "ORTHO" else distance * cam.sensor_width / cam.lens


@pytest.mark.parametrize("ortho", [False, True], ids=["perspective", "orthographic"])
def test_a_given_length_measures_as_the_same_length_at_the_focal_plane(artifact_dir, ortho):
    scene = _scene(500.0, ortho)
    _box(scene, 60.0, 60.0)
    _bar(scene, 60.0)
    bar, known = _lengths_px(scene, artifact_dir / "given.png")
    assert known > 50
    assert abs(bar / known - 1.0) < TOLERANCE, (bar, known)


def test_auto_takes_a_round_length_of_about_15_percent_of_the_width(artifact_dir):
    scene = _scene(700.0)
    known_length = 100.0
    _box(scene, known_length, 80.0)
    bar_obj = _bar(scene)
    width = _frame_width(700.0, scene.camera.data)
    expected = round_length(FRACTION * width)
    assert expected in (50.0, 100.0) and label(expected) in ("50 µm", "100 µm")
    bar, known = _lengths_px(scene, artifact_dir / "auto.png")
    assert abs((bar / known) / (expected / known_length) - 1.0) < TOLERANCE, (bar, known)
    assert 0.06 < bar / SIZE[0] < 0.25
    evaluated = bar_obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
    assert len(evaluated.data.vertices) > 20  # the bar and its label's glyphs


def test_the_bar_follows_a_dolly_through_round_lengths(artifact_dir):
    scene = _scene(2000.0)
    camera = scene.camera
    for frame, distance in ((1, 2000.0), (9, 150.0)):
        camera.location = (0.0, -distance, 0.0)
        camera.data.dof.focus_distance = distance
        camera.keyframe_insert("location", frame=frame)
        camera.data.keyframe_insert("dof.focus_distance", frame=frame)
    camera.data.clip_start = 1.0
    _bar(scene)
    seen = set()
    for frame in (1, 5, 9):
        scene.frame_set(frame)
        distance = -camera.matrix_world.translation.y
        expected = round_length(FRACTION * _frame_width(distance, camera.data))
        seen.add(expected)
        ruler = _box(scene, expected, distance * 0.03, distance * 0.01)  # the reference
        bar, known = _lengths_px(scene, artifact_dir / f"dolly{frame}.png", frame)
        assert abs(bar / known - 1.0) < TOLERANCE, (frame, distance, expected, bar, known)
        bpy.data.objects.remove(ruler)
    assert len(seen) == 3  # the round length changed on the way in, with no handler
    assert not bpy.app.handlers.frame_change_pre and not bpy.app.handlers.frame_change_post
