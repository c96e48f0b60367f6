"""``neuroblend simulate`` with NEURON (the Recorder API: ``test_recorder.py``).

NEURON's ``h`` is a process-wide singleton, so every simulation runs in its own subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from neuron_run import python  # noqa: E402

from neuroblend.files.fileformat import load_document, summarize

neuron = pytest.importorskip("neuron")
PYRAMID = Path(neuron.__file__).parent / ".data" / "share" / "nrn" / "demo" / "pyramid.nrn"

SMALL_SWC = """\
# soma, a branching dendrite and an axon
1 1 0 0 0 6 -1
2 3 0 6 0 1.5 1
3 3 0 60 0 1.2 2
4 3 30 120 0 1 3
5 3 -30 120 0 1 3
6 3 50 200 0 0.8 4
7 2 0 -6 0 0.8 1
8 2 0 -200 0 0.6 7
"""

SMALL_ASC = """\
; a tiny hand-written Neurolucida cell
("CellBody"
  (Closed)
  ( -5.0  0.0 0.0 0.5)
  ( -3.5  3.5 0.0 0.5)
  (  0.0  5.0 0.0 0.5)
  (  3.5  3.5 0.0 0.5)
  (  5.0  0.0 0.0 0.5)
  (  3.5 -3.5 0.0 0.5)
  (  0.0 -5.0 0.0 0.5)
  ( -3.5 -3.5 0.0 0.5)
)
( (Dendrite)
  ( 0.0  5.0 0.0 2.0)
  ( 0.0 40.0 0.0 2.0)
  ( 0.0 80.0 0.0 1.5)
  (
    ( 20.0 150.0 0.0 1.0)
    ( 40.0 220.0 0.0 1.0)
  |
    ( -20.0 150.0 0.0 1.0)
    ( -40.0 220.0 0.0 1.0)
  )
)
( (Axon)
  ( 0.0 -5.0 0.0 1.0)
  ( 0.0 -100.0 0.0 1.0)
)
"""


def simulate(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui")
    return subprocess.run([sys.executable, "-m", "neuroblend", "simulate", *map(str, args)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def simulated(cwd: Path, morphology, *args: str, name: str = "sim.pkl") -> tuple[dict, str]:
    """Run the CLI (must succeed); return the loaded document and stdout + stderr."""
    out = cwd / name
    done = simulate(cwd, morphology, "--out", out, *args)
    assert done.returncode == 0, done.stderr
    return load_document(out, expect="neuroblend.simulation"), done.stdout + done.stderr


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("simulate")


@pytest.fixture(scope="module")
def pyramid(workdir) -> tuple[dict, str]:
    return simulated(workdir, PYRAMID, "--trust-code", "--tstop", "40", name="pyramid.pkl")


@pytest.fixture(scope="module")
def pyramid_reference(workdir) -> dict:
    """pyramid.nrn's geometry as NEURON itself reports it (no NeuroBlend code involved)."""
    done = python(f"""
        import numpy as np
        from neuron import h
        h.load_file(1, {str(PYRAMID)!r})
        secs = list(h.allsec())
        names = [s.name() for s in secs]
        np.savez("reference.npz", names=names,
                 parent=[names.index(s.parentseg().sec.name()) if s.parentseg() else -1
                         for s in secs],
                 parent_x=[s.parentseg().x if s.parentseg() else 0 for s in secs],
                 orientation=[s.orientation() for s in secs],
                 points=np.array([[s.x3d(i), s.y3d(i), s.z3d(i)] for s in secs
                                  for i in range(s.n3d())]),
                 diameters=[s.diam3d(i) for s in secs for i in range(s.n3d())],
                 n3d=[s.n3d() for s in secs])
        """, workdir)
    assert done.returncode == 0, done.stderr
    return dict(np.load(workdir / "reference.npz"))


def path_distance(cell: dict) -> np.ndarray:
    """Path length from the root to every compartment, from the file's geometry alone."""
    sec, comp = cell["sections"], cell["compartments"]
    off, pts = sec["point_offsets"], sec["points"].astype(np.float64)
    length = np.array([np.linalg.norm(np.diff(pts[off[i]:off[i + 1]], axis=0), axis=1).sum()
                       for i in range(len(sec["name"]))])
    start = np.zeros(len(length))
    for i in range(len(length)):  # NEURON lists parents before children here
        p = sec["parent"][i]
        if p >= 0:
            start[i] = start[p] + sec["parent_x"][i] * length[p]
    return start[comp["section"]] + comp["x"] * length[comp["section"]]


# ----------------------------------------------------------------------------------- pyramid.nrn

def test_pyramid_has_79_sections_and_its_geometry_round_trips_exactly(pyramid, pyramid_reference):
    doc, output = pyramid
    ref = pyramid_reference
    sec = doc["cells"][0]["sections"]
    assert len(sec["name"]) == 79
    assert sec["name"] == list(ref["names"])
    assert np.all(ref["orientation"] == 0)  # nothing to turn round in this file
    np.testing.assert_array_equal(sec["parent"], ref["parent"])
    np.testing.assert_array_equal(sec["parent_x"], ref["parent_x"].astype(np.float32))
    np.testing.assert_array_equal(sec["points"], ref["points"].astype(np.float32))
    np.testing.assert_array_equal(sec["diameters"], ref["diameters"].astype(np.float32))
    np.testing.assert_array_equal(np.diff(sec["point_offsets"]), ref["n3d"])
    assert sec["type"][0] == "soma" and set(sec["type"][1:]) == {"dend"}
    assert "79 sections" in output and "wrote" in output


def test_pyramid_soma_rests_then_fires_during_the_pulse(pyramid):
    doc, _ = pyramid
    t, cell = doc["time"], doc["cells"][0]
    soma = doc["values"][np.flatnonzero(cell["compartments"]["section"] == 0)[0]]
    stim = doc["meta"]["stimulus"]
    assert stim["kind"] == "iclamp" and stim["delay"] == 5.0
    before = soma[t < stim["delay"]]
    assert np.all(np.abs(before - (-65.0)) < 1.0)
    during = (t >= stim["delay"]) & (t <= stim["delay"] + stim["dur"])
    crossings = np.flatnonzero((soma[1:] > 0) & (soma[:-1] <= 0)) + 1
    assert len(crossings) >= 2 and np.all(during[crossings])
    assert doc["time"][0] == 0 and doc["time"][-1] == pytest.approx(40.0)
    np.testing.assert_allclose(np.diff(doc["time"]), 0.025, atol=1e-9)
    assert doc["meta"]["neuron_version"] == neuron.__version__
    assert doc["meta"]["morphology"]["path"] == str(PYRAMID.resolve())
    assert len(doc["meta"]["morphology"]["sha256"]) == 64


def test_pyramid_far_dendrite_peaks_later_than_the_soma(pyramid):
    doc, _ = pyramid
    cell = doc["cells"][0]
    distance = path_distance(cell)
    far = int(np.argmax(distance))
    assert distance[far] > 500  # um along the tree
    v, t = doc["values"], doc["time"]
    first_spike = t < 15
    soma_peak = t[first_spike][np.argmax(v[0, first_spike])]
    far_peak = t[first_spike][np.argmax(v[far, first_spike])]
    assert v[far, first_spike].max() > 0  # the action potential reached the tip
    assert far_peak > soma_peak + 0.5


def test_inspect_summarises_the_file(pyramid, workdir):
    done = subprocess.run([sys.executable, "-m", "neuroblend", "inspect",
                           str(workdir / "pyramid.pkl")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "sections: 79" in done.stdout
    assert "soma_peak:" in done.stdout and "pyramid: soma(0.5)" in done.stdout
    assert "time_span: 0 .. 40 ms" in done.stdout


# ----------------------------------------------------------------------------------- options

@pytest.mark.parametrize("args, reason", [
    (["--tstop", "0"], "argument --tstop: 0: expected a number above 0"),
    (["--tstop", "0.05"], "shorter than one action potential"),
    (["--dt", "-0.025"], "argument --dt: -0.025: expected a number above 0"),
    (["--dt", "5", "--tstop", "2"], "--dt: 5 ms is longer than --tstop 2 ms"),
    (["--dt", "2.5e-5"], "looks like seconds"),
    (["--sample-every", "0.01"], "--sample-every: 0.01 ms is shorter than --dt"),
    (["--amp", "5000"], "the unit is nA"),
    (["--delay", "80"], "after the simulation ends"),
    (["--stim", "synapses", "--rate", "0"], "argument --rate: 0: expected a number above 0 and "
                                            "at most 1000"),
])
def test_unit_mistakes_are_rejected_with_the_reason(workdir, args, reason):
    done = simulate(workdir, PYRAMID, "--trust-code", "--out", workdir / "never.pkl", *args)
    assert done.returncode == 2
    assert reason in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "Traceback" not in done.stderr  # flags: after argparse's usage
    assert not (workdir / "never.pkl").exists()


def test_repaired_swc_simulates_with_one_line_warnings(tmp_path):
    bad = SMALL_SWC.replace("4 3 30 120 0 1 3", "4 3 30 120 0 0 3")  # zero radius
    bad = bad.replace("# soma", "\n# soma") + "\n# trailing\n9 3 90 300 0 1 42\n"  # lost parent
    (tmp_path / "bad.swc").write_text(bad)
    doc, output = simulated(tmp_path, "bad.swc", "--tstop", "20")
    warnings = [ln for ln in output.splitlines() if "warning:" in ln]
    assert any("zero or negative radius" in w for w in warnings)
    assert any("missing parent" in w and "line 13 (parent 42)" in w for w in warnings)
    sec = doc["cells"][0]["sections"]
    assert sec["type"].count("soma") >= 1 and "axon" in sec["type"]
    assert np.all(sec["diameters"] > 0)
    assert doc["values"].max() > 0  # it fired


def test_unrepairable_swc_fails_naming_the_line(tmp_path):
    (tmp_path / "dup.swc").write_text(SMALL_SWC + "3 3 5 5 5 1 2\n")
    done = simulate(tmp_path, "dup.swc", "--out", "x.pkl")
    assert done.returncode == 2
    assert "dup.swc line 10: id 3 is used again with different data" in done.stderr
    assert "Traceback" not in done.stderr


def test_neurolucida_asc_loads_through_import3d(tmp_path):
    (tmp_path / "cell.asc").write_text(SMALL_ASC)
    doc, _ = simulated(tmp_path, "cell.asc", "--tstop", "20")
    sec = doc["cells"][0]["sections"]
    assert sorted(sec["type"]) == ["axon", "dend", "dend", "dend", "soma"]
    assert doc["values"].max() > 0


def test_unreadable_morphologies_fail_clearly(tmp_path):
    (tmp_path / "junk.asc").write_text("(((( this is not neurolucida\n")
    (tmp_path / "cell.obj").write_text("v 0 0 0\n")
    (tmp_path / "broken.hoc").write_text("create soma\nsoma { L = 10\n nonsense here\n")
    for name, reason in (("junk.asc", "no sections were created"),
                         ("cell.obj", "unsupported morphology type '.obj'"),
                         ("broken.hoc", "NEURON could not run this geometry file"),
                         ("missing.swc", "no such morphology file")):
        done = simulate(tmp_path, name, "--out", "x.pkl", "--trust-code")
        assert done.returncode == 2, name
        assert reason in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert "near line 3" in simulate(tmp_path, "broken.hoc", "--out", "x.pkl",
                                     "--trust-code").stderr


def test_hoc_morphology_runs_only_with_trust_code(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "evil.hoc").write_text(f'system("touch {marker}")\ncreate soma\n')
    done = simulate(tmp_path, "evil.hoc", "--out", "x.pkl")
    assert done.returncode == 2 and "--trust-code" in done.stderr
    assert "NEURON program" in done.stderr and "Traceback" not in done.stderr
    assert not marker.exists() and not (tmp_path / "x.pkl").exists()
    garbage = tmp_path / "garbage.hoc"
    garbage.write_bytes(bytes(range(256)) * 4)
    done = simulate(tmp_path, garbage, "--out", "x.pkl", "--trust-code")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr


def test_record_a_current_with_passive_dendrites_and_downsampling(tmp_path):
    (tmp_path / "cell.swc").write_text(SMALL_SWC)
    doc, output = simulated(tmp_path, "cell.swc", "--record", "ina", "--dendrites", "passive",
                            "--sample-every", "1", "--tstop", "30")
    assert doc["variable"] == "ina" and doc["units"]["values"] == "mA/cm2"
    assert "not defined in" in output and "rows are NaN" in output  # no sodium in dendrites
    cell = doc["cells"][0]
    dend_rows = np.isin(cell["compartments"]["section"],
                        [i for i, t in enumerate(cell["sections"]["type"]) if t == "dend"])
    assert np.all(np.isnan(doc["values"][dend_rows]))
    assert np.nanmin(doc["values"][~dend_rows]) < -0.1  # sodium inrush of a spike survived
    assert len(doc["time"]) == pytest.approx(30, abs=1)
    assert summarize(doc)["soma_peak"].startswith("-")


def test_hoc_and_python_models_change_the_biophysics(tmp_path):
    (tmp_path / "cell.swc").write_text(SMALL_SWC)
    (tmp_path / "block.hoc").write_text("forall if (ismembrane(\"hh\")) { gnabar_hh = 0 }\n")
    (tmp_path / "block.py").write_text("for sec in sections:\n    for seg in sec:\n"
                                       "        seg.hh.gnabar = 0\nsoma.Ra = 123\n")
    for model in ("block.hoc", "block.py"):
        doc, _ = simulated(tmp_path, "cell.swc", "--model", model, "--tstop", "20")
        assert doc["values"].max() < -20, model  # no sodium, no spike
        assert doc["meta"]["model"]["path"].endswith(model)
    (tmp_path / "oops.py").write_text("raise ValueError('bad density')\n")
    done = simulate(tmp_path, "cell.swc", "--out", "x.pkl", "--model", "oops.py")
    assert done.returncode == 2 and "oops.py failed: ValueError: bad density" in done.stderr


def test_random_synaptic_input(tmp_path):
    doc, output = simulated(tmp_path, PYRAMID, "--trust-code", "--stim", "synapses", "--synapses", "60",
                            "--rate", "40", "--tstop", "60")
    stim = doc["meta"]["stimulus"]
    assert stim["kind"] == "synapses" and stim["n"] == 60
    assert "60 random excitatory synapses on dendrites" in output
    assert doc["values"][0].max() > 0  # the soma fired


def test_compiled_mechanisms_can_be_inserted_and_recorded(tmp_path):
    mods = tmp_path / "mods"
    mods.mkdir()
    (mods / "leakx.mod").write_text(textwrap.dedent("""\
        NEURON { SUFFIX leakx NONSPECIFIC_CURRENT i RANGE g, e }
        UNITS { (mA) = (milliamp) (mV) = (millivolt) }
        PARAMETER { g = 0.0001 (S/cm2) e = -70 (mV) }
        ASSIGNED { v (mV) i (mA/cm2) }
        BREAKPOINT { i = g * (v - e) }
        """))
    (tmp_path / "cell.swc").write_text(SMALL_SWC)
    (tmp_path / "m.py").write_text("for sec in sections:\n    sec.insert('leakx')\n")
    doc, output = simulated(tmp_path, "cell.swc", "--mechanisms", mods, "--model", "m.py",
                            "--record", "i_leakx", "--tstop", "10")
    assert "loaded mechanisms" in output
    assert doc["variable"] == "i_leakx"
    np.testing.assert_allclose(doc["values"][:, 0], 1e-4 * (-65 + 70), rtol=1e-4)


# ----------------------------------------------------------------------------------- Recorder API
