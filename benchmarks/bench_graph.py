"""Rearranging network graph: build time and s/frame for 10 x 100 neurons with 2,000 edges.

    .venv/bin/python benchmarks/bench_graph.py [--resolution 640x360] [--samples 16] [--frames 3]

Ours (Blender): one mesh + the "NB Graph Morph" geometry-nodes modifier, one keyframed factor,
activity baked into a packed image. Baseline (same run): the usual per-object build, one sphere
object per neuron with its own location keyframes (no edges, no stagger: a lower bound on that
approach). Figures: build time, frame change (depsgraph evaluation) and Cycles render s/frame.
Clips: the graph clip against the grid clip (`clip network`, pcolormesh) on the same data.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from neuroblend.clips.network import NetworkAnimator
from neuroblend.graph.branching import (
    double_exponential_kernel,
    simulate_branching,
    smooth_activity,
)
from neuroblend.graph.edges import connection_count, edges_record
from neuroblend.graph.model import GraphOptions, build_graph
from neuroblend.graph.motion import Rearrange
from neuroblend.network.network_file import build_network_document

LAYERS, NEURONS, EDGES, STEPS = 10, 100, 2000, 300
START, END = 30, 90
MOVE_FRAMES = (1, 45, 60, 75, 120)


def network() -> dict:
    model = {"layers": LAYERS, "neurons": NEURONS, "sigma": 1.0, "p_spont": 0.02,
             "steps": STEPS, "seed": 0}
    density = EDGES / connection_count(LAYERS, NEURONS)
    return build_network_document(simulate_branching(**model), model,
                                  double_exponential_kernel(1.0, 6.0), 1.0, 6.0,
                                  edges=edges_record(LAYERS, NEURONS, density, 0))


def _timed(func, *args, **kwargs):
    t0 = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - t0


def build_ours(doc, scene):
    from neuroblend.blender.graph import scene as graph_scene

    root, graph = graph_scene.import_network_graph(doc, GraphOptions(Rearrange(START, END)),
                                                   scene=scene, name="bench")
    graph_scene.frame_graph(graph, scene)
    return graph


def build_per_object(graph, scene):
    """One sphere object per neuron, location keyed at START (shuffled) and END (layered)."""
    import bmesh
    import bpy

    mesh = bpy.data.meshes.new("bench sphere")
    bm = bmesh.new()
    bmesh.ops.create_icosphere(bm, subdivisions=3, radius=graph.radius)
    bm.to_mesh(mesh)
    bm.free()
    for k in range(len(graph.layered)):
        obj = bpy.data.objects.new(f"neuron {k}", mesh)
        scene.collection.objects.link(obj)
        obj.location = graph.shuffled[k]
        obj.keyframe_insert("location", frame=START)
        obj.location = graph.layered[k]
        obj.keyframe_insert("location", frame=END)


def frame_costs(scene, out: Path, samples: int, render_frames: int) -> tuple[float, float]:
    """(s per frame change, s per rendered frame)."""
    from neuroblend.blender.core import render

    t0 = time.perf_counter()
    for frame in MOVE_FRAMES:
        scene.frame_set(frame)
        scene.view_layers[0].depsgraph.update()
    change = (time.perf_counter() - t0) / len(MOVE_FRAMES)
    scene.cycles.samples = samples
    t0 = time.perf_counter()
    for frame in MOVE_FRAMES[1:1 + render_frames]:
        render.render_still(scene, out / f"frame_{frame}.png", frame=frame)
    return change, (time.perf_counter() - t0) / render_frames


def blender_figures(doc, resolution, samples: int, render_frames: int) -> dict:
    import bpy

    from neuroblend.blender.core import studio

    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("ours", "per-object"):
            bpy.ops.wm.read_factory_settings(use_empty=True)
            scene = studio.setup_studio_scene(bpy.context.scene, resolution=resolution,
                                              samples=samples)
            if name == "ours":
                graph, build = _timed(build_ours, doc, scene)
            else:
                graph = build_graph(doc, GraphOptions(Rearrange(START, END)))
                _, build = _timed(build_per_object, graph, scene)
                studio.frame_camera(*graph.bounds(), scene, view=(0.0, -1.0, 0.0))
            change, per_frame = frame_costs(scene, Path(tmp), samples, render_frames)
            figures[name] = (build, change, per_frame)
    return figures


def clip_figures(doc, frames: int) -> dict:
    from neuroblend.clips.graph import GraphAnimator

    graph = build_graph(doc, GraphOptions(Rearrange(START, END)))
    smoothed = smooth_activity(doc["active"], doc["kernel"]["values"])
    out = {}
    for name, animator in (("graph clip", GraphAnimator(graph)),
                           ("grid clip (baseline)", NetworkAnimator(smoothed))):
        t0 = time.perf_counter()
        for frame in np.linspace(1, 120, frames).astype(int):
            animator.draw(frame)
        out[name] = (time.perf_counter() - t0) / frames
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", default="640x360")
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--frames", type=int, default=3, help="rendered frames per build")
    parser.add_argument("--clip-frames", type=int, default=60)
    args = parser.parse_args()
    resolution = tuple(int(v) for v in args.resolution.split("x"))
    doc = network()
    print(f"network: {LAYERS} x {NEURONS} neurons, {len(doc['edges']['pairs'])} edges, "
          f"{STEPS} steps; render {args.resolution}, {args.samples} samples, Cycles CPU")
    figures = blender_figures(doc, resolution, args.samples, args.frames)
    base = figures["per-object"]
    print(f"{'':26} {'build s':>9} {'frame change s':>15} {'render s/frame':>15}")
    for name, (build, change, per_frame) in figures.items():
        print(f"{name:26} {build:9.3f} {change:15.4f} {per_frame:15.3f}")
    ours = figures["ours"]
    print(f"ours / per-object: build x{ours[0] / base[0]:.2f}, frame change "
          f"x{ours[1] / base[1]:.2f}, render x{ours[2] / base[2]:.2f}")
    clips = clip_figures(doc, args.clip_frames)
    for name, per_frame in clips.items():
        print(f"{name:26} {per_frame * 1000:9.1f} ms/frame (1280x720)")
    graph_clip, grid_clip = clips.values()
    print(f"graph clip / grid clip: x{graph_clip / grid_clip:.2f}")


if __name__ == "__main__":
    main()
