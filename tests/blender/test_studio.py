"""The bpy base layer: studio look, camera framing, turntable, template, headless render CLI."""

from __future__ import annotations

import subprocess
import sys

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from neuroblend.blender.core import compat, studio
from neuroblend.blender.core.templates import (
    STUDIO_TEMPLATE,
    build_studio_template,
    describe_scene,
    open_studio_template,
)


def test_studio_scene_settings(fresh_scene):
    scene = studio.setup_studio_scene(fresh_scene, resolution=(320, 180), samples=8)
    assert scene.render.engine == "CYCLES" and scene.cycles.device == "CPU"
    assert scene.view_settings.view_transform == "Standard"
    assert tuple(scene.world.node_tree.nodes["Background"].inputs["Color"].default_value)[:3] == (0, 0, 0)
    assert scene.world.cycles.sampling_method == "NONE"  # a black world is not sampled as a light
    tree = compat.compositor_tree(scene)
    glare = tree.nodes[studio.BLOOM_NODE]
    assert not glare.mute and compat.get_input(glare, "Type") == "BLOOM"
    studio.setup_studio_scene(scene, bloom=False)  # idempotent: no duplicate nodes
    assert sum(n.bl_idname == "CompositorNodeGlare" for n in tree.nodes) == 1
    assert tree.nodes[studio.BLOOM_NODE].mute


@pytest.mark.parametrize("view", [(0, -1, 0.35), (1, 0, 0), (0.2, 0.3, 1)])
def test_frame_camera_keeps_every_corner_in_view(fresh_scene, view):
    scene = studio.setup_studio_scene(fresh_scene, resolution=(320, 180))
    lo, hi = Vector((-3, 10, 2)), Vector((5, 12, 9))
    camera = studio.frame_camera(lo, hi, scene, view=view)
    bpy.context.view_layer.update()
    corners = [Vector((x, y, z)) for x in (lo.x, hi.x) for y in (lo.y, hi.y) for z in (lo.z, hi.z)]
    projected = np.array([tuple(world_to_camera_view(scene, camera, c)) for c in corners])
    assert (projected[:, :2] > 0).all() and (projected[:, :2] < 1).all()
    assert (projected[:, 2] > camera.data.clip_start).all()
    assert (projected[:, 2] < camera.data.clip_end).all()
    center = world_to_camera_view(scene, camera, (lo + hi) / 2)
    assert abs(center.x - 0.5) < 1e-4 and abs(center.y - 0.5) < 1e-4
    # Tight: the box fills the frame up to the margin along one side.
    reach = np.abs(projected[:, :2] - 0.5).max(axis=0) * 2
    assert reach.max() > 0.85


def test_turntable_orbits_at_constant_speed(fresh_scene):
    scene = studio.setup_studio_scene(fresh_scene)
    studio.frame_camera((-1, -1, -1), (1, 1, 1), scene)
    pivot = studio.add_turntable(scene, (0, 0, 0), 1, 100)
    angles = []
    for frame in (1, 26, 51):
        scene.frame_set(frame)
        loc = scene.camera.matrix_world.translation
        angles.append(np.degrees(np.arctan2(loc.y, loc.x)))
    steps = np.diff(np.unwrap(np.radians(angles)))
    assert np.allclose(np.degrees(steps), 90.0, atol=0.01)
    assert all(p.interpolation == "LINEAR" for c in compat.fcurves(pivot) for p in c.keyframe_points)


def test_committed_template_matches_builder(fresh_scene):
    assert STUDIO_TEMPLATE.exists(), "run: python scripts/build_templates.py"
    build_studio_template(fresh_scene)
    built = describe_scene(fresh_scene)
    # opens the committed file; a Blender older than the file builds the same scene instead
    committed = describe_scene(open_studio_template())
    assert committed == built, "blend_templates/studio.blend is stale: run scripts/build_templates.py"


@pytest.mark.render
def test_render_studio_template_headless(tmp_path, artifact_dir):
    out = artifact_dir
    proc = subprocess.run(
        [sys.executable, "-m", "neuroblend", "render", "studio", "--out", str(out),
         "--resolution", "160x90", "--samples", "4", "--frames", "1"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    png = out / "frame_0001.png"
    image = bpy.data.images.load(str(png))
    assert tuple(image.size) == (160, 90)
    pixels = np.array(image.pixels[:], dtype=np.float32).reshape(90, 160, 4)[::-1]
    # The preview sphere glows teal in the centre of a black frame.
    centre = pixels[40:50, 75:85, :3].mean(axis=(0, 1))
    corner = pixels[:10, :10, :3].mean(axis=(0, 1))
    assert corner.max() < 0.05
    assert centre[1] > 0.5 and centre[2] > 0.5 and centre[0] < centre[1]
    assert "[1/1] frames done" in proc.stdout


def test_render_job_bad_arguments_exit_cleanly(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "neuroblend", "render", "studio", "--out", str(tmp_path),
         "--resolution", "wide"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "expected WIDTHxHEIGHT" in proc.stderr
