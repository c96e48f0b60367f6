"""The render region: our renders sample only the part of the frame objects can reach, give the
same pixels as whole-frame renders, and fall back to the whole frame whenever pixels outside the
objects could show something."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from PIL import Image
from spike_docs import PEAK, REST, toy_document

from neuroblend.blender.core import compat, render, render_region, studio
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.spike.playback_settings import SpikeLook

SIZE = (160, 90)
pytestmark = pytest.mark.render


def _studio(bloom: bool = True):
    return studio.setup_studio_scene(bpy.context.scene, resolution=SIZE, samples=4,
                                     denoise=False, bloom=bloom)


def _spike_scene():
    """A glowing toy cell with its time label and colorbar, framed whole."""
    scene = _studio()
    root = spike_playback.import_simulation(
        toy_document(), scene=scene, name="toy",
        settings=SpikeLook(vmin=REST, vmax=PEAK, frames_per_ms=2.0))
    spike_playback.frame_simulation(root, scene, view=(0.0, -1.0, 0.0))
    return scene


def _glowing_cube(location=(0.0, 0.0, 0.0), size: float = 0.3, color=(1.0, 0.5, 0.1)):
    bpy.ops.mesh.primitive_cube_add(size=size, location=location)
    cube = bpy.context.object
    mat = bpy.data.materials.new("glow")
    compat.enable_nodes(mat)
    tree = mat.node_tree
    tree.nodes.clear()
    emission = tree.nodes.new("ShaderNodeEmission")
    emission.inputs["Color"].default_value = (*color, 1.0)
    emission.inputs["Strength"].default_value = 3.0
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(emission.outputs[0], out.inputs["Surface"])
    cube.data.materials.append(mat)
    return cube


def _camera_scene(bloom: bool = False):
    """A black studio with a camera 10 units back looking along +Y, and a glowing cube."""
    scene = _studio(bloom)
    camera = bpy.data.objects.new("cam", bpy.data.cameras.new("cam"))
    scene.collection.objects.link(camera)
    camera.location, camera.rotation_euler = (0.0, -10.0, 0.0), (np.pi / 2, 0.0, 0.0)
    scene.camera = camera
    cube = _glowing_cube()
    compat.set_png_output(scene)
    return scene, cube


def _pixels(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def _whole_frame(monkeypatch):
    monkeypatch.setattr(render_region, "region_for", lambda scene, frames: None)


def _fraction(region) -> float:
    return (region[1] - region[0]) * (region[3] - region[2])


def test_spike_shot_renders_a_region_with_the_same_pixels(tmp_path, monkeypatch):
    scene = _spike_scene()
    compat.set_png_output(scene)
    region = render_region.region_for(scene, [11])
    if compat.COMPOSITOR_CROPS_TO_REGION:  # 4.2: the bloom would stop at the region's edge
        assert region is None
    else:
        assert region is not None and _fraction(region) < 0.7  # the cell, label and colorbar
    in_region = _pixels(render.render_still(scene, tmp_path / "region.png", 11))
    assert not scene.render.use_border  # only while rendering
    _whole_frame(monkeypatch)
    whole = _pixels(render.render_still(scene, tmp_path / "whole.png", 11))
    assert np.array_equal(in_region, whole)
    assert whole.max() > 100  # the cell glows, the bloom spreads it


def test_moving_objects_stay_inside_the_region_of_a_sequence(tmp_path, monkeypatch):
    scene, cube = _camera_scene()
    cube.location.x = -2.0
    cube.keyframe_insert("location", frame=1)
    cube.location.x = 2.0
    cube.keyframe_insert("location", frame=5)
    start, end = render_region.region_for(scene, [1]), render_region.region_for(scene, range(1, 6))
    assert start[1] < 0.5 < end[1] and end[0] == start[0]  # the union reaches the far end
    regioned = render.render_sequence(scene, tmp_path / "region", range(1, 6))
    _whole_frame(monkeypatch)
    whole = render.render_sequence(scene, tmp_path / "whole", range(1, 6))
    for a, b in zip(regioned, whole, strict=True):
        assert np.array_equal(_pixels(a), _pixels(b)), a.name
    assert _pixels(whole[0])[:, :80].max() > 100 and _pixels(whole[-1])[:, 80:].max() > 100


def test_a_black_backing_is_left_out_of_the_region():
    scene, cube = _camera_scene()
    backing = _glowing_cube(location=(3.0, 0.0, 0.0), size=1.0, color=(0.0, 0.0, 0.0))
    small = render_region.region_for(scene, [1])
    backing.data.materials[0].node_tree.nodes["Emission"].inputs["Color"].default_value = (
        0.2, 0.2, 0.2, 1.0)
    large = render_region.region_for(scene, [1])
    assert small[1] < 0.6 < large[1]


def test_nothing_to_see_renders_a_pixel(tmp_path):
    scene, cube = _camera_scene()
    cube.hide_render = cube.hide_viewport = True
    region = render_region.region_for(scene, [1])
    assert region is not None and _fraction(region) < 0.001
    assert _pixels(render.render_still(scene, tmp_path / "black.png", 1)).max() <= 1


def _lit_world(scene, _cube):
    scene.world.node_tree.nodes["Background"].inputs["Strength"].default_value = 1.0
    scene.world.node_tree.nodes["Background"].inputs["Color"].default_value = (0.1, 0.1, 0.1, 1)


def _point_light(scene, _cube):
    light = bpy.data.objects.new("lamp", bpy.data.lights.new("lamp", "POINT"))
    scene.collection.objects.link(light)


def _hidden_in_viewport(scene, _cube):
    other = _glowing_cube(location=(3.0, 0.0, 0.0))
    other.hide_viewport = True


def _behind_camera(scene, _cube):
    bpy.ops.mesh.primitive_plane_add(size=40.0, location=(0.0, -10.0, 0.0),
                                     rotation=(0.0, 0.0, 0.0))


def _alpha_over_compositor(scene, _cube):
    studio.set_bloom(scene, True)
    tree = compat.scene_compositor(scene)
    tree.nodes.new("CompositorNodeAlphaOver")


WHOLE_FRAME_CASES = {
    "eevee": lambda scene, _: setattr(scene.render, "engine", compat.engine_id("eevee")),
    "user region": lambda scene, _: setattr(scene.render, "use_border", True),
    "depth of field": lambda scene, _: setattr(scene.camera.data.dof, "use_dof", True),
    "motion blur": lambda scene, _: setattr(scene.render, "use_motion_blur", True),
    "denoiser": lambda scene, _: setattr(scene.cycles, "use_denoising", True),
    "panorama": lambda scene, _: setattr(scene.camera.data, "type", "PANO"),
    "alpha output": lambda scene, _: setattr(scene.render.image_settings, "color_mode", "RGBA"),
    "lit world": _lit_world,
    "point light": _point_light,
    "hidden in the viewport": _hidden_in_viewport,
    "object behind the camera": _behind_camera,
    "compositor reading alpha": _alpha_over_compositor,
    **({"bloom in Blender 4.2": lambda scene, _: studio.set_bloom(scene, True)}
       if compat.COMPOSITOR_CROPS_TO_REGION else {}),
}


@pytest.mark.parametrize("case", list(WHOLE_FRAME_CASES))
def test_whole_frame_when_pixels_outside_the_objects_could_change(case):
    scene, cube = _camera_scene()
    assert render_region.region_for(scene, [1]) is not None
    WHOLE_FRAME_CASES[case](scene, cube)
    assert render_region.region_for(scene, [1]) is None


def test_transparent_film_keeps_the_region_for_alpha_output():
    scene, _cube = _camera_scene()
    scene.render.image_settings.color_mode = "RGBA"
    scene.render.film_transparent = True
    assert render_region.region_for(scene, [1]) is not None
