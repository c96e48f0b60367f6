"""Video throughput: what a consecutive frame of the 20-cell playback scene costs to render.

    .venv/bin/python benchmarks/bench_video.py [--frames 30] [--old-frames 4]

20 copies of NEURON's pyramid.nrn (as in bench_spike.py; 379k vertices, 2,001 samples), Cycles
CPU, 320x240, 16 samples, persistent data. In one run, in one Blender session, it measures the
seconds (wall clock, and the process's CPU time, which other users of the machine disturb less)
per frame of:
- playback: ``--frames`` consecutive frames of the baked playback, as imported now;
- old playback: the same with the playback material's emission sampled as a light (Cycles'
  default, NeuroBlend's before issue #14), ``--old-frames`` consecutive frames;
- baseline (a): re-rendering one frame (no frame change);
- baseline (b): the same geometry with a static emission material, consecutive frames.
Targets: playback <= 1.5x (b) (aim 1.2x), <= 1.2 s per frame on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bpy
from bench_spike import copies, simulate_pyramid

from neuroblend.blender import compat, spike_playback, studio

N_CELLS = 20


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def render_frames(scene, frames) -> tuple[float, float]:
    """Median (wall, CPU) seconds per rendered frame of ``frames`` (frame_set excluded)."""
    walls, cpus = [], []
    for frame in frames:
        scene.frame_set(frame)
        wall, cpu = time.perf_counter(), cpu_seconds()
        bpy.ops.render.render(scene=scene.name)
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def build_scene(doc: dict):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    root = spike_playback.import_simulation(doc, scene=scene, name="bench")
    studio.setup_studio_scene(scene, resolution=(320, 240), samples=16, denoise=False,
                              bloom=False)
    spike_playback.frame_simulation(root, scene)
    scene.render.use_persistent_data = True
    return scene, root


def static_material():
    material = bpy.data.materials.new("Static emission")
    compat.enable_nodes(material)
    tree = material.node_tree
    tree.nodes.clear()
    emission = tree.nodes.new("ShaderNodeEmission")
    emission.inputs["Color"].default_value = (0.9, 0.3, 0.05, 1.0)
    output = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(emission.outputs[0], output.inputs["Surface"])
    return material


def set_material(root, material) -> None:
    for obj in spike_playback.cell_objects(root):
        obj.data.materials[0] = material


def measure(doc: dict, n_frames: int, n_old: int) -> dict:
    scene, root = build_scene(doc)
    playback = bpy.data.materials[root["nb_material"]]
    start = 200  # inside the spiking part of the recording
    results = {}
    render_frames(scene, [start - 1])  # warm-up: first sync, kernels
    results["playback"] = render_frames(scene, range(start, start + n_frames))
    results["(a) same frame"] = render_frames(scene, [start + n_frames - 1] * 5)
    set_material(root, static_material())
    render_frames(scene, [start - 1])
    results["(b) static emission"] = render_frames(scene, range(start, start + n_frames))
    set_material(root, playback)
    playback.cycles.emission_sampling = "AUTO"
    render_frames(scene, [start - 1])
    results["old playback"] = render_frames(scene, range(start, start + n_old))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--old-frames", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("simulating pyramid.nrn (50 ms, 2,001 samples)...", flush=True)
        doc = copies(simulate_pyramid(Path(tmp)), N_CELLS)
    results = measure(doc, args.frames, args.old_frames)
    base_wall, base_cpu = results["(b) static emission"]
    print(f"\n{N_CELLS} cells, Cycles CPU 320x240, 16 samples, persistent data "
          f"(s per frame, median; ratios to (b))")
    for label, (wall, cpu) in results.items():
        print(f"  {label:22s} wall {wall:6.2f} ({wall / base_wall:5.2f}x)   "
              f"CPU {cpu:6.2f} ({cpu / base_cpu:5.2f}x)")
    print("targets: playback <= 1.5x (b) (aim 1.2x), <= 1.2 s wall on 2 cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
