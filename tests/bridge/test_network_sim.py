"""``neuroblend simulate-network`` serially and under MPI, and Recorder spikes/NetCons on a
hand-made model (each NEURON run in its own process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from neuroblend.files.fileformat import load_document

pytest.importorskip("neuron")
MPIEXEC = shutil.which("mpiexec")
NEEDS_MPI = pytest.mark.skipif(MPIEXEC is None, reason="mpiexec not found: install an MPI "
                               "(apt-get install openmpi-bin libopenmpi-dev; .ci/run does)")
NETWORK = ["--cells", "6", "--tstop", "30"]


def _env() -> dict:
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui", OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def _simulate(out, ranks: int = 1, extra=()) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "neuroblend", "simulate-network", *NETWORK, "--out",
               str(out), *extra]
    if ranks > 1:
        command = [MPIEXEC, "--oversubscribe", "-n", str(ranks), *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=_env())


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "net.pkl"
    proc = _simulate(out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return load_document(out)


def test_activity_spreads_from_the_seed_cells(serial):
    spikes = serial["spikes"]
    first = {int(c): float(spikes["time"][spikes["cell"] == c].min())
             for c in np.unique(spikes["cell"])}
    assert len(first) >= 4  # most cells fire, not only the two seeds
    seeds = serial["meta"]["network"]["seeds"]
    assert max(first[s] for s in seeds) < min(t for c, t in first.items() if c not in seeds)
    conn = serial["connections"]
    assert len(conn["pre"]) == 6 * 3 and np.all(conn["delay"] >= 1.0)
    assert serial["cells"][0]["placement"].shape == (4, 4)


@NEEDS_MPI
def test_two_mpi_ranks_give_the_same_spikes(serial, tmp_path):
    out = tmp_path / "mpi.pkl"
    proc = _simulate(out, ranks=2)
    assert proc.returncode == 0, proc.stderr[-2000:]
    mpi = load_document(out)
    assert mpi["meta"]["ranks"] == 2
    assert np.array_equal(mpi["spikes"]["cell"], serial["spikes"]["cell"])
    assert np.allclose(mpi["spikes"]["time"], serial["spikes"]["time"], atol=0.025)
    for key in serial["connections"]:
        assert np.array_equal(mpi["connections"][key], serial["connections"][key])
    assert np.allclose(mpi["values"], serial["values"], atol=1e-3)


@NEEDS_MPI
def test_a_failing_rank_fails_the_run_and_writes_nothing(tmp_path):
    out = tmp_path / "bad.pkl"
    proc = _simulate(out, ranks=2, extra=["--morphology", str(tmp_path / "missing.swc")])
    assert proc.returncode != 0
    assert "no such morphology file" in proc.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


RECORDER_MODEL = textwrap.dedent("""
    import sys
    from neuron import h
    from neuroblend.simulation.recording import Recorder
    cells = {}
    for name in ("a", "b"):
        soma = h.Section(name=f"{name}_soma")
        dend = h.Section(name=f"{name}_dend")
        dend.connect(soma(1), 0)
        soma.L = soma.diam = 20; dend.L, dend.diam, dend.nseg = 200, 2, 5
        for sec in (soma, dend):
            sec.insert("hh")
        cells[name] = [soma, dend]
    stim = h.IClamp(cells["a"][0](0.5)); stim.delay, stim.dur, stim.amp = 1, 2, 1.0
    syn = h.ExpSyn(cells["b"][1](0.3)); syn.e = 0
    nc = h.NetCon(cells["a"][0](0.5)._ref_v, syn, sec=cells["a"][0])
    nc.threshold, nc.delay, nc.weight[0] = -20, 3.0, 0.05
    rec = Recorder(cells)
    rec.record_spikes("soma", -20)
    h.load_file("stdrun.hoc"); h.finitialize(-65); h.continuerun(20)
    rec.save(sys.argv[1])
""")


def test_recorder_records_spikes_and_the_netcons_between_cells(tmp_path):
    script = tmp_path / "model.py"
    script.write_text(RECORDER_MODEL)
    out = tmp_path / "two.pkl"
    proc = subprocess.run([sys.executable, str(script), str(out)], capture_output=True,
                          text=True, timeout=300, env=_env())
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = load_document(out)
    conn = doc["connections"]
    assert conn["pre"].tolist() == [0] and conn["post"].tolist() == [1]
    assert conn["post_section"].tolist() == [1] and conn["delay"].tolist() == [3.0]
    assert abs(float(conn["post_x"][0]) - 0.3) < 0.11  # the segment holding x = 0.3
    spikes = doc["spikes"]
    t_a = spikes["time"][spikes["cell"] == 0]
    t_b = spikes["time"][spikes["cell"] == 1]
    assert len(t_a) == 1 and len(t_b) == 1 and t_b[0] > t_a[0] + 3.0
