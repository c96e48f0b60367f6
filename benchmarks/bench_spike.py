"""Spike playback benchmark: import time, frame-change cost, .blend size (20 x pyramid.nrn).

    .venv/bin/python benchmarks/bench_spike.py

Simulates NEURON's pyramid.nrn once (50 ms, 2,001 samples), copies the cell 20 times (1,580
sections) and measures, in one run:
- import time of 20 cells (short and 2,000-sample recordings): bake + meshes + material;
- ``scene.frame_set`` cost with the baked playback, for 1 and 20 cells, against the usual
  baseline: a per-frame Python handler that recolours every vertex (numpy + foreach_set);
- the size of the saved, compressed .blend for 20 cells x 2,000 samples (data included).
Targets: import < 5 s, frame_set < 5 ms and flat in cell count, .blend < 50 MB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bpy
import numpy as np

from neuroblend.blender.core import render
from neuroblend.blender.spike import neuron_mesh
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.files.fileformat import load_document
from neuroblend.simulation.demo_cell import pyramid_path
from neuroblend.simulation.simulation_build import build_simulation_document

N_CELLS = 20


def simulate_pyramid(folder: Path) -> dict:
    """2,001-sample recording of pyramid.nrn (NEURON runs in its own process)."""
    out = folder / "pyramid.pkl"
    subprocess.run([sys.executable, "-m", "neuroblend", "simulate", str(pyramid_path()), "--trust-code",
                    "--out", str(out), "--tstop", "50", "--sample-every", "0.025"],
                   check=True, capture_output=True)
    return load_document(out)


def copies(doc: dict, n: int, samples: int | None = None) -> dict:
    """``n`` copies of the document's first cell on a grid, each with shifted activity."""
    cell = doc["cells"][0]
    sec = cell["sections"]
    values = doc["values"][:, :samples] if samples else doc["values"]
    time_ = doc["time"][:values.shape[1]]
    cells, blocks = [], []
    for i in range(n):
        offset = np.array([300.0 * (i % 5), 0.0, 300.0 * (i // 5)], dtype=np.float32)
        cells.append({"name": f"pyramid{i:02d}", "compartments": cell["compartments"],
                      "sections": {**sec, "points": sec["points"] + offset}})
        blocks.append(np.roll(values, 7 * i, axis=1))
    return build_simulation_document(cells, time_, np.concatenate(blocks))


def fresh_scene():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    return bpy.context.scene


def timed_import(doc: dict) -> tuple[float, object]:
    scene = fresh_scene()
    start = time.perf_counter()
    root = spike_playback.import_simulation(doc, scene=scene, name="bench")
    bpy.context.view_layer.update()  # evaluate modifiers/drivers once, as the viewport would
    return time.perf_counter() - start, root


def frame_set_ms(scene, frames: int = 200) -> float:
    scene.frame_set(1)
    start = time.perf_counter()
    for f in range(2, frames + 2):
        scene.frame_set(f)
    return (time.perf_counter() - start) / frames * 1000


def add_python_recolour_handler(doc: dict, root):
    """Baseline: recolour every vertex in Python on each frame change (BlenderSpike-like)."""
    values = doc["values"]
    cells = spike_playback.cell_objects(root)
    rows = {}
    for obj in cells:
        r = np.zeros(len(obj.data.vertices), dtype=np.int32)
        obj.data.attributes[neuron_mesh.ROW_ATTRIBUTE].data.foreach_get("value", r)
        rows[obj.name] = r
        obj.data.attributes.new("baseline_value", "FLOAT", "POINT")

    def recolour(scene, _depsgraph=None):
        column = values[:, min(scene.frame_current, values.shape[1] - 1)]
        for obj in cells:
            obj.data.attributes["baseline_value"].data.foreach_set("value", column[rows[obj.name]])
            obj.data.update()

    bpy.app.handlers.frame_change_pre.append(recolour)
    return recolour


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("simulating pyramid.nrn (50 ms, 2,001 samples)...", flush=True)
        base = simulate_pyramid(folder)
        n_sec = len(base["cells"][0]["sections"]["name"])
        short = copies(base, N_CELLS, samples=200)
        long = copies(base, N_CELLS)
        one = copies(base, 1)
        print(f"{N_CELLS} cells: {N_CELLS * n_sec} sections, {short['values'].shape[0]} "
              f"compartments; {long['values'].shape[1]} samples in the long recording\n")

        t_short, _ = timed_import(short)
        t_long, root = timed_import(long)
        n_vertices = sum(len(o.data.vertices) for o in spike_playback.cell_objects(root))
        print(f"import 20 cells, 200 samples:   {t_short:6.2f} s   (target < 5 s)")
        print(f"import 20 cells, 2,001 samples: {t_long:6.2f} s   (target < 5 s; "
              f"{n_vertices:,} vertices)")

        scene = bpy.context.scene
        baked_20 = frame_set_ms(scene)
        blend = render.save_blend(folder / "bench.blend")
        size_mb = blend.stat().st_size / 1e6
        raw_mb = long["values"].nbytes / 1e6
        handler = add_python_recolour_handler(long, root)
        python_20 = frame_set_ms(scene)
        bpy.app.handlers.frame_change_pre.remove(handler)

        _, root1 = timed_import(one)
        baked_1 = frame_set_ms(bpy.context.scene)
        handler = add_python_recolour_handler(one, root1)
        python_1 = frame_set_ms(bpy.context.scene)
        bpy.app.handlers.frame_change_pre.remove(handler)

        print("\nframe_set cost (ms per frame change, mean of 200):")
        print(f"  baked playback (no Python)   1 cell: {baked_1:7.3f}   20 cells: {baked_20:7.3f}"
              f"   ratio 20/1: {baked_20 / baked_1:5.2f}   (target < 5 ms, flat)")
        print(f"  baseline: Python per frame   1 cell: {python_1:7.3f}   20 cells: {python_20:7.3f}"
              f"   ratio 20/1: {python_20 / python_1:5.2f}")
        print(f"  baked vs baseline at 20 cells: {python_20 / baked_20:5.1f}x less time per frame")
        print(f"\n.blend for 20 cells x 2,001 samples: {size_mb:6.1f} MB   (target < 50 MB; "
              f"raw float32 values alone are {raw_mb:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
