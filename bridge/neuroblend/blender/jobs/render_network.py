"""Render a branching network as a graph whose neurons fly into their layers.

Options: :class:`~neuroblend.graph.render_options.NetworkRenderOptions` (from ``neuroblend render
network NET.pkl --rearrange START-END ...``, flags in :mod:`neuroblend.cli.render_network`).

Frame N shows what frame N of ``neuroblend clip network --layout graph`` shows, given the same
graph options.
"""

from __future__ import annotations

from pathlib import Path

import bpy

from neuroblend.blender.core import render, studio
from neuroblend.blender.graph import scene as graph_scene
from neuroblend.graph.options import graph_options
from neuroblend.graph.render_options import NetworkRenderOptions
from neuroblend.job_options import options_from_argv

Options = NetworkRenderOptions


def run(args: NetworkRenderOptions) -> list[Path]:
    """Build the graph scene and render/save what ``args`` ask for; returns the files written."""
    options = graph_options(args)
    doc = graph_scene.load_network(args.input)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    # emission on black converges from anti-aliasing alone: the denoiser (OpenImageDenoise) was
    # most of a graph frame's cost (a fixed ~1-4 s a frame at 640x360, whatever the samples)
    scene = studio.setup_studio_scene(bpy.context.scene, samples=16, denoise=False,
                                      bloom=args.bloom)
    _root, graph = graph_scene.import_network_graph(doc, options, look=args.look(), scene=scene,
                                                    name=args.input.stem)
    graph_scene.frame_graph(graph, scene)
    render.apply_render_arguments(scene, args)
    scene.frame_start, scene.frame_end = args.frames or (options.start_frame, graph.last_frame())
    return render.print_outputs(
        render.render_outputs(scene, args, default_frame=options.rearrange.end))


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(NetworkRenderOptions, argv))
    return 0
