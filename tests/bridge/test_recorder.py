"""The Recorder API for people's own NEURON models (each run in its own subprocess: NEURON's ``h``
is a process-wide singleton)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from neuron_run import python  # noqa: E402

from neuroblend.files.fileformat import load_document, summarize

pytest.importorskip("neuron")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("recorder")


RECORDER_SCRIPT = """
    import warnings
    from neuron import h
    from neuroblend.simulation.recording import Recorder
    h.load_file("stdrun.hoc")
    cells = {}
    for name in ("left", "right"):
        soma = h.Section(name=name + "_soma")
        dend = h.Section(name=name + "_dend")
        soma.L = soma.diam = 20
        dend.L, dend.diam, dend.nseg = 400, 1, 9
        for sec in (soma, dend):
            sec.insert("hh")
        cells[name] = [soma, dend]
    # left: dendrite attached by its 0 end; right: by its 1 end (compartments turned round)
    cells["left"][1].connect(cells["left"][0](1), 0)
    cells["right"][1].connect(cells["right"][0](1), 1)
    for name in cells:
        soma, dend = cells[name]
        h.pt3dadd(0, 0, 0, 20, sec=soma)
        h.pt3dadd(20, 0, 0, 20, sec=soma)
        # tapered; NEURON's 3D points start at the connected end whichever end that is
        h.pt3dadd(20, 0, 0, 3, sec=dend)
        h.pt3dadd(420, 0, 0, 0.5, sec=dend)
    stims = []
    for name in cells:
        stim = h.IClamp(cells[name][0](0.5))
        stim.delay, stim.dur, stim.amp = 2, 1, 1.0
        stims.append(stim)
    rec = Recorder(sections=cells, variable="v")
    every = Recorder(variable="ik")  # every section, one cell per tree
    h.dt = 0.025
    h.finitialize(-65)
    h.continuerun(15)
    rec.save("two_cells.pkl", meta={"stimulus": {"kind": "iclamp"}})
    rec.save("two_cells_2ms.pkl", sample_every=2.0)
    every.save("every.pkl")
    h.continuerun(16)
    cells["left"][1](0.5).v = float("nan")  # a blown-up model
    h.continuerun(20)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rec.save("blown_up.pkl")
    print("WARN", *[str(w.message) for w in caught])
"""


@pytest.fixture(scope="module")
def recorder_run(workdir) -> subprocess.CompletedProcess:
    done = python(RECORDER_SCRIPT, workdir)
    assert done.returncode == 0, done.stderr
    return done


def test_recorder_writes_several_cells_and_turns_sections_round(recorder_run, workdir):
    doc = load_document(workdir / "two_cells.pkl", expect="neuroblend.simulation")
    assert [c["name"] for c in doc["cells"]] == ["left", "right"]
    assert [c["row_start"] for c in doc["cells"]] == [0, 10]
    assert doc["values"].shape == (20, 601)
    left, right = (cell["sections"] for cell in doc["cells"])
    np.testing.assert_array_equal(right["points"][2:], [[20, 0, 0], [420, 0, 0]])  # parent end first
    np.testing.assert_array_equal(right["parent_x"], [0, 1])
    for key in ("points", "diameters", "parent", "parent_x", "point_offsets"):
        np.testing.assert_array_equal(left[key], right[key])
    # both cells are the same model: after turning round, rows must match compartment by compartment
    np.testing.assert_allclose(doc["values"][:10], doc["values"][10:], atol=1e-3)
    tip = doc["values"][9]
    assert doc["time"][np.argmax(tip)] > doc["time"][np.argmax(doc["values"][0])]


def test_recorder_without_sections_records_every_tree(recorder_run, workdir):
    doc = load_document(workdir / "every.pkl")
    assert [c["name"] for c in doc["cells"]] == ["left_soma", "right_soma"]
    assert doc["variable"] == "ik" and doc["units"]["values"] == "mA/cm2"
    assert not np.isnan(doc["values"]).any()


def test_recorder_downsampling_keeps_the_spike_peak(recorder_run, workdir):
    full = load_document(workdir / "two_cells.pkl")
    coarse = load_document(workdir / "two_cells_2ms.pkl")
    assert np.median(np.diff(coarse["time"])) == pytest.approx(2.0)
    assert coarse["values"].shape[1] < full["values"].shape[1] / 50
    np.testing.assert_allclose(coarse["values"].max(axis=1), full["values"].max(axis=1))
    assert full["values"][0, ::80].max() < full["values"][0].max() - 10  # striding would lose it


def test_recorder_saves_nan_recordings_with_a_warning(recorder_run, workdir):
    assert "NaN values" in recorder_run.stdout and "saved anyway" in recorder_run.stdout
    doc = load_document(workdir / "blown_up.pkl")
    assert summarize(doc)["nan_values"] > 0
