"""A graph frame against a static frame of the same spheres, rendered in the same run.

    .venv/bin/python benchmarks/bench_graph_frame.py [--resolution 640x360] [--samples 16]

The network of ``bench_graph.py`` (10 x 100 neurons, 2,000 edges) is built twice, in two scenes
set up as ``neuroblend render network`` sets its scene up (Cycles CPU, no denoiser, bloom):
- **graph**: the rearranging graph as rendered: the morph keyed, activity played by the baked
  material, frames before, during and after the move;
- **static** (baseline): the same spheres and edges, nothing animated (the morph held half-way,
  plain emission materials).
Each scene renders its frames in its own Blender process (persistent data on, as in every render
job; the first frame, which syncs everything, is not counted); the processes alternate for
``--rounds`` rounds so machine load hits both alike. The figure is the median ratio of graph to
static s/frame, frame by frame. (One process holding several scenes pays a full re-sync on every
switch of scene, about 2 s here, whatever the scene: not a fair baseline.)
Target: at most 1.5x.

Measured (2 shared cores, bpy 5.0.1, 3 rounds, 18 frames each): graph 1.14 s/frame = x1.07
static (1.01 s); mid-move frames up to x1.46 (the morph re-evaluates the geometry and Cycles
rebuilds its BVH), settled frames x0.9; static spheres without the edges 0.32 s (x0.31: the
2,000 edge tubes are most of the ray work); the graph with the denoiser 3.32 s (x3.19). At 1
sample: graph 0.29 against static 0.16 s/frame, and the denoiser alone adds a fixed ~2.3 s a
frame: it was most of a graph frame's cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bpy
from bench_graph import END, START, network

from neuroblend.blender.core import compat, render, studio
from neuroblend.blender.core.node_build import add_node
from neuroblend.blender.graph import scene as graph_scene
from neuroblend.graph.model import GraphOptions
from neuroblend.graph.motion import Rearrange

FRAMES = (20, 45, 60, 75, 120, 150)  # before, during (3) and after the move, then activity only


KINDS = {  # name -> build options
    "graph": {},
    "static": {"static": True},
    "static spheres": {"static": True, "edges": False},
    "graph, denoised": {"denoise": True},
}


def build(doc, resolution, samples: int, *, static: bool = False, edges: bool = True,
          denoise: bool = False):
    """The scene holding the graph (static: nothing animated, plain emission)."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=resolution, samples=samples,
                                      denoise=denoise)
    options = GraphOptions(Rearrange(START, END), density=None if edges else 0.0)
    root, graph = graph_scene.import_network_graph(doc, options, scene=scene, name="bench")
    graph_scene.frame_graph(graph, scene)
    scene.render.use_persistent_data = True
    if static:
        obj = graph_scene.graph_object(root)
        obj.animation_data_clear()
        compat.set_modifier_input(obj.modifiers[graph_scene.MODIFIER], "Factor", 0.5)
        for material in obj.data.materials:
            tree = material.node_tree
            glow = add_node(tree, "ShaderNodeEmission", (1600, -400), "Static")
            glow.inputs["Color"].default_value = (0.6, 0.25, 0.1, 1.0)
            out = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeOutputMaterial")
            tree.links.new(glow.outputs[0], out.inputs["Surface"])
    return scene


def render_kind(kind: str, resolution, samples: int) -> list[float]:
    """s per frame of ``FRAMES`` for one kind of scene (run in its own process)."""
    scene = build(network(), resolution, samples, **KINDS[kind])
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for frame in (FRAMES[0], *FRAMES):
            scene.frame_set(frame)
            t0 = time.perf_counter()
            render.render_still(scene, Path(tmp) / f"frame_{frame}.png")
            seconds.append(time.perf_counter() - t0)
    return seconds[1:]


def run_kind(kind: str, args) -> list[float]:
    out = subprocess.run([sys.executable, __file__, "--kind", kind, "--resolution",
                          args.resolution, "--samples", str(args.samples)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", default="640x360")
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--kind", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    resolution = tuple(int(v) for v in args.resolution.split("x"))
    if args.kind:
        print(json.dumps(render_kind(args.kind, resolution, args.samples)))
        return
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for _ in range(args.rounds):
        for kind in KINDS:
            times[kind] += run_kind(kind, args)
    print(f"10 x 100 neurons, 2,000 edges, {args.resolution}, {args.samples} samples, Cycles CPU, "
          f"frames {', '.join(map(str, FRAMES))} (move {START}-{END}), {args.rounds} rounds")
    base = times["static"]
    for kind, values in times.items():
        ratio = statistics.median(a / b for a, b in zip(values, base, strict=True))
        print(f"{kind:16} median {statistics.median(values):6.2f} s/frame   x{ratio:.2f} static   "
              f"({' '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
