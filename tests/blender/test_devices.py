"""The render device through Cycles' own device list (these machines have no GPU: the GPU path
is exercised with a reported device that Cycles then cannot find, as on a CPU-only farm node)."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import numpy as np
import pytest
from render_check import render_fresh

from neuroblend.blender.core import devices, studio
from neuroblend.blender.core.node_build import fresh_material
from neuroblend.errors import NeuroBlendError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402


def _scene_with_a_glowing_sphere():
    scene = studio.setup_studio_scene(resolution=(48, 32), samples=4, denoise=False, bloom=False)
    bpy.ops.mesh.primitive_uv_sphere_add(radius=1.0)
    sphere = bpy.context.active_object
    material = fresh_material("glow")
    nodes = material.node_tree.nodes
    emission = nodes.new("ShaderNodeEmission")
    emission.inputs["Color"].default_value = (1.0, 0.3, 0.1, 1.0)
    output = nodes.new("ShaderNodeOutputMaterial")
    material.node_tree.links.new(emission.outputs[0], output.inputs[0])
    sphere.data.materials.append(material)
    studio.frame_camera((-1, -1, -1), (1, 1, 1), scene)
    return scene


def test_cycles_sees_no_gpu_here_so_auto_renders_on_the_cpu(fresh_scene):
    lines = []
    choice = devices.use_device(_scene_with_a_glowing_sphere(), "auto", log=lines.append)
    assert devices.gpu_devices() == {}
    assert choice.backend == "cpu" and bpy.context.scene.cycles.device == "CPU"
    assert lines == ["Cycles renders on the CPU"]


def test_gpu_on_a_cpu_only_machine_is_a_clean_error(fresh_scene):
    scene = _scene_with_a_glowing_sphere()
    with pytest.raises(NeuroBlendError, match="no GPU that Cycles can use.*CPU only"):
        devices.use_device(scene, "gpu")
    assert scene.cycles.device == "CPU"


def test_a_scene_set_to_the_gpu_renders_the_same_on_a_machine_without_one(fresh_scene, tmp_path):
    scene = _scene_with_a_glowing_sphere()
    scene.render.filepath = str(tmp_path / "cpu.png")
    bpy.ops.render.render(write_still=True)
    cpu = np.asarray(bpy.data.images.load(str(tmp_path / "cpu.png")).pixels[:])
    lines = []
    choice = devices.use_device(scene, "optix", found={"optix": ("Test GPU",)}, log=lines.append)
    assert choice.is_gpu and scene.cycles.device == "GPU"
    assert lines == ["Cycles renders on the GPU: Test GPU (OPTIX)"]
    blend = tmp_path / "gpu.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(blend))
    fresh = render_fresh(blend, tmp_path / "fresh.png", scene.frame_current, tmp_path)
    lit = fresh.sum(axis=2) > 60
    assert 0.1 < lit.mean() < 0.9, "the sphere must render on the CPU-only machine"
    assert np.abs(cpu.reshape(32, 48, 4)[::-1, :, :3] * 255 - fresh).max() <= 2



def test_render_device_gpu_without_one_exits_2_with_one_error_line(tmp_path):
    run = run_cli(["render", "surface", "--out", tmp_path / "out", "--resolution", "32x24",
                   "--samples", "1", "--device", "gpu"], cwd=tmp_path, timeout=120,
                  address_space=None)
    assert_clean_refusal(run, "no GPU that Cycles can use", "Cycles sees CPU only")
    assert not (tmp_path / "out").exists()


def test_eevee_without_a_gpu_says_it_renders_through_software_opengl(fresh_scene):
    from neuroblend.blender.core import compat

    scene = _scene_with_a_glowing_sphere()
    scene.render.engine = compat.EEVEE_ENGINE
    lines = []
    devices.use_device(scene, "auto", log=lines.append)
    assert len(lines) == 1 and "software OpenGL" in lines[0]
    lines.clear()
    devices.use_device(scene, "auto", found={"cuda": ("Test GPU",)}, log=lines.append)
    assert lines == []  # a GPU: EEVEE renders on it, nothing to warn about
