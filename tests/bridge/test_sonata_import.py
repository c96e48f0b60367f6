"""SONATA import: what the simulation file holds equals what libsonata reads (every value within
1e-6, every spike), configs resolve as the standard says, nodes are placed and rotated in the
SONATA order, sections follow NEURON's Import3d, and bad input is one line, exit 2."""

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

from neuroblend.errors import NeuroBlendError  # noqa: E402
from neuroblend.files.fileformat import load_document  # noqa: E402
from neuroblend.sonata.config import load_config  # noqa: E402
from neuroblend.sonata.to_simulation import SonataImportOptions, import_sonata  # noqa: E402


@pytest.fixture
def circuit(tmp_path):
    return sf.write_circuit(tmp_path / "sim")


def _import(config, tmp_path, **kw) -> dict:
    out = tmp_path / "out.pkl"
    import_sonata(SonataImportOptions(config=str(config), out=str(out), **kw))
    return load_document(out)


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


def test_config_paths_resolve_like_libsonata(circuit):
    ours = load_config(circuit)
    ref = libsonata.CircuitConfig.from_file(str(circuit.parent / "circuit_config.json"))
    for pop in ours.nodes:
        props = ref.node_population_properties(pop.name)
        assert Path(props.elements_path) == pop.h5
        assert Path(props.types_path) == pop.types_csv
    cortex = ours.nodes[0]
    assert Path(ref.node_population_properties("cortex").morphologies_dir) == \
        Path(cortex.components["morphologies_dir"])
    assert ours.reports["v_report"].path == circuit.parent / "output" / "v_report.h5"
    assert ours.spikes_file == circuit.parent / "output" / "spikes.h5"


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


def test_errors_name_the_problem(circuit, tmp_path):
    bad = [({"populations": ("nope",)}, "no node population 'nope'"),
           ({"node_set": "nope"}, "no node set 'nope'"),
           ({"report": "nope"}, "no report 'nope'"),
           ({"report": "v_report", "time_window": (50.0, 60.0)}, "outside the report's time")]
    for kwargs, needle in bad:
        with pytest.raises(NeuroBlendError, match=needle):
            _import(circuit, tmp_path, **kwargs)
    assert not (tmp_path / "out.pkl").exists()


def _write_cli_cases(folder: Path) -> list[tuple[str, list[str], str]]:
    """Broken copies of the circuit: (folder name, extra args, text the error must hold)."""
    cases = []
    config = sf.write_circuit(folder / "report_ids")
    ids, pos = sf.report_columns(sf.MORPH_OF_NODE)
    sf.write_report(config.parent / "output/v_report.h5", "cortex", [0, 1, 9], ids, pos,
                    np.zeros((4, sum(len(i) for i in ids))), 0.0, 0.5)
    cases.append(("report_ids", ["--report", "v_report"], "node id 9 is not in the circuit"))
    config = sf.write_circuit(folder / "morphology")
    (config.parent / "morphologies/cell_b.swc").write_text("1 1 0 0 0 1 -1\n2 3 x y z 1 1\n")
    cases.append(("morphology", [], "cell_b.swc"))
    config = sf.write_circuit(folder / "mapping")
    ids[1] = ids[1] + 40
    sf.write_report(config.parent / "output/v_report.h5", "cortex", [0, 1, 2], ids, pos,
                    np.zeros((4, sum(len(i) for i in ids))), 0.0, 0.5)
    cases.append(("mapping", ["--report", "v_report"], "does not fit the cell's geometry"))
    config = sf.write_circuit(folder / "position")
    ids, pos = sf.report_columns(sf.MORPH_OF_NODE)
    pos[0] = pos[0] + 1.5
    sf.write_report(config.parent / "output/v_report.h5", "cortex", [0, 1, 2], ids, pos,
                    np.zeros((4, sum(len(i) for i in ids))), 0.0, 0.5)
    cases.append(("position", ["--report", "v_report"], "element_pos 2 does not fit"))
    return cases


def test_cli_bad_input_is_one_line(tmp_path):
    from cli_runner import assert_clean_refusal, run_cli

    run = run_cli(["import", "sonata", "missing.json", "--out", "o.pkl"], tmp_path, timeout=60)
    assert_clean_refusal(run, "missing.json")
    for name, extra, needle in _write_cli_cases(tmp_path):
        config = tmp_path / name / "simulation_config.json"
        run = run_cli(["import", "sonata", str(config), "--out", "o.pkl", *extra], tmp_path,
                      timeout=60)
        assert_clean_refusal(run, needle)
        assert not (tmp_path / "o.pkl").exists()


def test_cli_import_and_inspect_config(circuit, tmp_path):
    from cli_runner import run_cli

    run = run_cli(["import", "sonata", str(circuit), "--out", "sim.pkl", "--points"], tmp_path,
                  timeout=60)
    assert run.returncode == 0, run.stderr
    assert "4 cells" in run.stdout
    run = run_cli(["inspect", str(circuit), "--json"], tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["populations"]["cortex"]["nodes"] == 4
    assert summary["populations"]["inputs"]["type"] == "virtual"
    assert summary["reports"]["v_report"]["time"] == "0 .. 20 ms, every 0.5 ms"
    assert summary["reports"]["v_report"]["nodes"] == 3
    assert summary["spikes"]["cortex"] == 5


def _bmtk_style(folder: Path) -> None:
    """Rewrite the circuit's files the way BMTK writes them: gzip everywhere, the report in
    float64 without units and with ``index_pointer``, the spikes' sorting as a string."""
    import h5py

    for path in folder.rglob("*.h5"):
        items: dict = {}
        groups: dict = {}
        with h5py.File(path, "r") as f:
            def keep(name, obj, items=items, groups=groups):
                if isinstance(obj, h5py.Dataset):
                    items[name] = (obj[()], dict(obj.attrs))
                else:
                    groups[name] = dict(obj.attrs)
            f.visititems(keep)
        with h5py.File(path, "w") as f:
            for name, attrs in groups.items():
                g = f.require_group(name)
                for k, v in attrs.items():
                    g.attrs[k] = "by_time" if k == "sorting" else v
            for name, (data, attrs) in items.items():
                name = name.replace("index_pointers", "index_pointer")
                if name.endswith("/data"):
                    data, attrs = data.astype(np.float64), {}
                if name.endswith("mapping/time"):
                    attrs = {}
                kw = {"compression": "gzip"} if np.ndim(data) else {}
                f.create_dataset(name, data=data, **kw)
                for k, v in attrs.items():
                    f[name].attrs[k] = v


def test_files_as_bmtk_writes_them_import_the_same(circuit, tmp_path):
    reference = _import(circuit, tmp_path, report="v_report")
    _bmtk_style(circuit.parent)
    doc = _import(circuit, tmp_path, report="v_report")
    np.testing.assert_array_equal(doc["values"], reference["values"])
    np.testing.assert_array_equal(doc["time"], reference["time"])
    for key in ("cell", "time"):
        np.testing.assert_array_equal(doc["spikes"][key], reference["spikes"][key])
    for key in reference["connections"]:
        np.testing.assert_array_equal(doc["connections"][key], reference["connections"][key])


def test_storyboard_shot_takes_a_sonata_config(circuit, tmp_path, monkeypatch):
    from neuroblend.film import load_storyboard

    monkeypatch.setenv("NEUROBLEND_CACHE", str(tmp_path / "cache"))
    board = tmp_path / "board.toml"
    board.write_text(f'[video]\nsize = [320, 180]\nfps = 10\n\n[[timeline]]\nname = "net"\n'
                     f'shot = "spike"\ndata = "{circuit}"\n')
    data = load_storyboard(board).item("net").spec["data"]
    assert data.suffix == ".pkl" and data.parent == tmp_path / "cache" / "sonata"
    assert len(load_document(data)["cells"]) == 3
    stamp = data.stat().st_mtime_ns
    assert load_storyboard(board).item("net").spec["data"] == data  # cached, not re-imported
    assert data.stat().st_mtime_ns == stamp


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


@pytest.mark.parametrize("config, needle", [
    ({"manifest": {"$A": "$B", "$B": "$A"}, "networks": {}}, "circular"),
    ({"networks": {"nodes": [{"nodes_file": "$NOPE/n.h5"}]}}, "$NOPE is not defined"),
    ({"manifest": {}, "networks": {"nodes": []}}, "names no node files"),
    ({"network": "elsewhere.json"}, "no such file"),
    ([1, 2], "is a JSON object"),
])
def test_config_errors_are_named(tmp_path, config, needle):
    path = tmp_path / "simulation_config.json"
    path.write_text(json.dumps(config))
    with pytest.raises(NeuroBlendError, match=needle.replace("$", r"\$")):
        load_config(path)


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
