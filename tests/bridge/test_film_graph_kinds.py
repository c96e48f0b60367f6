"""Storyboard network and graph kinds without Blender: validation, inheritance, the graph clip."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from neuroblend.errors import NeuroBlendError
from neuroblend.film import load_storyboard

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import graph_fixtures as fx  # noqa: E402
from storyboards import problems_of, write  # noqa: E402

GRAPH = """\
[[timeline]]
name = "net"
shot = "graph"
data = "net.pkl"
clock = [[0, 0], [2, 20]]
"""


def test_a_graph_clip_inherits_its_graph_shots_layout_and_looks_down_y(tmp_path):
    board = load_storyboard(write(tmp_path, GRAPH + """\
        look = { rearrange = [5, 15], stagger = 0.2, edges = 0.0, colormap = "viridis" }

        [[timeline]]
        name = "flat"
        clip = "graph"
        clock = "net"
        options = { halo = false }
    """))
    clip, shot = board.item("flat"), board.item("net")
    assert clip.spec["data"] == tmp_path / "net.pkl"
    assert clip.spec["options"] == {"rearrange": [5, 15], "stagger": 0.2, "edges": 0.0,
                                    "cmap": "viridis", "halo": False}
    assert shot.spec["view"] == (0.0, -1.0, 0.0) and shot.duration == 2


def test_graph_options_are_checked_with_their_paths(tmp_path):
    message = problems_of(tmp_path, GRAPH + """\
        look = { rearrange = [15, 5], stagger = 1.0, edges = 2, depth = 0, edge_color = [1, 2] }

        [[timeline]]
        name = "flat"
        clip = "graph"
        clock = [[0, 0], [1, 3]]
        data = "net.pkl"
        options = { spin = true }
    """)
    for expected in (
            "timeline[0].look.rearrange: 15 5: expected [START, END] model steps with END "
            "after START", "timeline[0].look.stagger: 1.0: expected a number 0..1 (excluding 1)",
            "timeline[0].look.edges: 2: expected a number 0..1", "timeline[0].look.depth: 0: "
            "expected a whole number 1..1000", "timeline[0].look.edge_color: [1, 2]: expected [R, G, B] in 0..1",
            "timeline[1].options.spin: unknown key (valid: cmap, edge_color, halo, rearrange,",
            "timeline[1].options.rearrange: a graph needs rearrange = [START, END]"):
        assert expected in message
    assert message.startswith("7 problems")


def test_network_shots_take_a_level_of_detail_and_clips_need_their_format(tmp_path):
    message = problems_of(tmp_path, """\
        [[timeline]]
        name = "cells"
        shot = "network"
        data = "sim.pkl"
        look = { lod = "tiny" }
        clock = [[0, 0], [1, 10]]

        [[timeline]]
        clip = "graph"
        clock = "cells"
        options = { rearrange = [0, 4] }
    """)
    assert "timeline[0].look.lod: 'tiny' is not one of: auto, full, simplified, soma" in message
    assert "timeline[1].data: a graph clip draws a neuroblend.network file but shot 'cells' " \
        "shows a neuroblend.simulation file: give the clip's data" in message
    board = load_storyboard(write(tmp_path, """\
        [[timeline]]
        shot = "network"
        data = "sim.pkl"
        look = { lod = "soma" }
        camera = { preset = "dolly", end = 1 }
    """))
    assert board.items[0].spec["look"] == {"lod": "soma"}


def test_a_graph_clip_frame_shows_the_step_its_clock_gives(tmp_path):
    from neuroblend.clips.graph import GraphAnimator
    from neuroblend.film.clip_render import render_graph
    from neuroblend.film.graph_options import graph_options
    from neuroblend.graph.model import build_graph

    doc = fx.small_network()
    options = {"rearrange": [5, 15], "edges": 0.0, "cmap": "viridis", "halo": False}
    seen = []
    render_graph(doc, options, [0.0, 0.0, 10.0, 15.0, 40.0], (160, 90), tmp_path / "g",
                 seen.append)
    frames = [np.asarray(Image.open(p).convert("RGB")).astype(int)
              for p in sorted((tmp_path / "g").glob("frame_*.png"))]
    assert len(frames) == 5 and seen[2] == "clip frame at step 10.00"
    assert np.array_equal(frames[0], frames[1])
    graph = build_graph(doc, graph_options(options))
    project = GraphAnimator(graph, (160, 90)).project
    for frame, step in ((frames[0], 0.0), (frames[3], 15.0), (frames[4], 40.0)):
        found = fx.blob_centroids(frame.max(axis=2) > 40)
        assert fx.match_error(found, project(graph.positions_at(step))) < 1.5
    layered = project(graph.layered)
    assert fx.match_error(fx.blob_centroids(frames[4].max(axis=2) > 40), layered) < 1.5


def test_a_shot_of_the_wrong_format_fails_before_anything_renders(tmp_path):
    import network_docs

    from neuroblend.files.fileformat import save_document
    from neuroblend.film import Film

    save_document(network_docs.toy_network(), tmp_path / "sim.pkl")
    film = Film(base=tmp_path).shot("g", "graph", data="sim.pkl", look={"rearrange": [0, 5]},
                                    clock=[[0, 0], [1, 5]])
    with pytest.raises(NeuroBlendError, match=r"timeline\[0\].data \(g\): .*sim.pkl.* is a "
                       r"neuroblend.simulation file, but a neuroblend.network file is needed"):
        film.build(tmp_path / "g.mp4")
    assert not (tmp_path / "g.mp4").exists()
