"""Small SONATA circuits and simulation outputs written with h5py for the import tests.

``write_circuit(folder)`` writes (all generated, a few kB):
- ``morphologies/`` two SWC cells (``cell_a.swc``, ``cell_b.swc``) and ``asc/cell_c.asc``
  (found through ``alternate_morphologies`` ``neurolucida-asc``, named without extension);
- ``network/cortex_nodes.h5`` + ``cortex_node_types.csv``: population ``cortex``, nodes 0-2
  biophysical (morphology from the CSV for type 100, from the HDF5 group for the others), node 3
  ``point_process``; rotations about x/y/z; ``network/input_nodes.h5``: 2 virtual nodes;
- ``network/*_edges.h5``: cortex -> cortex (sec_id, sec_x, delay, syn_weight; BMTK style) and
  inputs -> cortex;
- ``node_sets.json`` (``pair``: nodes 0 and 2; ``bio``: nodes 0-2; ``by_type``: an attribute
  only the types CSV has);
- ``output/spikes.h5`` (both populations, sorted by time), ``output/v_report.h5`` (every segment
  of every section of the biophysical cells: element_ids = section index in NEURON's ``all``,
  element_pos = segment centre) and ``output/soma_report.h5`` (BMTK's soma report);
- ``circuit_config.json`` and ``simulation_config.json`` with a manifest and ``$VARS``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

CELL_A = """\
1 1 0 0 0 5 -1
2 3 0 5 0 1 1
3 3 0 10 0 1 2
4 3 3 15 0 0.5 3
5 3 -3 15 0 0.5 3
6 2 0 -5 0 0.5 1
7 2 0 -25 0 0.5 6
8 4 0 0 5 1.5 1
9 4 0 0 40 1.2 8
"""

CELL_B = """\
1 1 0 0 0 4 -1
2 3 5 0 0 1 1
3 3 20 0 0 0.8 2
4 3 -5 0 0 1 1
5 3 -20 2 0 0.8 4
6 3 -30 8 0 0.6 5
7 3 -30 -8 0 0.6 5
"""

CELL_C = """\
("CellBody"
  (Color Red)
  (CellBody)
  ( -3 -3 0 0)
  ( 3 -3 0 0)
  ( 3 3 0 0)
  ( -3 3 0 0)
)
( (Color White)
  (Dendrite)
  ( 0 4 0 2)
  ( 0 20 0 2)
  (
    ( 0 20 0 1)
    ( 8 30 0 1)
  |
    ( 0 20 0 1)
    ( -8 30 0 1)
  )
)
"""

#: compartments per section of each morphology, NEURON ``all`` order (soma first)
NSEG = {"cell_a": [1, 1, 3, 1, 1, 5], "cell_b": [1, 3, 1, 1, 1], "cell_c": [1, 2, 1, 1]}
MORPH_OF_NODE = ["cell_a", "cell_b", "cell_c"]
DT, T_STOP = 0.5, 20.0


def import_doc(config: Path, tmp_path: Path, **options) -> dict:
    """``import_sonata`` of ``config`` into ``tmp_path/out.pkl``, loaded back."""
    from neuroblend.files.fileformat import load_document
    from neuroblend.sonata.to_simulation import SonataImportOptions, import_sonata

    out = tmp_path / "out.pkl"
    import_sonata(SonataImportOptions(config=str(config), out=str(out), **options))
    return load_document(out)


def _write_h5_nodes(path: Path, population: str, type_ids, group: dict) -> None:
    import h5py

    with h5py.File(path, "w") as f:
        pop = f.create_group(f"nodes/{population}")
        n = len(type_ids)
        pop["node_type_id"] = np.asarray(type_ids, np.int64)
        pop["node_group_id"] = np.zeros(n, np.int64)
        pop["node_group_index"] = np.arange(n, dtype=np.int64)
        g = pop.create_group("0")
        for key, values in group.items():
            if values and isinstance(values[0], str):
                g.create_dataset(key, data=np.array(values, dtype=h5py.string_dtype()))
            else:
                g[key] = np.asarray(values, np.float64)


def _write_edges(path: Path, name: str, src_pop: str, tgt_pop: str, src, tgt, attrs) -> None:
    import h5py

    with h5py.File(path, "w") as f:
        pop = f.create_group(f"edges/{name}")
        pop["source_node_id"] = np.asarray(src, np.uint64)
        pop["source_node_id"].attrs["node_population"] = src_pop
        pop["target_node_id"] = np.asarray(tgt, np.uint64)
        pop["target_node_id"].attrs["node_population"] = tgt_pop
        pop["edge_type_id"] = np.zeros(len(src), np.int64)
        pop["edge_group_id"] = np.zeros(len(src), np.int64)
        pop["edge_group_index"] = np.arange(len(src), dtype=np.int64)
        g = pop.create_group("0")
        for key, values in attrs.items():
            g[key] = np.asarray(values)


def write_spikes(path: Path, populations: dict, sorting: str = "by_time") -> None:
    """``populations``: name -> (node_ids, timestamps); sorted as ``sorting`` says."""
    import h5py

    codes = {"none": 0, "by_id": 1, "by_time": 2}
    with h5py.File(path, "w") as f:
        for name, (ids, times) in populations.items():
            ids, times = np.asarray(ids, np.uint64), np.asarray(times, np.float64)
            order = (np.argsort(times, kind="stable") if sorting == "by_time" else
                     np.lexsort((times, ids)) if sorting == "by_id" else np.arange(len(ids)))
            g = f.create_group(f"spikes/{name}")
            g.attrs.create("sorting", codes[sorting],
                           dtype=h5py.enum_dtype(codes, basetype=np.uint8))
            g["node_ids"] = ids[order]
            g["timestamps"] = times[order]
            g["timestamps"].attrs["units"] = "ms"


def write_report(path: Path, population: str, node_ids, element_ids, element_pos,
                 data: np.ndarray, t_start: float, dt: float, units: str = "mV") -> None:
    """A SONATA report: per node a list of (element_id, element_pos) columns; data [T, C]."""
    import h5py

    counts = [len(e) for e in element_ids]
    with h5py.File(path, "w") as f:
        g = f.create_group(f"report/{population}")
        m = g.create_group("mapping")
        m["node_ids"] = np.asarray(node_ids, np.uint64)
        m["index_pointers"] = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
        m["element_ids"] = np.concatenate(element_ids).astype(np.uint32)
        if element_pos is not None:
            m["element_pos"] = np.concatenate(element_pos).astype(np.float64)
        t_stop = t_start + dt * data.shape[0]
        m["time"] = np.array([t_start, t_stop, dt])
        m["time"].attrs["units"] = "ms"
        g["data"] = np.asarray(data, np.float32)
        g["data"].attrs["units"] = units


def report_columns(names: list[str]) -> tuple[list, list]:
    """element_ids / element_pos per node for every segment of the named morphologies."""
    ids, pos = [], []
    for name in names:
        nseg = NSEG[name]
        ids.append(np.repeat(np.arange(len(nseg)), nseg))
        pos.append(np.concatenate([(np.arange(n) + 0.5) / n for n in nseg]))
    return ids, pos


def write_circuit(folder: Path) -> Path:
    """Write the whole circuit and its outputs under ``folder``; returns the simulation config."""
    morph = folder / "morphologies"
    (morph / "asc").mkdir(parents=True)
    (morph / "cell_a.swc").write_text(CELL_A)
    (morph / "cell_b.swc").write_text(CELL_B)
    (morph / "asc" / "cell_c.asc").write_text(CELL_C)
    net = folder / "network"
    net.mkdir()
    (net / "cortex_node_types.csv").write_text(
        "node_type_id model_type morphology pop_name\n"
        "100 biophysical cell_a.swc pyr\n"
        "101 biophysical NULL basket\n"
        "102 point_process NULL lif\n")
    _write_h5_nodes(net / "cortex_nodes.h5", "cortex", [100, 101, 101, 102], {
        "x": [0.0, 100.0, 200.0, 300.0], "y": [0.0, 10.0, 20.0, 30.0], "z": [0.0, 0, 0, 5],
        "rotation_angle_xaxis": [0.0, 0.3, 0.0, 0.0], "rotation_angle_yaxis": [0.0, 0.0, 0.5, 0],
        "rotation_angle_zaxis": [0.0, 0.2, 0.1, 0.0],
        "morphology": ["", "cell_b", "cell_c", ""]})
    _write_h5_nodes(net / "inputs_nodes.h5", "inputs", [1, 1], {"x": [0.0, 0.0]})
    (net / "inputs_node_types.csv").write_text("node_type_id model_type\n1 virtual\n")
    _write_edges(net / "cortex_cortex_edges.h5", "cortex_to_cortex", "cortex", "cortex",
                 [0, 0, 1, 2], [1, 2, 0, 1],
                 {"sec_id": np.array([2, 1, 4, 3], np.int64),
                  "sec_x": np.array([0.5, 0.25, 0.9, 1.0]),
                  "delay": np.array([1.0, 2.0, 1.5, 0.5]),
                  "syn_weight": np.array([0.1, 0.2, 0.3, 0.4])})
    _write_edges(net / "inputs_cortex_edges.h5", "inputs_to_cortex", "inputs", "cortex",
                 [0, 1, 1], [0, 1, 2], {"syn_weight": np.ones(3), "delay": np.ones(3)})
    (folder / "node_sets.json").write_text(json.dumps({
        "pair": {"population": "cortex", "node_id": [0, 2]},
        "bio": {"population": "cortex", "node_id": [0, 1, 2]},
        "by_type": {"model_type": "biophysical"}}))
    _write_outputs(folder / "output")
    return _write_configs(folder)


def _write_configs(folder: Path) -> Path:
    circuit = {
        "manifest": {"$NETWORK_DIR": "./network", "$COMPONENTS": "./morphologies"},
        "components": {"morphologies_dir": "$COMPONENTS",
                       "biophysical_neuron_models_dir": "./models",
                       "alternate_morphologies": {"neurolucida-asc": "$COMPONENTS/asc"}},
        "networks": {
            "nodes": [{"nodes_file": "$NETWORK_DIR/cortex_nodes.h5",
                       "node_types_file": "$NETWORK_DIR/cortex_node_types.csv",
                       "populations": {"cortex": {"type": "biophysical"}}},
                      {"nodes_file": "$NETWORK_DIR/inputs_nodes.h5",
                       "node_types_file": "$NETWORK_DIR/inputs_node_types.csv",
                       "populations": {"inputs": {"type": "virtual"}}}],
            "edges": [{"edges_file": "$NETWORK_DIR/cortex_cortex_edges.h5"},
                      {"edges_file": "$NETWORK_DIR/inputs_cortex_edges.h5"}]}}
    (folder / "circuit_config.json").write_text(json.dumps(circuit, indent=1))
    simulation = {
        "manifest": {"$BASE_DIR": "${configdir}", "$OUTPUT_DIR": "$BASE_DIR/output"},
        "run": {"tstart": 0.0, "tstop": T_STOP, "dt": DT},
        "network": "$BASE_DIR/circuit_config.json",
        "node_sets_file": "$BASE_DIR/node_sets.json",
        "output": {"output_dir": "$OUTPUT_DIR", "spikes_file": "spikes.h5"},
        "reports": {"v_report": {"cells": "bio", "variable_name": "v", "sections": "all",
                                 "module": "membrane_report"},
                    "soma_report": {"cells": "bio", "variable_name": "v", "sections": "soma",
                                    "module": "membrane_report"}}}
    config = folder / "simulation_config.json"
    config.write_text(json.dumps(simulation, indent=1))
    return config


def _write_outputs(out: Path) -> None:
    out.mkdir()
    rng = np.random.default_rng(5)
    n_t = int(round(T_STOP / DT))
    write_spikes(out / "spikes.h5", {
        "cortex": ([0, 1, 2, 0, 3], [3.25, 5.5, 7.0, 12.125, 15.0]),
        "inputs": ([0, 1], [1.0, 2.0])})
    ids, pos = report_columns(MORPH_OF_NODE)
    n_cols = sum(len(i) for i in ids)
    write_report(out / "v_report.h5", "cortex", [0, 1, 2], ids, pos,
                 rng.normal(-65, 10, (n_t, n_cols)), 0.0, DT)
    write_report(out / "soma_report.h5", "cortex", [0, 1, 2], [[0]] * 3, [[0.5]] * 3,
                 rng.normal(-65, 10, (n_t, 3)), 0.0, DT)
