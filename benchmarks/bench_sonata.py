"""Benchmark: `neuroblend import sonata` at scale, against a baseline measured in the same run
(libsonata alone reading the same report window, MorphIO alone reading the same morphologies).

1. 10,000 point nodes (shown as somata, --points) with a soma report of 10,000 frames:
   target under 30 s and 2 GB peak.
2. 200 different morphologies (generated SWC cells) with a report of every segment:
   import, then the Blender scene build (`render spike --no-render`): target under 60 s.
3. Report memory: peak RSS of the import above the CLI's own start-up, as a multiple of the
   window's size (the values it keeps): target below 2x.

    .venv/bin/python benchmarks/bench_sonata.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bridge"), str(ROOT / "tests")]

import sonata_fixtures as sf  # noqa: E402
from cli_runner import run_cli  # noqa: E402
from swc_generator import generate_cell  # noqa: E402

BASELINE = """
import sys, time, resource
import numpy as np
import libsonata
t = time.perf_counter()
pop = libsonata.ElementReportReader(sys.argv[1])[sys.argv[2]]
frame = pop.get()
data = np.asarray(frame.data)
morphs = sys.argv[3:]
if morphs:
    import morphio
    for m in morphs:
        morphio.Morphology(m)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
      data.nbytes / 1e6)
"""


def _configs(folder: Path, n_nodes: int, model: str, morphologies: list[str]) -> Path:
    circuit = {"components": {"morphologies_dir": str(folder / "morphologies")},
               "networks": {"nodes": [{"nodes_file": str(folder / "nodes.h5"),
                                       "node_types_file": str(folder / "types.csv")}],
                            "edges": []}}
    (folder / "types.csv").write_text(f"node_type_id model_type\n1 {model}\n")
    rng = np.random.default_rng(0)
    group = {k: list(rng.uniform(0, 2000, n_nodes)) for k in "xyz"}
    if morphologies:
        group["morphology"] = morphologies
    sf._write_h5_nodes(folder / "nodes.h5", "net", [1] * n_nodes, group)
    sim = {"network": str(folder / "circuit.json"),
           "output": {"output_dir": str(folder / "out")},
           "reports": {"v": {"cells": "all", "variable_name": "v", "sections": "all",
                             "module": "membrane_report"}}}
    (folder / "circuit.json").write_text(json.dumps(circuit))
    config = folder / "simulation_config.json"
    config.write_text(json.dumps(sim))
    (folder / "out").mkdir()
    return config


def _write_report(path: Path, ids: list, pos: list, n_frames: int) -> float:
    """A report of ``n_frames`` frames written in slabs (never whole in memory); its MB."""
    import h5py

    counts = [len(e) for e in ids]
    n_cols = int(sum(counts))
    with h5py.File(path, "w") as f:
        g = f.create_group("report/net")
        m = g.create_group("mapping")
        m["node_ids"] = np.arange(len(ids), dtype=np.uint64)
        m["index_pointers"] = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
        m["element_ids"] = np.concatenate(ids).astype(np.uint32)
        m["element_pos"] = np.concatenate(pos)
        m["time"] = np.array([0.0, 0.1 * n_frames, 0.1])
        m["time"].attrs["units"] = "ms"
        data = g.create_dataset("data", shape=(n_frames, n_cols), dtype=np.float32)
        data.attrs["units"] = "mV"
        rng = np.random.default_rng(1)
        step = max(1, 50_000_000 // n_cols)
        for start in range(0, n_frames, step):
            stop = min(n_frames, start + step)
            data[start:stop] = rng.normal(-65, 5, (stop - start, n_cols)).astype(np.float32)
    return n_frames * n_cols * 4 / 1e6


def _baseline(report: Path, morphs: list[Path], work: Path):
    import subprocess

    script = work / "baseline.py"
    script.write_text(BASELINE)
    out = subprocess.run([sys.executable, str(script), str(report), "net",
                          *map(str, morphs)], capture_output=True, text=True, check=True)
    seconds, rss, mb = (float(v) for v in out.stdout.split())
    return seconds, rss, mb


def soma_level(work: Path, n_nodes: int, n_frames: int) -> None:
    config = _configs(work, n_nodes, "point_process", [])
    mb = _write_report(work / "out" / "v.h5", [[0]] * n_nodes, [[0.5]] * n_nodes, n_frames)
    base_s, base_rss, _ = _baseline(work / "out" / "v.h5", [], work)
    idle = run_cli(["import", "sonata", "missing.json", "--out", "x.pkl"], work, timeout=60,
                   address_space=None)
    run = run_cli(["import", "sonata", str(config), "--out", "soma.pkl", "--points"], work,
                  timeout=600, address_space=None)
    assert run.returncode == 0, run.stderr[-2000:]
    print(f"1. {n_nodes} nodes x {n_frames} frames soma report ({mb:.0f} MB window)")
    print(f"   import: {run.seconds:.1f} s, peak {run.peak_rss_mb:.0f} MB "
          f"(target < 30 s, < 2048 MB)")
    print(f"   baseline libsonata read of the whole report: {base_s:.1f} s, peak "
          f"{base_rss:.0f} MB -> import/baseline time {run.seconds / base_s:.2f}x")
    extra = run.peak_rss_mb - idle.peak_rss_mb
    print(f"3. report memory: peak above CLI start-up ({idle.peak_rss_mb:.0f} MB) "
          f"{extra:.0f} MB = {extra / mb:.2f}x the window (target < 2x)")
    windowed = run_cli(["import", "sonata", str(config), "--out", "half.pkl", "--points",
                        "--time-window", "0", str(0.05 * n_frames)], work, timeout=600,
                       address_space=None)
    extra = windowed.peak_rss_mb - idle.peak_rss_mb
    print(f"   half the frames (--time-window): {windowed.seconds:.1f} s, "
          f"{extra:.0f} MB above start-up = {extra / (mb / 2):.2f}x its window")


def morphologies(work: Path, n_cells: int, n_frames: int, build: bool) -> None:
    from neuroblend.sonata.morphologies import load_morphology

    (work / "morphologies").mkdir()
    names, ids, pos, paths = [], [], [], []
    for k in range(n_cells):
        path = work / "morphologies" / f"cell{k}.swc"
        path.write_text(generate_cell(k, max_order=4, axon_points=80))
        sections = load_morphology(path).sections
        nseg = [1 + 2 * int(_length(p) / 40.0) for p in sections["points"]]
        ids.append(np.repeat(np.arange(len(nseg)), nseg))
        pos.append(np.concatenate([(np.arange(n) + 0.5) / n for n in nseg]))
        names.append(f"cell{k}")
        paths.append(path)
    config = _configs(work, n_cells, "biophysical", names)
    mb = _write_report(work / "out" / "v.h5", ids, pos, n_frames)
    base_s, _, _ = _baseline(work / "out" / "v.h5", paths, work)
    run = run_cli(["import", "sonata", str(config), "--out", "cells.pkl"], work, timeout=600,
                  address_space=None)
    assert run.returncode == 0, run.stderr[-2000:]
    n_comp = sum(len(i) for i in ids)
    print(f"2. {n_cells} morphologies, {n_comp} compartments x {n_frames} frames ({mb:.0f} MB)")
    print(f"   import: {run.seconds:.1f} s, peak {run.peak_rss_mb:.0f} MB; baseline MorphIO + "
          f"libsonata alone {base_s:.1f} s -> {run.seconds / base_s:.2f}x")
    if build:
        started = time.perf_counter()
        scene = run_cli(["render", "spike", "cells.pkl", "--out", "r", "--no-render",
                         "--save-blend", "cells.blend"], work, timeout=900, address_space=None)
        assert scene.returncode == 0, scene.stderr[-2000:]
        total = run.seconds + time.perf_counter() - started
        print(f"   scene build (render spike --no-render): {scene.seconds:.1f} s, peak "
              f"{scene.peak_rss_mb:.0f} MB; import + build {total:.1f} s (target < 60 s)")


def _length(points: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--no-build", action="store_true", help="skip the Blender scene build")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a").mkdir()
        soma_level(Path(tmp) / "a", 10_000 // scale, 10_000 // scale)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "b").mkdir()
        morphologies(Path(tmp) / "b", 200 // scale, 1000, not args.no_build)


if __name__ == "__main__":
    main()
