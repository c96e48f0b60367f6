"""Network benchmark: import time, .blend size and frame time of large networks.

    .venv/bin/python benchmarks/bench_network.py [--quick]

Simulates one pyramid.nrn cell (the geometry and a 2,000-sample voltage trace) with
``neuroblend simulate-network --cells 1``, then synthesises (build_simulation_document) networks of
its copies in a slab, each firing at its own times, wired 3 synapses per cell:
- 100 full pyramids (21,500 compartments x 2,000 samples, 300 connections): import, saved .blend
  size, one consecutive 640x360 16-sample Cycles frame rendered as videos render (persistent data);
- 1,000 cells at soma level with 3,000 connections: import.
Baseline in the same run: importing and rendering the single pyramid the way a one-cell
simulation is imported today (spike_playback.import_simulation), reported as ratios.
Targets: 100 full import <= 10 s, .blend <= 300 MB, frame <= 5 s; 1,000 soma import <= 20 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bpy
import numpy as np

from neuroblend.blender.core import render, studio
from neuroblend.blender.simulation.scene import import_simulation_file
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.files.fileformat import load_document
from neuroblend.network.layout import plan_network
from neuroblend.simulation.simulation_build import build_simulation_document

SAMPLES = 2000


def simulate_one(folder: Path) -> dict:
    """A 2,000-sample recording of one pyramid (NEURON in its own process)."""
    out = folder / "one.pkl"
    subprocess.run([sys.executable, "-m", "neuroblend", "simulate-network", "--cells", "1",
                    "--out", str(out), "--tstop", str(SAMPLES * 0.025), "--sample-every",
                    "0.025"], check=True, capture_output=True)
    return load_document(out)


def synthetic_network(one: dict, n: int, seed: int = 3) -> dict:
    """``n`` copies of ``one``'s cell placed and wired like simulate-network, the voltage trace
    shifted per cell (each cell fires later the further it is from the first)."""
    cell = one["cells"][0]
    sec = cell["sections"]
    offsets = sec["point_offsets"]
    lengths = np.array([np.linalg.norm(np.diff(sec["points"][a:b], axis=0), axis=1).sum()
                        for a, b in zip(offsets[:-1], offsets[1:], strict=True)])
    dendritic = np.array([t in ("dend", "apic") for t in sec["type"]])
    plan = plan_network(n, lengths, dendritic, seed=seed)
    time_, trace = one["time"][:SAMPLES], one["values"][:, :SAMPLES]
    step = float(time_[1] - time_[0])
    distance = np.linalg.norm(plan.placements[:, :3, 3] - plan.placements[0, :3, 3], axis=1)
    shift = (distance / distance.max() * 0.6 * SAMPLES).astype(int) if n > 1 else [0]
    cells = [{"name": f"cell{i}", "compartments": cell["compartments"], "sections": sec,
              "placement": plan.placements[i]} for i in range(n)]
    values = np.concatenate([np.roll(trace, s, axis=1) for s in shift])
    first = one["spikes"]["time"]
    t_spike = (first[None, :] + np.asarray(shift)[:, None] * step).ravel()
    cell_id = np.repeat(np.arange(n), len(first))
    keep = t_spike <= time_[-1]
    conn = {"pre": plan.pre, "post": plan.post, "post_section": plan.post_section,
            "post_x": plan.post_x, "delay": plan.delay, "weight": plan.weight}
    return build_simulation_document(cells, time_, values, spikes={
        "cell": cell_id[keep], "time": t_spike[keep]}, connections=conn)


CPU = {}  # label -> process CPU seconds of the last timed call


def timed(fn, label: str = ""):
    """(result, wall seconds); the process CPU seconds go to CPU[label]. On a shared machine
    CPU time (divided by the render threads for a frame) is what the work costs uncontended."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    CPU[label] = time.process_time() - cpu
    return out, time.perf_counter() - start


def import_into_fresh_scene(doc, **options):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=(640, 360), samples=16,
                                      denoise=False)
    root, seconds = timed(lambda: import_simulation_file(
        doc, scene=scene, name="bench", **options), "import")
    spike_playback.fit_timeline(root, scene)
    spike_playback.frame_simulation(root, scene)
    return scene, root, seconds


def frame_seconds(scene, folder: Path, name: str) -> float:
    """A consecutive frame as render_sequence/render_video render it (persistent data: Cycles
    keeps the synced scene and BVH), after a warm-up frame (kernels, BVH, textures)."""
    frame = (scene.frame_start + scene.frame_end) // 2
    scene.render.use_persistent_data = True
    render.render_still(scene, folder / f"{name}_warm.png", frame)
    _, seconds = timed(lambda: render.render_still(scene, folder / f"{name}.png", frame + 1),
                       "frame")
    return seconds


def main() -> None:
    quick = "--quick" in sys.argv
    n_full, n_soma = (20, 200) if quick else (100, 1000)
    with tempfile.TemporaryDirectory(prefix="bench-network-") as tmp:
        folder = Path(tmp)
        one = simulate_one(folder)
        single = {k: v for k, v in one.items() if k not in ("spikes", "connections")}
        scene, _, base_import = import_into_fresh_scene(single)
        base_frame = frame_seconds(scene, folder, "baseline")
        base_cpu = CPU["import"]
        print(f"baseline: 1 pyramid ({one['values'].shape[0]} compartments x "
              f"{SAMPLES} samples) import {base_import:.2f} s (CPU {base_cpu:.2f} s), "
              f"640x360 16-sample frame {base_frame:.2f} s (CPU {CPU['frame']:.2f} s)")

        doc = synthetic_network(one, n_full)
        scene, root, seconds = import_into_fresh_scene(doc, level="full")
        blend = render.save_blend(folder / "full.blend")
        size = blend.stat().st_size / 1e6
        import_cpu = CPU["import"]
        frame = frame_seconds(scene, folder, "full")
        print(f"{n_full} full pyramids ({doc['values'].shape[0]} compartments, "
              f"{len(doc['connections']['pre'])} connections): import {seconds:.2f} s, CPU "
              f"{import_cpu:.2f} s ({seconds / base_import:.1f}x baseline; target <= 10 s), "
              f".blend {size:.0f} MB (target <= 300), frame {frame:.2f} s, CPU "
              f"{CPU['frame']:.2f} s ({frame / base_frame:.1f}x baseline; target <= 5 s)")
        del doc, root

        doc = synthetic_network(one, n_soma)
        _, root, seconds = import_into_fresh_scene(doc)
        print(f"{n_soma} cells at {root['nb_level_of_detail']} level "
              f"({len(doc['connections']['pre'])} connections): import {seconds:.2f} s, CPU "
              f"{CPU['import']:.2f} s ({seconds / base_import:.1f}x baseline; target <= 20 s)")


if __name__ == "__main__":
    main()
