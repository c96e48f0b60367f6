"""Patch-clamp sweeps in: the soma voltage equals the NWB data after conversion, the stimulus is
a trace, and non-current-clamp sweeps are refused."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pynwb")

from neuroblend.cli import main  # noqa: E402
from neuroblend.files.fileformat import load_document  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import nwb_fixtures as fx  # noqa: E402
import swc_generator  # noqa: E402
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    swc = folder / "cell.swc"
    swc.write_text(swc_generator.generate_cell(1, max_order=3, axon_points=50))
    return fx.write_sweep_nwb(folder / "sweep.nwb"), swc


def test_the_soma_voltage_equals_the_nwb_data_after_conversion_at_every_sample(files, tmp_path):
    nwb, swc = files
    out, stim = tmp_path / "sweep.pkl", tmp_path / "stim.pkl"
    assert main(["import", "nwb", str(nwb), "--sweep", "3", "--morphology", str(swc),
                 "--out", str(out), "--stimulus-out", str(stim),
                 "--time-window", "2.05", "2.15"]) == 0
    doc = load_document(out, expect="neuroblend.simulation")
    first = int(np.ceil((2.05 - 2.0) * fx.SWEEP_RATE - 1e-9))
    raw = fx.sweep_raw()[first:first + 2000].astype(np.float64)
    want = ((raw * fx.SWEEP_CONVERSION + 0.0005) * 1000.0).astype(np.float32)
    soma = doc["cells"][0]["sections"]["type"].index("soma")
    np.testing.assert_array_equal(doc["values"][soma], want)
    np.testing.assert_array_equal(doc["values"][-1], want)  # spread over the whole cell
    np.testing.assert_allclose(doc["time"], 2000.0 + (first + np.arange(2000)) / 20.0,
                               rtol=0, atol=1e-9)
    assert doc["units"]["values"] == "mV" and doc["meta"]["sweep"]["number"] == 3
    current = load_document(stim, expect="neuroblend.simulation")
    np.testing.assert_allclose(current["values"][0],
                               fx.sweep_stimulus()[first:first + 2000] * 1e9, rtol=1e-6)
    assert current["units"]["values"] == "nA"


@pytest.mark.parametrize("flags, needles", [
    (("--sweep", "4"), ("VoltageClampSeries", "not current clamp")),
    (("--sweep", "9"), ("--sweep 9", "sweeps: 3, 4")),
    (("--sweep", "3", "--time-window", "50", "60"), ("fewer than two samples",)),
])
def test_bad_sweeps_are_refused(files, tmp_path, flags, needles):
    nwb, swc = files
    out = tmp_path / "s.pkl"
    run = run_cli(["import", "nwb", nwb, "--morphology", swc, "--out", out, *flags], tmp_path,
                  timeout=60)
    assert_clean_refusal(run, *needles)
    assert not out.exists()


def test_a_sweep_needs_a_morphology(files, tmp_path):
    run = run_cli(["import", "nwb", files[0], "--sweep", "3", "--out", tmp_path / "s.pkl"],
                  tmp_path, timeout=60)
    assert_clean_refusal(run, "--sweep and --morphology go together")
