"""Benchmark: importing 10 atlas regions (~200k triangles) into Blender.

Compares NeuroBlend's import (numpy + foreach_set from a neuroblend.atlas file) with Blender's own
OBJ importer (``bpy.ops.wm.obj_import``) on the same meshes, measured in the same run.

    .venv/bin/python benchmarks/bench_atlas.py
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import atlas_fixtures as fx  # noqa: E402

N_REGIONS = 10
N_LAT = N_LON = 100  # 19,800 triangles per region


def extra_regions() -> dict:
    rng = np.random.default_rng(7)
    regions = {}
    for k in range(N_REGIONS):
        centre = tuple(float(v) for v in rng.uniform([800, 600, 800], [3200, 2400, 4200]))
        regions[100 + k] = (f"R{k}", 997, [(centre, (300.0, 250.0, 280.0))])
    return regions


@contextlib.contextmanager
def quiet_stdout():
    """Silence Blender's C++ prints (the OBJ importer logs every file)."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def best_of(fn, repeats: int = 3) -> float:
    """Fastest of ``repeats`` runs of ``fn``, each into a fresh empty scene (reset not timed)."""
    import bpy

    times = []
    for _ in range(repeats):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    import bpy

    from neuroblend.atlas import atlas_export
    from neuroblend.atlas import brainglobe as atlas
    from neuroblend.blender.atlas import atlas_import
    from neuroblend.files.fileformat import save_document

    work = Path(tempfile.mkdtemp(prefix="bench_atlas_"))
    start = time.perf_counter()
    name = fx.build_synthetic_atlas(work, n_lat=N_LAT, n_lon=N_LON,
                                    extra_regions=extra_regions())
    print(f"synthetic atlas built in {time.perf_counter() - start:.1f} s")
    acronyms = [f"R{k}" for k in range(N_REGIONS)]

    found = atlas.open_atlas(name, work)
    start = time.perf_counter()
    doc, _ = atlas_export.export_regions(found, acronyms)
    export_s = time.perf_counter() - start
    n_tris = sum(len(r["faces"]) for r in doc["regions"])
    path = work / "regions.pkl"
    save_document(doc, path)

    obj_dir = work / "obj"
    obj_dir.mkdir()
    for region in doc["regions"]:  # the same Blender-frame meshes, as OBJ for the baseline
        v, f = region["vertices"], region["faces"] + 1
        text = "".join(f"v {x:.6f} {y:.6f} {z:.6f}\n" for x, y, z in v)
        text += "".join(f"f {a} {b} {c}\n" for a, b, c in f)
        (obj_dir / f"{region['acronym']}.obj").write_text(text)

    def neuroblend_import():
        atlas_import.import_atlas_file(path)

    def obj_import():
        with quiet_stdout():
            for file in sorted(obj_dir.glob("*.obj")):
                bpy.ops.wm.obj_import(filepath=str(file), forward_axis="Y", up_axis="Z")

    def count_triangles():
        return sum(len(o.data.polygons) for o in bpy.data.objects if o.type == "MESH")

    ours = best_of(neuroblend_import)
    ours_tris = count_triangles()
    baseline = best_of(obj_import)
    baseline_tris = count_triangles()
    assert ours_tris == baseline_tris == n_tris, (ours_tris, baseline_tris, n_tris)
    print(f"{N_REGIONS} regions, {n_tris:,} triangles")
    print(f"bridge export (Draco decode + Blender frame + winding): {export_s:.3f} s")
    print(f"NeuroBlend import from file (numpy + foreach_set):      {ours:.3f} s")
    print(f"baseline: Blender OBJ import operator, same meshes:     {baseline:.3f} s")
    print(f"speed-up vs OBJ import: {baseline / ours:.1f}x; "
          f"target < 2 s: {'met' if ours < 2.0 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
