"""The compartment-report reference: a small BMTK network run through NEURON with a membrane
report of every segment; the value our import puts on section S at x equals what NEURON records
directly at S(x) in the same run (an independent Vector on the segment, by section name)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("libsonata")
pytest.importorskip("morphio")
pytest.importorskip("neuron")
pytest.importorskip("bmtk", reason="the BMTK reference needs bmtk (pip install bmtk)")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from swc_generator import generate_cell  # noqa: E402

from neuroblend.files.fileformat import load_document  # noqa: E402
from neuroblend.sonata.to_simulation import SonataImportOptions, import_sonata  # noqa: E402

pytestmark = pytest.mark.slow

BUILD_AND_RUN = """
import sys
from pathlib import Path

import numpy as np
from bmtk.builder import NetworkBuilder
from bmtk.simulator import bionet
from neuron import h

work = Path(sys.argv[1])
net = NetworkBuilder("cortex")
net.add_nodes(N=2, model_type="biophysical", model_template="ctdb:Biophys1.hoc",
              model_processing="hh_everywhere", morphology="cell.swc", pop_name="pyr",
              x=[0.0, 300.0], y=[0.0, 50.0], z=[0.0, 0.0], rotation_angle_zaxis=[0.0, 0.7])
net.build()
net.save_nodes(output_dir=str(work / "network"))


@bionet.model_processing
def hh_everywhere(hobj, cell, dynamics_params):
    for sec in hobj.all:
        sec.insert("hh")
    return hobj


conf = bionet.Config.from_json(str(work / "simulation_config.json"))
conf.build_env()
graph = bionet.BioNetwork.from_config(conf)
sim = bionet.BioSimulator.from_config(conf, network=graph)
names, xs, vectors = [], [], []
for gid in (0, 1):
    for sec in graph.get_cell_gid(gid).hobj.all:
        for seg in sec:
            vec = h.Vector()
            vec.record(seg._ref_v)
            names.append(f"{gid}:{sec.name().split('.')[-1]}")
            xs.append(seg.x)
            vectors.append(vec)
t = h.Vector()
t.record(h._ref_t)
sim.run()
np.savez(work / "direct.npz", names=np.array(names), x=np.array(xs), t=np.array(t),
         v=np.array([np.array(v) for v in vectors]))
"""


def _configs(work: Path) -> Path:
    (work / "morphologies").mkdir(parents=True)
    (work / "morphologies" / "cell.swc").write_text(generate_cell(7, max_order=3,
                                                                  axon_points=40))
    circuit = {"manifest": {"$BASE_DIR": "${configdir}"},
               "components": {"morphologies_dir": "$BASE_DIR/morphologies",
                              "biophysical_neuron_models_dir": "$BASE_DIR/models"},
               "networks": {"nodes": [{"nodes_file": "$BASE_DIR/network/cortex_nodes.h5",
                                       "node_types_file": "$BASE_DIR/network/cortex_node_types.csv"}],
                            "edges": []}}
    simulation = {
        "manifest": {"$BASE_DIR": "${configdir}", "$OUTPUT_DIR": "$BASE_DIR/output"},
        "target_simulator": "NEURON",
        "run": {"tstart": 0.0, "tstop": 15.0, "dt": 0.025, "dL": 12.0,
                "spike_threshold": -15.0, "nsteps_block": 5000},
        "conditions": {"celsius": 20.0, "v_init": -65.0},
        "inputs": {"clamp": {"input_type": "current_clamp", "module": "IClamp",
                             "node_set": "all", "amp": 0.8, "delay": 2.0, "duration": 8.0}},
        "output": {"log_file": "log.txt", "output_dir": "$OUTPUT_DIR",
                   "spikes_file": "spikes.h5"},
        "reports": {"v_report": {"variable_name": "v", "cells": "all",
                                 "module": "membrane_report", "sections": "all"}},
        "network": "$BASE_DIR/circuit_config.json"}
    (work / "models").mkdir()
    (work / "circuit_config.json").write_text(json.dumps(circuit))
    config = work / "simulation_config.json"
    config.write_text(json.dumps(simulation))
    return config


def test_bmtk_compartment_report_lands_on_neurons_sections(tmp_path):
    work = tmp_path / "bmtk"
    config = _configs(work)
    script = tmp_path / "run_bmtk.py"
    script.write_text(BUILD_AND_RUN)
    done = subprocess.run([sys.executable, str(script), str(work)], capture_output=True,
                          text=True, timeout=600, cwd=work)
    assert done.returncode == 0, done.stderr[-3000:]
    import_sonata(SonataImportOptions(config=str(config), out=str(tmp_path / "sim.pkl"),
                                      report="v_report"))
    doc = load_document(tmp_path / "sim.pkl")
    direct = np.load(work / "direct.npz")
    t = direct["t"]
    # BMTK records after each NEURON step but labels frame k with the step's start time:
    # frame k (time t0 + k dt in the report) holds v at t0 + (k + 1) dt.
    columns = [int(np.argmin(np.abs(t - time))) + 1 for time in doc["time"]]
    assert np.allclose(t[columns], doc["time"] + 0.025, atol=1e-9)
    checked = 0
    for label, x, trace in zip(direct["names"], direct["x"], direct["v"], strict=True):
        gid, name = str(label).split(":")
        cell = doc["cells"][int(gid)]
        section = cell["sections"]["name"].index(name)
        comp = cell["compartments"]
        on = np.flatnonzero(comp["section"] == section)
        row = cell["row_start"] + on[int(np.argmin(np.abs(comp["x"][on] - x)))]
        assert abs(comp["x"][row - cell["row_start"]] - x) < 1e-6, (name, x)
        np.testing.assert_allclose(doc["values"][row], trace[columns], atol=1e-4, rtol=0,
                                   err_msg=f"cell {gid} {name}({x:g})")
        checked += 1
    assert checked == doc["values"].shape[0]       # every compartment of both cells
    assert float(doc["values"].max()) > 0.0        # the cells fired: values vary along them
    assert len(doc["spikes"]["time"]) > 0
