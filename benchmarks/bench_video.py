"""Video throughput: what a consecutive frame of the 20-cell playback scene costs to render.

    .venv/bin/python benchmarks/bench_video.py [--frames 30] [--old-frames 4]

20 copies of NEURON's pyramid.nrn (as in bench_spike.py; 379k vertices, 2,001 samples), Cycles
CPU, 320x240, 16 samples, persistent data. In one run, in one Blender session, it measures the
seconds (wall clock, and the process's CPU time, which other users of the machine disturb less)
per frame of:
- playback: ``--frames`` consecutive frames of the baked playback, as imported now;
- old playback: NeuroBlend's mechanism before issue #14 (a ``frame`` driver on a Value node of
  the material, emission sampled as a light), ``--old-frames`` consecutive frames;
- playback with the time label and colorbar overlays (geometry-nodes text), then the same
  inside the render region our renders use (``core.render_region``; None: whole frames);
- baseline (a): re-rendering one frame (no frame change);
- baseline (b): the same geometry with a static emission material, consecutive frames.
Then, at 320x240 and 16 samples too, consecutive frames against a re-rendered static frame of:
- a sliced 512 x 512 heightmap surface whose slicer sweeps across it (``slicer.animate_slice``);
- an atlas turntable (bench_atlas.py's synthetic atlas: 10 regions of 19,800 triangles).
Targets: playback <= 1.5x (b) (aim 1.2x), <= 1.2 s per frame on 2 cores; sweep and turntable
<= 1.5x their static frame.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from spike_docs import use_old_frame_driver  # noqa: E402

from neuroblend.blender.core import bounds, render_region, studio
from neuroblend.blender.core.node_build import fresh_material
from neuroblend.blender.spike import overlays as spike_overlays
from neuroblend.blender.spike import playback as spike_playback

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
    material = fresh_material("Static emission", reuse=False)
    tree = material.node_tree
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
    spike_overlays.add_time_label(root, scene)
    spike_overlays.add_colorbar(root, scene)
    spike_playback.frame_simulation(root, scene)
    render_frames(scene, [start - 1])
    results["playback + overlays"] = render_frames(scene, range(start, start + n_frames))
    frames = range(start, start + n_frames)
    with render_region.fitted_region(scene, frames) as region:
        results["+ overlays, region"] = render_frames(scene, frames)
    if region is None:
        why = render_region.whole_frame_reason(scene) or "objects fill most of the frame"
        print(f"render region: none, whole frames ({why})")
    else:
        print(f"render region: {(region[1] - region[0]) * (region[3] - region[2]):.0%} of the frame")
    scene, root = build_scene(doc)  # a fresh scene: Cycles' first sync sees the old settings
    use_old_frame_driver(bpy.data.materials[root["nb_material"]])
    render_frames(scene, [start - 1])
    results["old playback"] = render_frames(scene, range(start, start + n_old))
    return results


def small_studio(scene) -> None:
    studio.setup_studio_scene(scene, resolution=(320, 240), samples=16, denoise=False,
                              bloom=False)
    scene.render.use_persistent_data = True


def animated_vs_static(scene, first: int, n_frames: int) -> dict:
    """Consecutive frames from ``first`` against re-rendering frame ``first``."""
    render_frames(scene, [first])
    return {"consecutive": render_frames(scene, range(first + 1, first + 1 + n_frames)),
            "static frame": render_frames(scene, [first + n_frames] * 5)}


def slice_sweep(n_frames: int) -> dict:
    from bench_surface import landscape

    from neuroblend.blender.surface import slicer
    from neuroblend.surface.heightmap import make_heightmap

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    surface = slicer.build_sliced_surface(make_heightmap(landscape(512), extent=(-1, 1, -1, 1)))
    small_studio(scene)
    slicer.frame_surface_camera(surface, scene)
    slicer.animate_slice(surface, 1, 2 * n_frames + 2)
    return animated_vs_static(scene, n_frames // 2, n_frames)


def atlas_turntable(n_frames: int, folder: Path) -> dict:
    from bench_atlas import extra_regions, fx  # bench_atlas puts tests/ on sys.path

    from neuroblend.atlas import atlas_export
    from neuroblend.atlas import brainglobe as atlas
    from neuroblend.blender.atlas import atlas_import

    name = fx.build_synthetic_atlas(folder, n_lat=100, n_lon=100, extra_regions=extra_regions())
    doc, _ = atlas_export.export_regions(atlas.open_atlas(name, folder), [f"R{k}" for k in range(10)])
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    imported = atlas_import.import_atlas(doc)
    small_studio(scene)
    lo, hi = bounds.world_bounds(imported.objects)
    studio.frame_camera(tuple(lo), tuple(hi), scene)
    studio.add_turntable(scene, tuple((lo + hi) / 2), 1, 4 * n_frames)
    return animated_vs_static(scene, 2, n_frames)


def report(title: str, results: dict, base_label: str) -> None:
    base_wall, base_cpu = results[base_label]
    print(f"\n{title} (s per frame, median; ratios to {base_label})")
    for label, (wall, cpu) in results.items():
        print(f"  {label:22s} wall {wall:6.2f} ({wall / base_wall:5.2f}x)   "
              f"CPU {cpu:6.2f} ({cpu / base_cpu:5.2f}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--old-frames", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("simulating pyramid.nrn (50 ms, 2,001 samples)...", flush=True)
        doc = copies(simulate_pyramid(Path(tmp)), N_CELLS)
        results = measure(doc, args.frames, args.old_frames)
        sweep = slice_sweep(args.frames)
        turntable = atlas_turntable(args.frames, Path(tmp))
    report(f"{N_CELLS} cells, Cycles CPU 320x240, 16 samples, persistent data", results,
           "(b) static emission")
    print("targets: playback <= 1.5x (b) (aim 1.2x), <= 1.2 s wall on 2 cores")
    report("sliced 512 x 512 surface, slicer sweeping", sweep, "static frame")
    report("atlas turntable, 10 regions", turntable, "static frame")
    print("targets: consecutive <= 1.5x static frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())
