"""SONATA import, the edges of the input: configs resolve like libsonata's, files as BMTK writes
them import the same, a storyboard may name a config, and bad input is one line, exit 2."""

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

_import = sf.import_doc


@pytest.fixture
def circuit(tmp_path):
    return sf.write_circuit(tmp_path / "sim")


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


def test_storyboard_shot_takes_a_sonata_config(circuit, tmp_path):
    from neuroblend.film import load_storyboard
    from neuroblend.sonata.film_data import simulation_for

    board = tmp_path / "board.toml"
    board.write_text(f'[video]\nsize = [320, 180]\nfps = 10\n\n[[timeline]]\nname = "net"\n'
                     f'shot = "spike"\ndata = "{circuit}"\n')
    assert load_storyboard(board).item("net").spec["data"] == circuit  # checked, not imported
    assert not list(tmp_path.glob("**/*.pkl"))
    data = simulation_for(circuit, tmp_path)  # what the build does, into its cache's data/
    assert data.suffix == ".pkl" and data.parent == tmp_path
    assert len(load_document(data)["cells"]) == 3
    stamp = data.stat().st_mtime_ns
    assert simulation_for(circuit, tmp_path) == data  # cached, not re-imported
    assert data.stat().st_mtime_ns == stamp
    (tmp_path / "broken.json").write_text('{"network": "missing.json"}')
    board.write_text(board.read_text().replace(str(circuit), str(tmp_path / "broken.json")))
    with pytest.raises(NeuroBlendError, match="timeline.0..data.*SONATA config.*no such file"):
        load_storyboard(board)


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


def test_bmtk_top_config_names_network_and_simulation(circuit):
    top = circuit.parent / "config.json"
    top.write_text(json.dumps({"manifest": {"$BASE": "${configdir}"},
                               "network": "$BASE/circuit_config.json",
                               "simulation": "$BASE/simulation_config.json"}))
    config = load_config(top)
    assert [p.name for p in config.nodes] == ["cortex", "inputs"]
    assert set(config.reports) == {"v_report", "soma_report"}
    assert config.spikes_file == circuit.parent / "output" / "spikes.h5"
