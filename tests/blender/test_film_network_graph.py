"""Film shots of networks and graphs: what the output video frames show at each video time.

A network shot of three cells firing at 2, 8 and 14 ms (left to right) on a clock that holds and
then runs; a graph shot (3 layers x 4 neurons, rearranging over steps 5..15) beside a graph clip on
the same clock, both showing the same step in every frame.
"""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import numpy as np
import pytest
from film_helpers import decode
from render_check import assert_saved_shot_replays_its_clock
from spike_docs import toy_document

from neuroblend.blender.film.builders import build_shot
from neuroblend.blender.network import lod
from neuroblend.errors import NeuroBlendError
from neuroblend.files.fileformat import save_document
from neuroblend.film import Film

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import graph_fixtures as fx  # noqa: E402
import network_docs  # noqa: E402

pytest.importorskip("scipy")
LOOK = {"vmin": -75, "vmax": 30, "min_radius": 3, "time_label": False, "colorbar": False}


def shot_job(kind: str, data: Path, look: dict) -> dict:
    return {"type": "shot", "name": kind, "kind": kind, "data": str(data), "times": [0.0],
            "data_times": None, "size": [64, 36], "samples": 2, "engine": "cycles",
            "look": look, "options": {}, "camera": [], "view": [0.0, -1.0, 0.35], "out": "unused"}


def lit_third(frame: np.ndarray) -> int | None:
    """0, 1 or 2: the third of the frame (left to right) where a cell glows at the top of the
    colormap (plasma: yellow; the white pulses on the connections do not count); None if none."""
    red, green, blue = frame[..., 0], frame[..., 1], frame[..., 2]
    glow = ((red > 150) & (green > 150) & (red - blue > 40)).sum(axis=0)
    thirds = [glow[i * len(glow) // 3:(i + 1) * len(glow) // 3].sum() for i in range(3)]
    return int(np.argmax(thirds)) if max(thirds) > 3 else None


def test_a_network_frame_shows_the_cell_firing_at_the_time_its_clock_gives(tmp_path):
    save_document(network_docs.toy_network(), tmp_path / "net.pkl")
    film = (Film(base=tmp_path, size=[160, 90], fps=10, samples=4)
            .shot("cells", "network", data="net.pkl", duration=0.7, look={**LOOK, "lod": "full"},
                  clock=[[0, 2.5], [0.2, 2.5], [0.4, 8.5], [0.6, 14.5]]))
    film.build(tmp_path / "net.mp4")
    frames = decode(tmp_path / "net.mp4")
    assert len(frames) == 7
    # video 0, 0.1, 0.2 s hold 2.5 ms (cell 0); 0.3 s -> 5.5 ms (between spikes); 0.4 s -> 8.5 ms
    # (cell 1); 0.6 s -> 14.5 ms (cell 2)
    assert [lit_third(frames[i]) for i in (0, 1, 2, 3, 4, 6)] == [0, 0, 0, None, 1, 2]
    assert np.abs(frames[0] - frames[2]).mean() < 1.5  # the hold shows one instant


def test_a_network_shot_has_its_level_of_detail_and_refuses_a_single_cell(tmp_path):
    save_document(network_docs.toy_network(), tmp_path / "net.pkl")
    build_shot(shot_job("network", tmp_path / "net.pkl", {"lod": "soma"}), bpy.context.scene)
    roots = [o for o in bpy.context.scene.objects if lod.LEVEL_PROPERTY in o]
    assert roots and {r[lod.LEVEL_PROPERTY] for r in roots} == {"soma"}
    bpy.ops.wm.read_factory_settings(use_empty=True)
    targets = build_shot(shot_job("network", tmp_path / "net.pkl", {"lod": "full"}),
                         bpy.context.scene)
    # the soma target is the first cell's soma (spike_camera.soma_target): 300 um left of centre
    assert np.allclose(targets["soma"], [targets["center"][0] - 3.0, 0, 0], atol=0.05)
    save_document(toy_document(), tmp_path / "cell.pkl")
    with pytest.raises(NeuroBlendError, match="no spikes or connections.*shot = \"spike\""):
        build_shot(shot_job("network", tmp_path / "cell.pkl", {}), bpy.context.scene)


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two masks."""
    return float((a & b).sum() / (a | b).sum())


def normalised_blobs(half: np.ndarray) -> np.ndarray:
    """Neuron blob centres of one half of the video, centred and scaled to unit spread."""
    found = fx.blob_centroids(half.max(axis=2) > 40)
    centred = found - found.mean(axis=0)
    return centred / np.sqrt((centred ** 2).sum(axis=1).mean())


def test_a_graph_shot_and_its_clip_show_the_same_step_and_end_in_layers(tmp_path):
    from neuroblend.clips.graph import GraphAnimator
    from neuroblend.film.graph_options import graph_options
    from neuroblend.graph.model import build_graph

    doc = fx.small_network()
    save_document(doc, tmp_path / "net.pkl")
    look = {"rearrange": [5, 15], "edges": 0.0, "colormap": "viridis", "glow": 0.0}
    film = (Film(base=tmp_path, size=[320, 120], fps=10, samples=4)
            .shot("graph", "graph", data="net.pkl", look=look, scale=0.5, position=[0.25, 0.5],
                  clock=[[0, 0], [0.2, 0], [0.5, 15], [0.7, 30]])
            .clip("flat", "graph", clock="graph", at=0, scale=0.5, position=[0.75, 0.5],
                  options={"halo": False}))
    film.build(tmp_path / "graph.mp4")
    frames = decode(tmp_path / "graph.mp4")
    assert len(frames) == 7  # steps 0, 0, 0, 5, 10, 15, 22.5
    graph = build_graph(doc, graph_options(look))
    project = GraphAnimator(graph, (160, 60)).project
    layered = project(graph.layered)
    layered = (layered - layered.mean(axis=0)) / np.sqrt(
        ((layered - layered.mean(axis=0)) ** 2).sum(axis=1).mean())
    for index in (0, 6):
        shot, clip = normalised_blobs(frames[index][:, :160]), normalised_blobs(
            frames[index][:, 160:])
        assert fx.match_error(shot, clip) < 0.08, index  # the same step on both sides
    assert fx.match_error(normalised_blobs(frames[6][:, :160]), layered) < 0.08
    assert fx.match_error(normalised_blobs(frames[5][:, :160]), layered) < 0.08  # step 15
    shuffled = normalised_blobs(frames[0][:, :160])
    assert np.linalg.norm(shuffled[:, None] - layered[None], axis=2).min(axis=1).max() > 0.2
    assert np.abs(frames[0] - frames[2]).mean() < 1.5  # the clock holds step 0
    # mid-move too, the neurons cover the same pixels on both sides, and not those of a
    # neighbouring frame's step
    masks = frames.max(axis=3) > 40
    same = [overlap(m[:, :160], m[:, 160:]) for m in masks]
    assert min(same) > 0.75, same
    assert max(overlap(masks[4][:, :160], masks[k][:, 160:]) for k in (3, 5)) < same[4] - 0.2
    # the activity is the clock's step's on both sides: the same colours in the same places
    for index in (3, 6):
        shot, clip = frames[index][:, :160], frames[index][:, 160:]
        assert np.abs(shot.astype(float).mean(axis=(0, 1)) - clip.mean(axis=(0, 1))).max() < 3
    assert np.abs(frames[3] - frames[6]).mean() > 1  # and they change with it


def test_a_saved_graph_shot_renders_its_clock_in_a_fresh_blender(tmp_path):
    save_document(fx.small_network(), tmp_path / "net.pkl")
    shot = shot_job("graph", tmp_path / "net.pkl", {"rearrange": [5, 15], "edges": 0.3})
    shot.update(times=[0.0, 0.1, 0.2], data_times=[0.0, 20.0, 10.0], view=[0.0, -1.0, 0.0])
    assert_saved_shot_replays_its_clock(shot, tmp_path, frame=3, other=2)
