"""neuroblend.simulation version 2 (spikes, connections, placement), the network's display
geometry and pulse timing, wiring plans and the gathering of recorded parts (no NEURON here)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.errors import FileFormatError, NeuroBlendError
from neuroblend.files.fileformat import check_document, load_document, save_document
from neuroblend.network import geometry as ng
from neuroblend.network.layout import plan_network
from neuroblend.simulation.gather import assemble

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from network_docs import SPACING, SPIKE_TIMES, toy_network, toy_network_cell  # noqa: E402


def test_version_2_round_trip(tmp_path):
    doc = toy_network()
    assert doc["version"] == 2
    save_document(doc, tmp_path / "net.pkl")
    back = load_document(tmp_path / "net.pkl")
    assert np.array_equal(back["spikes"]["time"], SPIKE_TIMES)
    assert back["connections"]["post"].tolist() == [1, 2]
    assert back["cells"][2]["placement"][0, 3] == SPACING


def test_version_1_files_still_load(tmp_path):
    doc = toy_network()
    for key in ("spikes", "connections"):
        del doc[key]
    for cell in doc["cells"]:
        del cell["placement"]
    doc["version"] = 1
    save_document(doc, tmp_path / "v1.pkl")
    assert load_document(tmp_path / "v1.pkl")["version"] == 1
    doc["spikes"] = toy_network()["spikes"]
    with pytest.raises(FileFormatError, match="need version 2"):
        check_document(doc)


@pytest.mark.parametrize("changes, message", [
    ({"connections": {"pre": [0, 7], "post": [1, 2], "post_section": [1, 1], "post_x": [.5, .5],
                      "delay": [1, 1], "weight": [1, 1]}},
     r"connections\[1\]\.pre names cell 7, but the file has 3 cells"),
    ({"connections": {"pre": [0, 1], "post": [1, 2], "post_section": [1, 5], "post_x": [.5, .5],
                      "delay": [1, 1], "weight": [1, 1]}},
     r"connections\[1\]\.post_section is 5, but cell 2 has 2 sections"),
    ({"connections": {"pre": [0, 1], "post": [1, 2], "post_section": [1, 1], "post_x": [.5, .5],
                      "delay": [1, -2], "weight": [1, 1]}},
     r"connections\[1\]\.delay is -2 ms"),
    ({"connections": {"pre": [0, 1], "post": [1, 2], "post_section": [1, 1], "post_x": [.5],
                      "delay": [1, 1], "weight": [1, 1]}},
     r"connections\.post_x has 1 entries but connections\.pre has 2 \(mismatched lengths\)"),
    ({"spikes": {"cell": [0, 1], "time": [2.0, 25.0]}},
     r"spikes\[1\]\.time is 25, outside the recorded time 0\.\.20"),
    ({"spikes": {"cell": [0, 3], "time": [2.0, 3.0]}},
     r"spikes\[1\] names cell 3"),
    ({"spikes": {"cell": [0, 1, 2], "time": [2.0, 3.0]}}, r"mismatched lengths"),
])
def test_bad_network_entries_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        toy_network(**changes)


def test_bad_placement_is_named():
    doc = toy_network()
    doc["cells"][1]["placement"] = np.ones((3, 3))
    with pytest.raises(FileFormatError, match=r"cells\[1\]\.placement must be a float64"):
        check_document(doc)


def test_placed_document_moves_points_and_finds_synapses():
    placed = ng.placed_document(toy_network())
    assert "placement" not in placed["cells"][0]
    centers = ng.soma_centers(placed)
    assert np.allclose(centers[:, 0], [-SPACING, 0, SPACING])
    syn = ng.synapse_points(placed)
    assert np.allclose(syn, [(0, 110, 0), (SPACING, 110, 0)])  # middle of the dendrites
    paths = ng.connection_paths(centers[[0, 1]], syn, n_points=5)
    assert np.allclose(paths[:, 0], centers[[0, 1]]) and np.allclose(paths[:, -1], syn)
    assert np.all(paths[:, 2, 1] > syn[:, 1] / 2)  # the arc bows upwards


def test_pulse_phase_leaves_at_the_spike_and_arrives_at_the_delay():
    doc = toy_network()
    time = np.array([0.0, 2.0, 5.0, 8.0, 9.0, 10.0, 14.0, 17.0])
    phase = ng.pulse_phases(doc, time, flash_ms=1.5)
    assert np.isnan(phase[0, 0])  # before cell 0 fires
    assert np.allclose(phase[0, 1:5], [0.0, 0.5, 1.0, 7 / 6])  # travels, arrives, flashes
    assert np.isnan(phase[0, 5])  # the flash is over
    assert np.allclose(phase[1, [3, 6]], [0.0, 1.0])


def test_levels_of_detail_keep_rows():
    assert [ng.choose_level(n) for n in (10, 300, 1000)] == ["full", "simplified", "soma"]
    assert ng.choose_level(1000, "full") == "full"
    with pytest.raises(NeuroBlendError, match="level of detail 'tiny'"):
        ng.choose_level(3, "tiny")
    cell = toy_network()["cells"][1]
    simple = ng.simplified_cell(cell)
    assert simple["sections"]["point_offsets"].tolist() == [0, 2, 4]
    assert simple["compartments"] is cell["compartments"]
    soma = ng.soma_cell(cell)
    assert soma["row_start"] == cell["row_start"] and soma["sections"]["name"] == ["soma"]


def test_wiring_plan_is_seeded_and_valid():
    lengths, dend = np.array([20.0, 100.0, 50.0]), np.array([False, True, True])
    a, b = plan_network(30, lengths, dend, seed=4), plan_network(30, lengths, dend, seed=4)
    assert np.array_equal(a.post, b.post) and np.array_equal(a.placements, b.placements)
    assert len(a.pre) == 90 and np.all(a.pre != a.post)
    assert set(a.post_section.tolist()) <= {1, 2} and np.all(a.delay >= 1.0)
    assert np.allclose(a.placements[:, 1, 1], 1.0)  # apical axis stays up


def _part(gids, time, spikes, conns):
    cells = [dict(toy_network_cell(f"g{g}"), gid=g) for g in gids]
    values = np.concatenate([np.full((4, len(time)), float(g), np.float32) for g in gids])
    return {"time": time, "values": values, "cells": cells, "spikes": spikes,
            "connections": conns}


def test_parts_from_ranks_merge_in_gid_order():
    time = np.arange(5, dtype=float)
    conn = {"pre": np.array([0, 3, 9]), "post": np.array([1, 1, 1]),
            "post_section": np.array([1, 1, 1], np.int32), "post_x": np.full(3, .5, np.float32),
            "delay": np.ones(3), "weight": np.ones(3)}
    none = {k: v[:0] for k, v in conn.items()}
    rank0 = _part([0, 2], time, {"gid": np.array([2, 0]), "time": np.array([1.0, 3.0])}, none)
    rank1 = _part([1, 3], time, {"gid": np.array([3, 1]), "time": np.array([0.5, 9.0])}, conn)
    doc = assemble([rank0, rank1], "v", {})
    assert [c["name"] for c in doc["cells"]] == ["g0", "g1", "g2", "g3"]
    assert doc["values"][::4, 0].tolist() == [0, 1, 2, 3]
    assert doc["spikes"]["cell"].tolist() == [3, 2, 0]  # by time; 9 ms is past the recording
    assert doc["connections"]["pre"].tolist() == [0, 3]  # gid 9 was not recorded
    with pytest.raises(NeuroBlendError, match="gid 0 was recorded twice"):
        assemble([rank0, rank0], "v", {})


def test_inspect_names_the_bad_connection(tmp_path, capsys):
    from neuroblend.cli import main
    from neuroblend.files.safe_pickle import save_pickle

    doc = toy_network()
    doc["connections"]["post_section"][1] = 9
    save_pickle(doc, tmp_path / "bad.pkl")
    assert main(["inspect", str(tmp_path / "bad.pkl")]) == 2
    err = capsys.readouterr().err
    assert "connections[1].post_section is 9, but cell 2 has 2 sections" in err
    assert len(err.strip().splitlines()) == 1
