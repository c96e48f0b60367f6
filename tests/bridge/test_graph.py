"""The graph model: layouts, the staggered morph, sampled edges, network file v2."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.errors import FileFormatError, NeuroBlendError
from neuroblend.files.fileformat import check_document, load_document, save_document, summarize
from neuroblend.graph.edges import connection_count, edges_record, sample_edges
from neuroblend.graph.layout import layered_layout, shuffled_layout, shuffled_spacing
from neuroblend.graph.model import GraphOptions, build_graph
from neuroblend.graph.motion import Rearrange, morph_factor, parse_rearrange

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import graph_fixtures as fx  # noqa: E402


def test_layered_layout_puts_layers_along_x_and_neurons_down_z():
    pos = layered_layout(3, 4, size=(16, 9)).reshape(3, 4, 3)
    assert np.allclose(pos[:, :, 0], [[-8] * 4, [0] * 4, [8] * 4])
    assert np.allclose(pos[0, :, 2], [4.5, 1.5, -1.5, -4.5])  # neuron 0 on top
    assert np.all(pos[..., 1] == 0)
    deep = layered_layout(2, 6, size=(16, 9), depth=2).reshape(2, 6, 3)
    assert len(np.unique(deep[0, :, 1])) == 2 and len(np.unique(deep[0, :, 2])) == 3
    with pytest.raises(NeuroBlendError, match="depth"):
        layered_layout(2, 6, depth=7)


def test_shuffled_layout_is_seeded_spread_and_never_overlapping():
    a = shuffled_layout(1000, seed=1)
    assert np.array_equal(a, shuffled_layout(1000, seed=1))
    assert not np.array_equal(a, shuffled_layout(1000, seed=2))
    assert np.all(np.abs(a[:, 0]) <= 8) and np.all(np.abs(a[:, 2]) <= 4.5)
    xz = a[:, [0, 2]].astype(np.float64)
    gaps = np.linalg.norm(xz[:, None] - xz[None], axis=2) + np.eye(len(xz)) * 1e9
    assert gaps.min() >= shuffled_spacing(1000) * 0.999


def test_edges_are_a_seeded_subset_of_the_connections_between_consecutive_layers():
    pairs = sample_edges(10, 100, 2000 / connection_count(10, 100), seed=3)
    assert pairs.shape == (2000, 2) and pairs.dtype == np.int32
    assert np.all(pairs[:, 1] // 100 == pairs[:, 0] // 100 + 1)
    assert len(np.unique(pairs, axis=0)) == 2000
    assert np.array_equal(pairs, sample_edges(10, 100, 2000 / 90000, seed=3))
    assert sample_edges(3, 4, 0.0).shape == (0, 2)
    with pytest.raises(NeuroBlendError, match="density"):
        sample_edges(3, 4, 1.5)


def test_morph_runs_shuffled_to_layered_with_staggered_eased_neurons():
    graph = build_graph(fx.small_network(), GraphOptions(Rearrange(20, 50, stagger=0.6)))
    assert morph_factor([0, 20, 35, 50, 99], graph.options.rearrange).tolist() == \
        [0, 0, 0.5, 1, 1]
    assert np.array_equal(graph.positions_at(20), graph.shuffled)
    assert np.allclose(graph.positions_at(50), graph.layered)
    assert np.all((graph.delays >= 0) & (graph.delays <= 0.6))
    progress = np.array([graph.progress(f) for f in range(20, 51)])
    assert np.all(np.diff(progress, axis=0) >= 0)  # nobody turns back
    mid = graph.progress(35)
    assert mid.std() > 0.2  # staggered: some neurons far ahead of others
    together = build_graph(fx.small_network(), GraphOptions(Rearrange(20, 50, stagger=0.0)))
    assert np.allclose(together.progress(35), 0.5)  # smoothstep(0.5)
    assert together.progress(23)[0] == pytest.approx(3 * 0.1**2 - 2 * 0.1**3)  # eased start


def test_activity_at_a_frame_is_the_smoothed_step_held_at_the_ends():
    options = GraphOptions(Rearrange(5, 10), frames_per_step=2.0, start_frame=3)
    graph = build_graph(fx.small_network(), options)
    assert np.allclose(graph.activity_at(3), graph.activity[0])
    assert np.allclose(graph.activity_at(7), graph.activity[2])
    assert np.allclose(graph.activity_at(8), (graph.activity[2] + graph.activity[3]) / 2)
    assert np.allclose(graph.activity_at(-50), graph.activity[0])
    assert np.allclose(graph.activity_at(10**6), graph.activity[-1])


@pytest.mark.parametrize("text", ["50-20", "20", "a-b", "20-20"])
def test_bad_rearrange_is_refused(text):
    with pytest.raises(NeuroBlendError, match="START-END"):
        parse_rearrange(text)


def test_network_file_v2_stores_edges_and_v1_files_still_load(tmp_path):
    record = edges_record(3, 4, 0.5, seed=2)
    doc = fx.small_network(edges=record)
    assert doc["version"] == 2
    save_document(doc, tmp_path / "net.pkl")
    back = load_document(tmp_path / "net.pkl", expect="neuroblend.network")
    assert np.array_equal(back["edges"]["pairs"], record["pairs"])
    assert summarize(back)["edges"] == 16
    graph = build_graph(back, GraphOptions(Rearrange(1, 2)))
    assert np.array_equal(graph.edges, record["pairs"])  # the file's edges are drawn
    old = dict(fx.small_network())
    old["version"] = 1
    save_document(old, tmp_path / "old.pkl")
    assert build_graph(load_document(tmp_path / "old.pkl"),
                       GraphOptions(Rearrange(1, 2))).edges.shape == (1, 2)  # 2% of 32 -> 1
    bad = {**doc, "edges": {**record, "pairs": np.array([[0, 1]], dtype=np.int32)}}
    with pytest.raises(FileFormatError, match="from a layer to the next"):
        check_document(bad)
