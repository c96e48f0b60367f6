"""Cell geometry benchmark (#15): vertices and build time per cell, against the builder of
before #15 measured in the same run.

    .venv/bin/python benchmarks/bench_cell_geometry.py

The baseline is ``neuron_mesh.py`` as it was at commit ``BASELINE`` (read with ``git show`` into
a temporary module, never copied into the package). Cells: NEURON's pyramid.nrn and the
synthetic projection (3 mm axon), pyramidal (CA1-like) and stellate (L2-like) reconstructions.
Build = ``build_cell_objects`` (numpy geometry, mesh, thickness modifier) at default options,
best of ``REPEATS``. Budget: at most 2x the baseline's vertices and build time.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bpy

from neuroblend.blender.spike import neuron_mesh
from neuroblend.files.fileformat import load_document
from neuroblend.simulation.demo_cell import pyramid_path
from neuroblend.spike import synthetic_cells

BASELINE = "354aeeb"
REPEATS = 5
ROOT = Path(__file__).resolve().parents[1]


def baseline_module(folder: Path):
    """The baseline neuron_mesh module, loaded from ``git show BASELINE:...``."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BASELINE}:bridge/neuroblend/blender/neuron_mesh.py"],
        check=True, capture_output=True, text=True).stdout
    for old, new in (("from neuroblend.blender import compat", "from neuroblend.blender.core import compat"),
                     ("from neuroblend.blender.node_build import", "from neuroblend.blender.core.node_build import")):
        source = source.replace(old, new)  # the baseline predates the feature folders
    path = folder / "neuron_mesh_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("neuron_mesh_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def documents(folder: Path) -> dict:
    out = folder / "pyramid.pkl"
    subprocess.run([sys.executable, "-m", "neuroblend", "simulate", str(pyramid_path()), "--trust-code",
                    "--out", str(out), "--tstop", "20", "--sample-every", "0.25"],
                   check=True, capture_output=True)
    docs = {"pyramid.nrn": load_document(out)}
    for kind in synthetic_cells.KINDS:
        docs[kind] = synthetic_cells.spiking_document((kind,), tstop=5.0)
    return docs


def measure(module, doc) -> tuple[int, float]:
    """(vertices, best build seconds) of ``module.build_cell_objects`` at default options."""
    best, vertices = float("inf"), 0
    for _ in range(REPEATS):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        start = time.perf_counter()
        objects = module.build_cell_objects(doc, module.TubeOptions())
        best = min(best, time.perf_counter() - start)
        vertices = sum(len(obj.data.vertices) for obj in objects)
    return vertices, best


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        base = baseline_module(Path(tmp))
        docs = documents(Path(tmp))
    print(f"{'cell':<14}{'base verts':>11}{'new verts':>11}{'ratio':>7}"
          f"{'base ms':>10}{'new ms':>9}{'ratio':>7}")
    worst_v = worst_t = 0.0
    for name, doc in docs.items():
        bv, bt = measure(base, doc)
        nv, nt = measure(neuron_mesh, doc)
        worst_v, worst_t = max(worst_v, nv / bv), max(worst_t, nt / bt)
        print(f"{name:<14}{bv:>11,}{nv:>11,}{nv / bv:>7.2f}{bt * 1e3:>10.1f}{nt * 1e3:>9.1f}"
              f"{nt / bt:>7.2f}")
    print(f"worst ratios: vertices {worst_v:.2f}x, build time {worst_t:.2f}x (budget 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
