"""SONATA import: what the simulation file holds equals what libsonata reads (every value within
1e-6, every spike, by window and chunk), nodes are placed and rotated in the SONATA order,
sections follow NEURON's Import3d, reports and edges land on the sections their simulator meant
(BMTK's NEURON list, the morphology file's numbering)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

libsonata = pytest.importorskip("libsonata")
pytest.importorskip("morphio")
pytest.importorskip("h5py")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import sonata_fixtures as sf  # noqa: E402


@pytest.fixture
def circuit(tmp_path):
    return sf.write_circuit(tmp_path / "sim")


_import = sf.import_doc


def _rows(doc, cell_index, section, x):
    """The row of ``doc`` that shows ``section(x)`` of cell ``cell_index``."""
    cell = doc["cells"][cell_index]
    comp = cell["compartments"]
    on = np.flatnonzero(comp["section"] == section)
    k = min(int(x * len(on)), len(on) - 1)
    return cell["row_start"] + on[k]


def test_compartment_values_match_libsonata(circuit, tmp_path):
    doc = _import(circuit, tmp_path, report="v_report")
    report = libsonata.ElementReportReader(str(circuit.parent / "output/v_report.h5"))["cortex"]
    frame = report.get()
    ids = np.asarray(frame.ids)
    data = np.asarray(frame.data)
    np.testing.assert_array_equal(doc["time"], np.asarray(frame.times))
    ids_pos = sf.report_columns(sf.MORPH_OF_NODE)[1]
    names = [c["name"] for c in doc["cells"]]
    assert names == ["cortex/0", "cortex/1", "cortex/2"]
    column = 0
    for node in range(3):
        for pos in ids_pos[node]:
            section = int(ids[column, 1])
            row = _rows(doc, node, section, pos)
            np.testing.assert_allclose(doc["values"][row], data[:, column], atol=1e-6, rtol=0)
            column += 1
    assert column == data.shape[1]
    # every compartment came from the report (no filled-in rows for a full report)
    assert doc["values"].shape[0] == data.shape[1]
    for cell, name in zip(doc["cells"], sf.MORPH_OF_NODE, strict=True):
        assert np.bincount(cell["compartments"]["section"]).tolist() == sf.NSEG[name]


def test_time_window_and_stride_match_libsonata(circuit, tmp_path):
    doc = _import(circuit, tmp_path, report="v_report", time_window=(2.0, 11.0),
                  sample_every=1.5)
    report = libsonata.ElementReportReader(str(circuit.parent / "output/v_report.h5"))["cortex"]
    frame = report.get(tstart=2.0, tstop=11.0, tstride=3)
    np.testing.assert_array_equal(doc["time"], np.asarray(frame.times))
    data = np.asarray(frame.data)
    np.testing.assert_allclose(doc["values"], data.T, atol=1e-6, rtol=0)


@pytest.mark.parametrize("sorting", ["by_time", "by_id", "none"])
def test_every_spike_of_the_imported_cells(circuit, tmp_path, sorting):
    ids, times = [0, 1, 2, 0, 3, 2], [9.5, 5.5, 7.0, 3.25, 15.0, 19.75]
    sf.write_spikes(circuit.parent / "output/spikes.h5",
                    {"cortex": (ids, times), "inputs": ([0], [1.0])}, sorting)
    doc = _import(circuit, tmp_path, report="v_report")
    found = sorted(zip(doc["spikes"]["cell"].tolist(), doc["spikes"]["time"].tolist(),
                       strict=True))
    reader = libsonata.SpikeReader(str(circuit.parent / "output/spikes.h5"))["cortex"]
    expected = sorted((int(n), t) for n, t in reader.get() if n < 3 and t <= doc["time"][-1])
    assert found == expected
    assert len(found) == 4  # node 3 is a point neuron (not imported), 19.75 is after the last frame
    assert np.all(np.diff(doc["spikes"]["time"]) >= 0)


def test_soma_report_drives_the_cell_or_only_its_soma(circuit, tmp_path):
    doc = _import(circuit, tmp_path, report="soma_report")
    soma = libsonata.ElementReportReader(str(circuit.parent / "output/soma_report.h5"))["cortex"]
    data = np.asarray(soma.get().data)
    for k, cell in enumerate(doc["cells"]):
        rows = doc["values"][cell["row_start"]:cell["row_start"] + len(cell["compartments"]["x"])]
        np.testing.assert_allclose(rows, np.broadcast_to(data[:, k], rows.shape), atol=1e-6)
    doc = _import(circuit, tmp_path, report="soma_report", soma_only_colour=True)
    cell = doc["cells"][1]
    rows = doc["values"][cell["row_start"]:cell["row_start"] + len(cell["compartments"]["x"])]
    np.testing.assert_allclose(rows[0], data[:, 1], atol=1e-6)
    np.testing.assert_allclose(rows[1:], np.full((len(rows) - 1, data.shape[0]), data[0, 1]),
                               atol=1e-6)


def test_nodes_placed_and_rotated_in_sonata_order(circuit, tmp_path):
    from scipy.spatial.transform import Rotation

    doc = _import(circuit, tmp_path, report="v_report", points=True)
    assert [c["name"] for c in doc["cells"]] == ["cortex/0", "cortex/1", "cortex/2", "cortex/3"]
    angles = [(0, 0, 0), (0.3, 0.0, 0.2), (0.0, 0.5, 0.1), (0, 0, 0)]
    positions = [(0, 0, 0), (100, 10, 0), (200, 20, 0), (300, 30, 5)]
    for cell, angle, pos in zip(doc["cells"], angles, positions, strict=True):
        m = cell["placement"]
        expected = Rotation.from_euler("xyz", angle).as_matrix()  # extrinsic: Rz Ry Rx
        np.testing.assert_allclose(m[:3, :3], expected, atol=1e-12)
        soma = cell["sections"]["points"][1]  # the middle of soma[0]'s three points
        np.testing.assert_allclose(m[:3, :3] @ soma + m[:3, 3], pos, atol=1e-4)
    assert doc["cells"][3]["sections"]["name"] == ["soma[0]"]  # --points: a soma sphere
    point = doc["cells"][3]["row_start"]
    assert np.isnan(doc["values"][point:]).all()  # not in the report: NaN
    assert np.isfinite(doc["values"][:point]).all()


def test_quaternion_orientations(circuit, tmp_path):
    import h5py
    from scipy.spatial.transform import Rotation

    quats = Rotation.random(4, random_state=3).as_quat()  # x, y, z, w
    with h5py.File(circuit.parent / "network/cortex_nodes.h5", "a") as f:
        group = f["nodes/cortex/0"]
        for k, axis in enumerate("xyzw"):
            group[f"orientation_{axis}"] = quats[:, k]
    doc = _import(circuit, tmp_path, report="v_report")
    for k, cell in enumerate(doc["cells"]):
        np.testing.assert_allclose(cell["placement"][:3, :3],
                                   Rotation.from_quat(quats[k]).as_matrix(), atol=1e-9)


def test_connections_from_edges(circuit, tmp_path):
    doc = _import(circuit, tmp_path, report="v_report")
    conn = doc["connections"]
    assert conn["pre"].tolist() == [0, 0, 1, 2]
    assert conn["post"].tolist() == [1, 2, 0, 1]
    assert conn["post_section"].tolist() == [2, 1, 4, 3]   # BMTK sec_id: NEURON's all list
    np.testing.assert_allclose(conn["post_x"], [0.5, 0.25, 0.9, 1.0])
    np.testing.assert_allclose(conn["delay"], [1.0, 2.0, 1.5, 0.5])
    np.testing.assert_allclose(conn["weight"], [0.1, 0.2, 0.3, 0.4])
    edges = doc["meta"]["sonata"]["edges"]
    assert edges["inputs_to_cortex"] == {"edges": 3, "drawn": 0, "from_outside": 3}


def test_node_set_and_max_cells(circuit, tmp_path):
    doc = _import(circuit, tmp_path, report="v_report", node_set="pair")
    assert [c["name"] for c in doc["cells"]] == ["cortex/0", "cortex/2"]
    assert doc["connections"]["pre"].tolist() == [0]  # only 0 -> 2 joins two imported cells
    doc = _import(circuit, tmp_path, report="v_report", max_cells=2)
    assert [c["name"] for c in doc["cells"]] == ["cortex/0", "cortex/1"]


def test_sections_follow_import3d(tmp_path):
    """Neurites of a generated SWC: MorphIO's sections in our order equal NEURON's Import3d."""
    pytest.importorskip("neuron")
    from swc_generator import generate_cell
    from test_swc_structure import sections as neuron_sections

    from neuroblend.sonata.morphologies import load_morphology

    path = tmp_path / "cell.swc"
    path.write_text(generate_cell(4, scramble_ids=False, axon_points=60))
    reference = neuron_sections("neuron", path)
    ours = load_morphology(path).sections
    assert ours["name"] == [name for name, _ in reference]
    for k, (name, points) in enumerate(reference):
        if name.startswith("soma"):
            continue
        np.testing.assert_allclose(ours["points"][k], points[:, :3], atol=1e-3, err_msg=name)
        np.testing.assert_allclose(ours["diameters"][k], points[:, 3], atol=1e-3, err_msg=name)


def test_afferent_section_ids_count_the_morphology_file(circuit, tmp_path):
    """SONATA's afferent_section_id: 0 the soma, MorphIO section i as i + 1 (file order)."""
    sf._write_edges(circuit.parent / "network/cortex_cortex_edges.h5", "cortex_to_cortex",
                    "cortex", "cortex", [0, 0, 1, 2], [1, 2, 0, 1],
                    {"afferent_section_id": np.array([2, 1, 4, 3], np.int64),
                     "afferent_section_pos": np.array([0.5, 0.25, 0.9, 1.0]),
                     "delay": np.ones(4), "syn_weight": np.ones(4)})
    doc = _import(circuit, tmp_path, report="v_report")
    # cell_a's file sections: dend, dend, dend, axon, apic -> ours: axon[0] is section 1
    assert doc["connections"]["post_section"].tolist() == [2, 1, 1, 3]
    names = [doc["cells"][c]["sections"]["name"][s] for c, s in
             zip(doc["connections"]["post"], doc["connections"]["post_section"], strict=True)]
    assert names == ["dend[1]", "dend[0]", "axon[0]", "dend[2]"]


def test_bmtk_perisomatic_axon_stub(tmp_path):
    from neuroblend.sonata.morphologies import load_morphology

    path = tmp_path / "cell_a.swc"
    path.write_text(sf.CELL_A)
    plain = load_morphology(path)
    assert plain.sections["name"] == ["soma[0]", "axon[0]", "dend[0]", "dend[1]", "dend[2]",
                                      "apic[0]"]
    assert plain.file_order.tolist() == [0, 2, 3, 4, 1, 5]
    stub = load_morphology(path, axon_stub=True)
    assert stub.sections["name"] == ["soma[0]", "dend[0]", "dend[1]", "dend[2]", "apic[0]",
                                     "axon[0]", "axon[1]"]
    assert stub.sections["parent"].tolist()[-2:] == [0, 5]
    assert stub.file_order.tolist() == [0, 1, 2, 3, -1, 4]
    lengths = [float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())
               for p in stub.sections["points"][-2:]]
    assert lengths == pytest.approx([30.0, 30.0])


def test_neurodamus_report_counts_file_sections(circuit, tmp_path):
    """A report of the standard's ``type`` (neurodamus): element ids count the morphology
    file's sections, a section's columns repeat its id once per segment, no element_pos."""
    sim = json.loads(circuit.read_text())
    sim["reports"]["nd"] = {"type": "compartment", "cells": "bio", "variable_name": "v",
                            "sections": "all"}
    circuit.write_text(json.dumps(sim))
    file_nseg = [1, 3, 1, 1, 1, 5]  # cell_a: soma, file sections 1-5 (dend x3, axon, apic)
    element_ids = np.repeat(np.arange(6), file_nseg)
    data = np.random.default_rng(2).normal(-60, 5, (8, len(element_ids)))
    sf.write_report(circuit.parent / "output/nd.h5", "cortex", [0], [element_ids], None,
                    data, 0.0, 0.5)
    doc = _import(circuit, tmp_path, report="nd", node_set="pair")
    cell = doc["cells"][0]
    names = cell["sections"]["name"]
    ours = {1: "dend[0]", 2: "dend[1]", 3: "dend[2]", 4: "axon[0]", 5: "apic[0]", 0: "soma[0]"}
    for column, element in enumerate(element_ids):
        k = column - int(np.flatnonzero(element_ids == element)[0])
        n = file_nseg[element]
        row = _rows(doc, 0, names.index(ours[int(element)]), (k + 0.5) / n)
        np.testing.assert_allclose(doc["values"][row], data[:, column], atol=1e-6)
    assert np.isnan(doc["values"][doc["cells"][1]["row_start"]:]).all()  # node 2: not recorded


def test_several_populations_and_their_edges(circuit, tmp_path):
    doc = _import(circuit, tmp_path, report="v_report", populations=("cortex", "inputs"),
                  points=True)
    names = [c["name"] for c in doc["cells"]]
    assert names == ["cortex/0", "cortex/1", "cortex/2", "cortex/3", "inputs/0", "inputs/1"]
    conn = doc["connections"]
    assert len(conn["pre"]) == 7  # cortex -> cortex and, both imported, inputs -> cortex
    assert conn["pre"][4:].tolist() == [4, 5, 5] and conn["post"][4:].tolist() == [0, 1, 2]
    assert sorted(doc["spikes"]["cell"].tolist()) == [0, 0, 1, 2, 3, 4, 5]


def test_report_read_by_window_a_chunk_of_nodes_at_a_time(circuit, tmp_path, monkeypatch):
    from neuroblend.sonata import reports

    calls = []
    real = reports._read

    def spy(pop, ids, tstart, tstop, stride, spec):
        calls.append((list(ids), tstart, tstop, stride))
        return real(pop, ids, tstart, tstop, stride, spec)

    monkeypatch.setattr(reports, "_read", spy)
    monkeypatch.setattr(reports, "_CHUNK_VALUES", 150)  # 8 frames x at most 18 columns
    whole = _import(circuit, tmp_path, report="v_report")
    first = len(calls)
    doc = _import(circuit, tmp_path, report="v_report", time_window=(4.0, 7.5))
    window_calls = calls[first:]
    assert all(c[1:] == (4.0, 7.5, 1) for c in window_calls)
    data_calls = [c for c in window_calls if len(c[0]) > 0][1:]  # the first finds the times
    assert [c[0] for c in data_calls] == [[0], [1, 2]]            # 12 + (7 + 5) columns
    np.testing.assert_array_equal(doc["values"], whole["values"][:, 8:16])
