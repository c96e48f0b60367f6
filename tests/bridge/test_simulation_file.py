"""The neuroblend.simulation file format: building, validation, summary, legacy pickles,
peak-keeping downsampling. No NEURON needed."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from neuroblend.errors import FileFormatError
from neuroblend.files.fileformat import load_document, save_document, summarize
from neuroblend.simulation import simulation_file as sf
from neuroblend.simulation.recording import decimate_keep_peaks
from neuroblend.simulation.simulation_build import build_simulation_document


def two_cell_doc() -> dict:
    """A soma + 2-section dendrite cell and a one-section cell, with a soma spike at 2.5 ms."""
    a = {"name": "a", "nseg": [1, 3, 2],
         "sections": {"name": ["soma", "dend[0]", "dend[1]"], "type": ["soma", "dend", "dend"],
                      "parent": [-1, 0, 1], "parent_x": [0.5, 1.0, 1.0],
                      "points": [[[0, 0, 0], [10, 0, 0]], [[10, 0, 0], [50, 0, 0], [90, 0, 0]],
                                 [[90, 0, 0], [90, 30, 0]]],
                      "diameters": [[10, 10], [2, 2, 1.5], [1, 1]]}}
    b = {"name": "b", "nseg": [1],
         "sections": {"name": ["axon"], "type": ["axon"], "parent": [-1], "parent_x": [0],
                      "points": [[[0, 0, 5], [0, 0, 50]]], "diameters": [[1, 1]]}}
    t = np.arange(0, 10, 0.5)
    v = np.full((7, len(t)), -65.0)
    v[0, 5] = 30.0   # soma spike
    v[3, 7] = 10.0   # later in a dendrite
    return build_simulation_document([a, b], t, v, meta={"stimulus": {"kind": "test"}})


def test_built_document_round_trips_through_a_file(tmp_path):
    doc = two_cell_doc()
    path = tmp_path / "sim.pkl"
    save_document(doc, path)
    back = load_document(path, expect="neuroblend.simulation")
    assert back["values"].dtype == np.float32 and back["time"].dtype == np.float64
    assert back["values"].shape == (7, 20)
    assert [c["row_start"] for c in back["cells"]] == [0, 6]
    np.testing.assert_array_equal(back["cells"][0]["compartments"]["x"],
                                  np.float32([0.5, 1 / 6, 0.5, 5 / 6, 0.25, 0.75]))
    np.testing.assert_array_equal(back["cells"][0]["sections"]["point_offsets"], [0, 2, 5, 7])
    assert back["units"] == {"time": "ms", "values": "mV", "space": "um"}
    assert back["meta"]["time_base"] == "recorded"


def test_summary_names_sizes_and_soma_peak():
    s = summarize(two_cell_doc())
    assert (s["cells"], s["sections"], s["compartments"], s["samples"]) == (2, 4, 7, 20)
    assert s["time_span"] == "0 .. 9.5 ms"
    assert s["value_range"] == "-65 .. 30 mV"
    assert s["soma_peak"] == "30 mV at 2.5 ms (a: soma(0.5))"
    assert s["nan_values"] == 0


def test_soma_peak_of_an_inward_current_is_its_most_negative_value():
    doc = two_cell_doc()
    doc["variable"] = "ina"
    doc["values"][:] = -0.001
    doc["values"][0, 4] = -0.7
    assert sf.soma_peak(doc)["time"] == 2.0
    assert sf.soma_peak(doc)["value"] == pytest.approx(-0.7)
    doc["variable"] = "v"  # a voltage peak is its maximum
    assert sf.soma_peak(doc)["value"] == pytest.approx(-0.001)


def broken(mutate):
    doc = two_cell_doc()
    mutate(doc)
    return " | ".join(sf.problems(doc))


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d.update(time=d["time"].astype(np.float32)), "time has dtype float32"),
    (lambda d: d["time"].__setitem__(3, 0.0), "time is not strictly increasing (sample 3"),
    (lambda d: d.update(values=d["values"][:, :-1]), "values has 19 columns but time has 20"),
    (lambda d: d.update(values=d["values"][:-1]), "values has 6 rows"),
    (lambda d: d["cells"][1].update(row_start=5), "cells[1].row_start is 5, expected 6"),
    (lambda d: d["cells"][0]["sections"]["parent"].__setitem__(0, 7),
     "cells[0].sections.parent[0] is 7"),
    (lambda d: d["cells"][0]["sections"]["parent"].__setitem__(0, 2), "has a cycle"),
    (lambda d: d["cells"][0]["sections"]["point_offsets"].__setitem__(1, 1),
     "section 0 (soma) has 1 points, at least 2 are needed"),
    (lambda d: d["cells"][0]["sections"]["point_offsets"].__setitem__(1, 6),
     "point_offsets decreases at section 1 (dend[0])"),
    (lambda d: d["cells"][0]["sections"]["point_offsets"].__setitem__(3, 9),
     "point_offsets must start at 0 and end at 7"),
    (lambda d: d["cells"][0]["sections"].update(points=np.zeros((7, 2), np.float32)),
     "points has shape (7, 2)"),
    (lambda d: d["cells"][0]["sections"]["type"].__setitem__(1, "dendrite"),
     "type has 'dendrite'"),
    (lambda d: d["cells"][0]["compartments"]["section"].__setitem__(0, 1),
     "section 0 has no compartments"),
    (lambda d: d["cells"][0]["compartments"]["x"].__setitem__(1, 0.9), "x[1] is 0.9"),
    (lambda d: d["units"].update(time="s"), "units.time is 's'"),
    (lambda d: d.update(cells=[]), "cells must be a non-empty list"),
])
def test_problems_name_the_field(mutate, expected):
    assert expected in broken(mutate)


def test_nan_values_are_valid_but_counted():
    doc = two_cell_doc()
    doc["values"][2, 4:] = np.nan
    assert sf.problems(doc) == []
    assert summarize(doc)["nan_values"] == 16


def test_broken_file_is_refused_with_a_field_by_field_reason(tmp_path):
    doc = two_cell_doc()
    bad = copy.deepcopy(doc)
    bad["cells"][0]["sections"]["parent"] = bad["cells"][0]["sections"]["parent"].astype(np.int64)
    path = tmp_path / "bad.pkl"
    with open(path, "wb") as fh:
        pickle.dump(bad, fh)
    with pytest.raises(FileFormatError, match="parent has dtype int64, expected int32"):
        load_document(path)


def test_builder_rejects_inconsistent_input():
    with pytest.raises(ValueError, match="values has 3 rows"):
        build_simulation_document(
            [{"name": "c", "nseg": [2],
              "sections": {"name": ["soma"], "type": ["soma"], "parent": [-1], "parent_x": [0],
                           "points": [[[0, 0, 0], [1, 0, 0]]], "diameters": [[1, 1]]}}],
            [0.0, 1.0], np.zeros((3, 2)))


def test_unit_for_variable():
    assert [sf.unit_for_variable(v) for v in ("v", "ina", "ik", "cai", "gna_hh", "m_hh")] == [
        "mV", "mA/cm2", "mA/cm2", "mM", "S/cm2", "1"]


# ----------------------------------------------------------------------------------- legacy

def blenderspike_sections():
    """What blenderspike_py's CellRecorder.save_pickle writes: per-section dicts, Voltage per
    frame (here 4 frames). The second dendrite is stored tip-first."""
    frames = range(4)
    return [
        {"ID": 0, "type": "soma", "X": np.array([0.0, 10.0]), "Y": np.zeros(2),
         "Z": np.zeros(2), "DIAM": np.array([12.0, 12.0]),
         "Voltage": {f: np.array([-65.0 + 30 * (f == 1)]) for f in frames}},
        {"ID": 1, "type": "dend", "X": np.array([10.0, 40.0, 80.0]), "Y": np.zeros(3),
         "Z": np.zeros(3), "DIAM": np.array([2.0, 1.5, 1.0]),
         "Voltage": {f: np.array([-64.0, -63.0]) + f for f in frames}},
        {"ID": 2, "type": "dend", "X": np.array([80.0, 80.0]), "Y": np.array([50.0, 0.0]),
         "Z": np.zeros(2), "DIAM": np.array([0.5, 1.0]),
         "Voltage": {f: np.array([-10.0, -20.0, -30.0]) for f in frames}},
    ]


def test_legacy_blenderspike_pickle_loads_with_unknown_time_base(tmp_path):
    path = tmp_path / "legacy.pickle"
    with open(path, "wb") as fh:
        pickle.dump(blenderspike_sections(), fh)
    doc = load_document(path, expect="neuroblend.simulation")
    assert doc["units"]["time"] == "frame"
    assert doc["meta"]["time_base"] == "unknown"
    assert "time base is unknown" in doc["meta"]["note"]
    np.testing.assert_array_equal(doc["time"], [0, 1, 2, 3])
    sec = doc["cells"][0]["sections"]
    assert sec["type"] == ["soma", "dend", "dend"]
    np.testing.assert_array_equal(sec["parent"], [-1, 0, 1])
    np.testing.assert_array_equal(sec["parent_x"], [0, 1, 1])
    # the tip-first section is turned round: first point at the parent end, values reversed too
    np.testing.assert_array_equal(sec["points"][5:], [[80, 0, 0], [80, 50, 0]])
    np.testing.assert_array_equal(sec["diameters"][5:], [1.0, 0.5])
    np.testing.assert_array_equal(doc["values"][3:, 0], [-30, -20, -10])
    assert doc["values"][0, 1] == -35
    assert "time base" in summarize(doc)["note"]


def test_legacy_pickle_with_inconsistent_sections_is_refused(tmp_path):
    sections = blenderspike_sections()
    sections[1]["DIAM"] = np.array([1.0])
    path = tmp_path / "legacy.pickle"
    with open(path, "wb") as fh:
        pickle.dump(sections, fh)
    with pytest.raises(FileFormatError, match="section 1: X, Y, Z and DIAM need the same"):
        load_document(path)


class Evil:
    def __reduce__(self):
        import os

        return (os.system, ("echo pwned > /dev/null",))


def test_legacy_looking_pickle_with_code_is_refused_before_running(tmp_path):
    sections = blenderspike_sections()
    sections[0]["ID"] = Evil()
    path = tmp_path / "evil.pickle"
    with open(path, "wb") as fh:
        pickle.dump(sections, fh)
    with pytest.raises(FileFormatError, match="refused to load pickle: it refers to"):
        load_document(path)


def test_unrelated_list_is_not_mistaken_for_a_legacy_file(tmp_path):
    path = tmp_path / "list.pickle"
    with open(path, "wb") as fh:
        pickle.dump([{"a": 1}], fh)
    with pytest.raises(FileFormatError, match="not a NeuroBlend file"):
        load_document(path)


# ----------------------------------------------------------------------------------- downsampling

def test_downsampling_keeps_a_spike_narrower_than_the_new_interval():
    t = np.arange(0, 40.0001, 0.025)
    v = np.full((2, len(t)), -65.0)
    spike = (t >= 20.2) & (t < 21.0)        # a 0.8 ms spike ...
    v[0, spike] = 35.0
    v[0, (t >= 21.0) & (t < 23.0)] = -78.0  # ... and its afterhyperpolarisation
    v[1] = -65 + 5 * np.sin(t / 3)
    t2, v2 = decimate_keep_peaks(t, v, 80)  # ... sampled every 2 ms
    assert np.all(np.diff(t2) > 0) and t2[0] >= 0 and t2[-1] <= 40
    assert np.median(np.diff(t2)) == pytest.approx(2.0)
    assert v2[0].max() == 35.0 and v2[0].min() == -78.0
    assert abs(t2[np.argmax(v2[0])] - 20.6) <= 2.0
    naive = v[0, ::80]
    assert naive.max() == -65.0  # what plain striding would have shown
    # a smooth trace is sampled, not distorted
    assert np.abs(v2[1] - (-65 + 5 * np.sin(t2 / 3))).max() < 0.3  # <= half an interval off


def test_downsampling_keeps_nan_visible():
    t = np.arange(0, 10, 0.1)
    v = np.zeros((1, len(t)))
    v[0, 57] = np.nan
    t2, v2 = decimate_keep_peaks(t, v, 10)
    assert np.isnan(v2).sum() == 1
    assert abs(t2[np.flatnonzero(np.isnan(v2[0]))[0]] - t[57]) <= 1.0


def test_absurd_coordinates_are_refused():
    from neuroblend.simulation.simulation_build import build_simulation_document

    cell = {"name": "c", "nseg": [1], "sections": {
        "name": ["soma"], "type": ["soma"], "parent": [-1], "parent_x": [0.0],
        "points": [np.array([[0, 0, 0], [1e36, 0, 0]], float)], "diameters": [np.ones(2)]}}
    with pytest.raises(ValueError, match="coordinates must stay within"):
        build_simulation_document([cell], np.arange(3.0), np.zeros((1, 3)))
