"""Render a branching network as a graph whose neurons fly into their layers.

``neuroblend render network NET.pkl --rearrange START-END [--frames A-B] [--edges DENSITY] ...``

Frame N shows what frame N of ``neuroblend clip network --layout graph`` shows, given the same
graph options.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bpy

from neuroblend.argtypes import finite_float, rgb_color
from neuroblend.blender.core import render, studio
from neuroblend.blender.graph import scene as graph_scene
from neuroblend.graph.options import add_graph_arguments, graph_options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuroblend render network",
        description="Render a neuroblend.network file as glowing neurons coloured by activity "
                    "that fly from shuffled places into their layers, edges attached.")
    parser.add_argument("input", type=Path, help="neuroblend.network file (.pkl)")
    add_graph_arguments(parser, rearrange_required=True)
    look = parser.add_argument_group("look")
    look.add_argument("--colormap", default="inferno", help="matplotlib colormap name")
    look.add_argument("--brightness", type=finite_float, default=1.0, help="emission at rest")
    look.add_argument("--glow", type=finite_float, default=4.0, help="extra emission at full activity")
    look.add_argument("--edge-color", type=rgb_color, default=(0.35, 0.55, 1.0), metavar="R,G,B")
    look.add_argument("--edge-strength", type=finite_float, default=graph_scene.GraphLook.edge_strength,
                      help="edge emission strength")
    look.add_argument("--bloom", action=argparse.BooleanOptionalAction, default=True,
                      help="compositor glow around bright neurons")
    render.add_render_arguments(parser)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    options = graph_options(args)
    doc = graph_scene.load_network(args.input)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(bpy.context.scene, bloom=args.bloom)
    look = graph_scene.GraphLook(colormap=args.colormap, brightness=args.brightness,
                                 glow=args.glow, edge_color=args.edge_color,
                                 edge_strength=args.edge_strength)
    _root, graph = graph_scene.import_network_graph(doc, options, look=look, scene=scene,
                                                    name=args.input.stem)
    graph_scene.frame_graph(graph, scene)
    render.apply_render_arguments(scene, args)
    scene.frame_start, scene.frame_end = args.frames or (options.start_frame, graph.last_frame())
    written = render.render_outputs(scene, args, default_frame=options.rearrange.end)
    for kind, paths in written.items():
        for path in paths if isinstance(paths, list) else [paths]:
            print(f"{kind}: {path}")
    return 0
