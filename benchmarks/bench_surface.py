"""Benchmark: building a 1024 x 1024 heightmap surface, and rendering a sliced frame.

NeuroBlend's builder (numpy + ``foreach_set``, geometry nodes for height scale, slicing
materials, wireframe twin, evaluated) against two baselines measured in the same run:

- a per-vertex Python loop (``bmesh``: one ``verts.new`` per vertex and one ``faces.new`` per
  cell) on a 128 x 128 grid, extrapolated linearly to 1024 x 1024 (64x the cells), compared with
  the surface mesh alone (no slicer, no wireframe);
- Blender's own grid primitive (``bpy.ops.mesh.primitive_grid_add``) + a Displace modifier
  reading the heights from an 8-bit image: the usual hand workflow (and it loses precision).

Then the render time per frame of the sliced surface (Cycles CPU, 640x360, 16 samples).

    .venv/bin/python benchmarks/bench_surface.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

N = 1024
N_LOOP = 128


def landscape(n: int) -> np.ndarray:
    y, x = np.mgrid[0:1:complex(0, n), 0:1:complex(0, n)]
    return (np.sin(9 * x) * np.cos(7 * y) + 0.3 * np.sin(31 * x * y)).astype(np.float32)


def evaluate(obj) -> int:
    import bpy

    depsgraph = bpy.context.evaluated_depsgraph_get()
    depsgraph.update()
    return len(obj.evaluated_get(depsgraph).data.vertices)


def python_loop(z: np.ndarray) -> float:
    import bmesh
    import bpy

    start = time.perf_counter()
    ny, nx = z.shape
    bm = bmesh.new()
    verts = []
    for r in range(ny):
        for c in range(nx):
            verts.append(bm.verts.new((c, ny - 1 - r, float(z[r, c]))))
    for r in range(ny - 1):
        for c in range(nx - 1):
            i = r * nx + c
            bm.faces.new((verts[i + nx], verts[i + nx + 1], verts[i + 1], verts[i]))
    mesh = bpy.data.meshes.new("loop")
    bm.to_mesh(mesh)
    bm.free()
    obj = bpy.data.objects.new("loop", mesh)
    bpy.context.scene.collection.objects.link(obj)
    evaluate(obj)
    return time.perf_counter() - start


def ops_grid_displace(z: np.ndarray, work: Path) -> float:
    import bpy
    from PIL import Image

    ny, nx = z.shape
    path = work / "heights8.png"
    scaled = (z - z.min()) / (z.max() - z.min())
    Image.fromarray(np.round(scaled * 255).astype(np.uint8)).save(path)
    start = time.perf_counter()
    bpy.ops.mesh.primitive_grid_add(x_subdivisions=nx - 1, y_subdivisions=ny - 1, size=2.0)
    obj = bpy.context.active_object
    texture = bpy.data.textures.new("h8", "IMAGE")
    texture.image = bpy.data.images.load(str(path))
    modifier = obj.modifiers.new("Displace", "DISPLACE")
    modifier.texture = texture
    modifier.texture_coords = "UV"
    evaluate(obj)
    return time.perf_counter() - start


def main() -> int:
    import bpy

    from neuroblend.blender.core import render, studio
    from neuroblend.blender.surface import mesh as surface
    from neuroblend.blender.surface import slicer
    from neuroblend.surface.heightmap import make_heightmap

    work = Path(tempfile.mkdtemp(prefix="bench_surface_"))
    z = landscape(N)
    doc = make_heightmap(z, extent=(-1, 1, -1, 1))

    bpy.ops.wm.read_factory_settings(use_empty=True)
    loop_s = python_loop(landscape(N_LOOP))
    loop_1024 = loop_s * (N - 1) ** 2 / (N_LOOP - 1) ** 2

    bpy.ops.wm.read_factory_settings(use_empty=True)
    ops_s = ops_grid_displace(z, work)

    bpy.ops.wm.read_factory_settings(use_empty=True)
    start = time.perf_counter()
    mesh_only = surface.build_surface(doc)
    evaluate(mesh_only)
    mesh_s = time.perf_counter() - start

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(resolution=(640, 360), samples=16)
    start = time.perf_counter()
    obj = slicer.build_sliced_surface(doc)
    n_vertices = evaluate(obj)
    wire_vertices = evaluate(obj["nb_wire"])
    build_s = time.perf_counter() - start

    slicer.frame_surface_camera(obj, scene)
    slicer.animate_slice(obj, 1, 3)
    times = []
    for frame in (1, 2):
        start = time.perf_counter()
        render.render_still(scene, work / f"frame_{frame}.png", frame)
        times.append(time.perf_counter() - start)

    print(f"\n{N}x{N} heightmap ({n_vertices:,} vertices; wireframe twin {wire_vertices:,}):")
    print(f"  NeuroBlend build (mesh + slicer + wireframe, evaluated): {build_s:6.2f} s"
          f"  {'OK' if build_s < 3.0 else 'OVER'} (target < 3 s)")
    print(f"  NeuroBlend surface mesh alone (evaluated):               {mesh_s:6.2f} s")
    print(f"  per-vertex Python loop, {N_LOOP}x{N_LOOP}: {loop_s:.2f} s -> extrapolated to "
          f"{N}x{N}: {loop_1024:6.1f} s  ({loop_1024 / mesh_s:.1f}x the mesh alone)")
    print(f"  bpy.ops grid + Displace (8-bit image, inexact): {ops_s:6.2f} s  "
          f"({ops_s / build_s:.2f}x NeuroBlend's time)")
    print(f"render 640x360, 16 samples, Cycles CPU: first frame {times[0]:.1f} s "
          f"(includes scene sync), next frame {times[1]:.1f} s")
    print(f"frames in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
