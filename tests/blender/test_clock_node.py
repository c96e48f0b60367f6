"""The shader's clock ("NB Clock", fed by the scene clock) shows the data time that
``neuroblend.clock.frame_to_time`` computes, at random frames and timings: rendered as the
emission of a plane filling the frame and read back from a float EXR."""

from __future__ import annotations

import bpy
import numpy as np

from neuroblend import clock
from neuroblend.blender.core import playback_clock
from neuroblend.blender.core.node_build import add_node, fresh_material
from neuroblend.blender.spike import material as spike_material

SIZE = 4


def _clock_plane(scene, start_frame: float, rate: float, time_start: float) -> None:
    """A plane filling an orthographic camera, emitting the clock's time as its grey level."""
    playback_clock.ensure_clock(scene)
    mat = fresh_material("NB Clock Test")
    tree = mat.node_tree
    time = playback_clock.clock_time(tree, playback_clock.frame_socket(tree), start_frame, rate,
                                     time_start)
    emission = add_node(tree, "ShaderNodeEmission")
    combine = add_node(tree, "ShaderNodeCombineColor")
    for channel in ("Red", "Green", "Blue"):
        tree.links.new(time, combine.inputs[channel])
    tree.links.new(combine.outputs[0], emission.inputs["Color"])
    tree.links.new(emission.outputs[0], add_node(tree, "ShaderNodeOutputMaterial").inputs[0])
    mesh = bpy.data.meshes.new("plane")
    mesh.from_pydata([(-5, -5, 0), (5, -5, 0), (5, 5, 0), (-5, 5, 0)], [], [(0, 1, 2, 3)])
    mesh.materials.append(mat)
    scene.collection.objects.link(bpy.data.objects.new("plane", mesh))
    cam = bpy.data.cameras.new("cam")
    cam.type, cam.ortho_scale = "ORTHO", 2.0
    camera = bpy.data.objects.new("cam", cam)
    camera.location = (0.0, 0.0, 5.0)
    scene.collection.objects.link(camera)
    scene.camera = camera


def _setup(scene) -> None:
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    scene.render.resolution_x = scene.render.resolution_y = SIZE
    scene.render.resolution_percentage = 100
    scene.view_settings.view_transform = "Standard"
    settings = scene.render.image_settings
    settings.file_format, settings.color_depth = "OPEN_EXR", "32"


def _shown(scene, frame: int, path) -> float:
    scene.frame_set(frame)
    scene.render.filepath = str(path)
    scene.render.use_file_extension = False
    bpy.ops.render.render(write_still=True)
    image = bpy.data.images.load(str(path))
    pixels = np.array(image.pixels[:], dtype=np.float64).reshape(SIZE, SIZE, 4)
    bpy.data.images.remove(image)
    return float(pixels[..., 0].mean())


def test_clock_node_group_matches_the_clock_function_at_random_frames(tmp_path):
    rng = np.random.default_rng(23)
    scene = bpy.context.scene
    _setup(scene)
    for trial in range(3):
        start, rate = float(rng.integers(-5, 20)), float(rng.uniform(0.25, 8.0))
        time_start = float(rng.uniform(0.0, 100.0))
        for obj in list(scene.collection.objects):
            bpy.data.objects.remove(obj)
        _clock_plane(scene, start, rate, time_start)
        for frame in rng.integers(int(start), int(start) + 300, size=3):
            expected = float(clock.frame_to_time(int(frame), rate, start, time_start))
            shown = _shown(scene, int(frame), tmp_path / f"clock_{trial}_{frame}.exr")
            assert np.isclose(shown, expected, rtol=1e-5, atol=1e-4), (frame, shown, expected)


def test_sample_group_and_time_label_read_the_clock_group():
    group = spike_material.sample_node_group()
    used = [n.node_tree.name for n in group.nodes if n.bl_idname == "ShaderNodeGroup"]
    assert used == [playback_clock.CLOCK_GROUP]


def test_film_keys_make_each_output_frame_show_its_time():
    root = bpy.data.objects.new("root", None)
    bpy.context.scene.collection.objects.link(root)
    root[clock.START_FRAME], root[clock.FRAMES_PER_STEP], root[clock.TIME_START] = 3.0, 2.0, 0.0
    times = [4.0, 4.5, 9.0, 1.25]
    playback_clock.key_clock(root, times)
    for frame, t in enumerate(times, start=1):
        bpy.context.scene.frame_set(frame)
        rate, first, t0 = clock.root_clock(root)
        assert rate == 2.0  # a graph's frames per step
        assert np.isclose(clock.frame_to_time(frame, rate, first, t0), t, atol=1e-5)


def test_graph_root_stores_frames_per_step_and_its_material_reads_it():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import graph_fixtures as fx

    from neuroblend.blender.graph import scene as graph_scene
    from neuroblend.graph.model import GraphOptions
    from neuroblend.graph.motion import Rearrange

    root, _graph = graph_scene.import_network_graph(fx.small_network(), GraphOptions(
        Rearrange(2, 8, 0.5), frames_per_step=2.5))
    assert root[clock.FRAMES_PER_STEP] == 2.5 and clock.FRAMES_PER_MS not in root
    tree = bpy.data.materials[root["nb_material"]].node_tree
    paths = {d.data_path: d.driver.variables[0].targets[0].data_path
             for d in tree.animation_data.drivers}
    rate_node = f'nodes["{clock.FRAMES_PER_MS}"].outputs[0].default_value'
    assert paths[rate_node] == f'["{clock.FRAMES_PER_STEP}"]'
