"""Bad NWB input: one clear line on stderr, exit 2, nothing written."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pynwb")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import atlas_fixtures as afx  # noqa: E402
import nwb_fixtures as fx  # noqa: E402
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402


@pytest.fixture(scope="module")
def bg(tmp_path_factory):
    return afx.synthetic_atlas(tmp_path_factory)


def refused(tmp_path, nwb: Path, *flags, needles=()):
    out = tmp_path / "units.pkl"
    run = run_cli(["import", "nwb", nwb, "--out", out, *flags], tmp_path, timeout=60)
    assert_clean_refusal(run, *needles)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".nwb"] == []  # no temp left


@pytest.mark.parametrize("kwargs, needles", [
    ({"units": False}, ("no Units table",)),
    ({"electrodes": False}, ("no electrodes table",)),
    ({"xyz": False}, ("no x, y, z column", "positions are missing")),
    ({"nan_unit": 3}, ("no position", "NaN", "electrode id 3")),
    ({"electrodes_column": False}, ("no electrodes column",)),
])
def test_a_file_missing_what_units_need_is_refused(tmp_path, kwargs, needles):
    nwb = fx.write_units_nwb(tmp_path / "bad.nwb", n_units=6, **kwargs)
    refused(tmp_path, nwb, needles=needles)


def test_an_atlas_of_another_space_is_refused(tmp_path, bg):
    nwb = fx.write_units_nwb(tmp_path / "ccf.nwb", space_note="positions in allen_mouse_25um")
    refused(tmp_path, nwb, "--atlas", bg[1], "--brainglobe-dir", bg[0],
            needles=("allen_mouse_25um space", f"--atlas is {bg[1]}"))


def test_positions_outside_the_atlas_volume_are_refused(tmp_path, bg):
    far = fx.unit_positions(6) * 1000.0  # metres read as micrometres: far outside
    nwb = fx.write_units_nwb(tmp_path / "far.nwb", n_units=6, positions=far)
    refused(tmp_path, nwb, "--atlas", bg[1], "--brainglobe-dir", bg[0],
            needles=("outside atlas", "not in this atlas's space"))


def test_a_window_flag_the_file_cannot_satisfy_is_refused(tmp_path):
    nwb = fx.write_units_nwb(tmp_path / "s.nwb", n_units=4)
    refused(tmp_path, nwb, "--trial", "7", needles=("--trial 7", "2 trials"))
    refused(tmp_path, nwb, "--epoch", "sleep", needles=("no epoch is tagged 'sleep'", "running"))
    refused(tmp_path, nwb, "--time-window", "3", "1", needles=("end must be after",))


def _text(path):
    path.write_text("not an nwb file\n")


def _pickle(path):
    path.write_bytes(pickle.dumps({"format": "neuroblend.units"}))


def _plain_hdf5(path):
    import h5py

    with h5py.File(path, "w") as f:
        f["data"] = np.arange(10)


def _truncated(path):
    fx.write_units_nwb(path, n_units=4)
    path.write_bytes(path.read_bytes()[:4000])


@pytest.mark.parametrize("make, needle", [
    (_text, "not an NWB file: it is not HDF5"),
    (_pickle, "not an NWB file: it is not HDF5"),
    (_plain_hdf5, "HDF5 file but not an NWB file"),
    (_truncated, "not a readable HDF5 file"),
])
def test_a_file_that_is_not_nwb_is_refused(tmp_path, make, needle):
    path = tmp_path / "input.nwb"
    make(path)
    refused(tmp_path, path, needles=(needle,))
