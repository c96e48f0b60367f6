"""The neuroblend.units format: a valid document round-trips; each corruption is named, and
`inspect`/`render units` refuse a corrupt file with one line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.errors import FileFormatError
from neuroblend.files.fileformat import check_document, load_document, save_document
from neuroblend.files.safe_pickle import save_pickle

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import units_docs  # noqa: E402
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402


def valid() -> dict:
    return units_docs.units_doc([(0, 0, 0), (0, 0, 50)], [[10.0, 20.0], [15.0]], (0.0, 100.0))


def test_a_units_file_round_trips(tmp_path):
    save_document(valid(), tmp_path / "u.pkl")
    doc = load_document(tmp_path / "u.pkl", expect="neuroblend.units")
    np.testing.assert_array_equal(doc["spike_times"], [10.0, 20.0, 15.0])


def _set(path, value):
    def change(doc):
        *parents, last = path
        target = doc
        for key in parents:
            target = target[key]
        target[last] = value
    return change


@pytest.mark.parametrize("change, needle", [
    (_set(["spike_offsets"], np.array([0, 2, 9])), "'spike_offsets' must rise"),
    (_set(["spike_offsets"], np.array([0, 3])), "units + 1"),
    (_set(["spike_times"], np.array([10.0, np.nan, 15.0])), "NaN"),
    (_set(["spike_times"], np.array([20.0, 10.0, 15.0])), "unit 0 are not ascending"),
    (_set(["spike_times"], np.array([10.0, 20.0, 150.0])), "outside 'window_ms'"),
    (_set(["unit_electrode"], np.array([0, 7], dtype=np.int32)), "must index the 2 electrodes"),
    (_set(["unit_region"], ["CA3"]), "'unit_region' must be a list of 2 strings"),
    (_set(["electrodes", "position"], np.full((2, 3), np.inf, np.float32)), "NaN or infinite"),
    (_set(["transform"], np.eye(3)), "'transform' must be a finite 4x4"),
    (_set(["window_ms"], np.array([5.0, 1.0])), "'window_ms'"),
])
def test_each_corruption_is_named(change, needle):
    doc = valid()
    change(doc)
    with pytest.raises(FileFormatError, match="invalid neuroblend.units file") as info:
        check_document(doc)
    assert needle in str(info.value)


def test_inspect_and_render_refuse_a_corrupt_units_file_with_one_line(tmp_path):
    doc = valid()
    doc["spike_offsets"] = np.array([0, 2, 99])
    save_pickle(doc, tmp_path / "bad.pkl")
    assert_clean_refusal(run_cli(["inspect", tmp_path / "bad.pkl"], tmp_path), "spike_offsets")
    if importlib.util.find_spec("bpy") is None:
        pytest.skip("render needs the bpy wheel")
    run = run_cli(["render", "units", tmp_path / "bad.pkl", "--out", tmp_path / "out"], tmp_path,
                  timeout=120, address_space=None)
    assert_clean_refusal(run, "spike_offsets")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
