"""NWB units in: exact spikes per window, lazy reads, electrode placement in the atlas frame."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pynwb")

from neuroblend.atlas import atlas_export  # noqa: E402
from neuroblend.atlas import brainglobe as atlas  # noqa: E402
from neuroblend.cli import main  # noqa: E402
from neuroblend.files.fileformat import load_document  # noqa: E402
from neuroblend.nwb.selection import Selection  # noqa: E402
from neuroblend.nwb.spike_reader import windowed_spikes  # noqa: E402
from neuroblend.nwb.units_file import spikes_of  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import atlas_fixtures as afx  # noqa: E402
import nwb_fixtures as fx  # noqa: E402

SPACE = f"coordinates in {afx.ATLAS_NAME} space"


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    return fx.write_units_nwb(tmp_path_factory.mktemp("nwb") / "session.nwb", n_units=12,
                              max_spikes=60, space_note=SPACE)


@pytest.fixture(scope="module")
def bg(tmp_path_factory):
    return afx.synthetic_atlas(tmp_path_factory)


def imported(session, tmp_path, *flags) -> dict:
    out = tmp_path / "units.pkl"
    assert main(["import", "nwb", str(session), "--out", str(out), *flags]) == 0
    return load_document(out, expect="neuroblend.units")


@pytest.mark.parametrize("flags, window", [
    ((), (-np.inf, np.inf)),
    (("--time-window", "1.5", "4.25"), (1.5, 4.25)),
    (("--trial", "1"), fx.TRIALS[1]),
    (("--epoch", "still"), fx.EPOCHS[1][:2]),
])
def test_every_spike_of_every_unit_in_the_window_is_imported_exactly(session, tmp_path, flags,
                                                                     window):
    doc = imported(session, tmp_path, *flags)
    truth = fx.read_truth(session)
    assert len(doc["unit_ids"]) == len(truth)
    total = 0
    for u, times in enumerate(truth):
        want = times[(times >= window[0]) & (times < window[1])] * 1000.0
        np.testing.assert_array_equal(spikes_of(doc, u), want)
        total += len(want)
    assert total > 0 and len(doc["spike_times"]) == total
    assert doc["unit_quality"][0] == "mua" and doc["unit_quality"][1] == "good"
    assert doc["unit_region"][0] == "CA3" and doc["unit_region"][-1] == "DG"
    assert set(doc["electrodes"]["group"]) == {"shank0", "shank1"}
    assert doc["electrodes"]["probe"][0] == "probe A"


class CountingData:
    """A 1-D array that counts the values read from it (stands in for an h5py dataset)."""

    def __init__(self, values):
        self.values, self.read = np.asarray(values), 0

    def __len__(self):
        return len(self.values)

    def __getitem__(self, key):
        out = self.values[key]
        self.read += np.size(out)
        return out


class FakeUnits:
    def __init__(self, per_unit):
        self.colnames = ("spike_times",)
        ends = np.cumsum([len(t) for t in per_unit])
        self.spike_times_index = type("I", (), {"data": ends})()
        self.spike_times = type("D", (), {"data": CountingData(np.concatenate(per_unit))})()


def test_a_window_reads_only_its_spikes_not_the_whole_units_table():
    rng = np.random.default_rng(1)
    per_unit = [np.sort(rng.uniform(0, 1000, 20_000)) for _ in range(50)]
    units = FakeUnits(per_unit)
    offsets, times, in_file = windowed_spikes(units, Selection(500.0, 501.0))
    data = units.spike_times.data
    assert in_file == 1_000_000 and data.read < 10_000, data.read  # ~1000 in the window
    for u, t in enumerate(per_unit):
        np.testing.assert_array_equal(times[offsets[u]:offsets[u + 1]],
                                      t[(t >= 500.0) & (t < 501.0)])


def test_a_unit_whose_read_times_are_out_of_order_is_read_whole():
    rng = np.random.default_rng(2)
    times = np.sort(rng.uniform(0, 10, 500))[::-1].copy()  # descending: the search sees it
    offsets, got, _ = windowed_spikes(FakeUnits([np.sort(times), times]), Selection(2.0, 3.0))
    want = np.sort(times[(times >= 2.0) & (times < 3.0)])
    np.testing.assert_array_equal(got[offsets[1]:offsets[2]], want)
    np.testing.assert_array_equal(got[offsets[0]:offsets[1]], want)


def test_units_land_in_the_atlas_frame_within_a_micrometre(session, tmp_path, bg):
    doc = imported(session, tmp_path, "--atlas", bg[1], "--brainglobe-dir", str(bg[0]))
    synth = atlas.open_atlas(bg[1], bg[0])
    pos_um = fx.unit_positions(12)
    centre = synth.centre_um  # "asr": Blender X = -(r - c), Y = -(a - c), Z = -(s - c), in mm
    expected = -np.stack([pos_um[:, 2] - centre[2], pos_um[:, 0] - centre[0],
                          pos_um[:, 1] - centre[1]], axis=1) / 1000.0
    got = doc["electrodes"]["position"][doc["unit_electrode"]]
    assert np.abs(got - expected).max() * 1000.0 < 1.0
    assert doc["space"]["atlas"] == bg[1] and doc["space"]["declared"] == bg[1]
    np.testing.assert_allclose(doc["transform"], atlas_export.atlas_frame(synth)[0])


def test_a_unit_at_a_regions_centroid_sits_at_that_regions_mesh_centre(session, tmp_path, bg):
    doc = imported(session, tmp_path, "--atlas", bg[1], "--brainglobe-dir", str(bg[0]))
    synth = atlas.open_atlas(bg[1], bg[0])
    regions, _ = atlas_export.export_regions(synth, ["CA3"])
    verts = regions["regions"][0]["vertices"]
    right = verts[verts[:, 0] > regions["midline_x"]]  # CA3's right-hemisphere sphere
    unit0 = doc["electrodes"]["position"][doc["unit_electrode"][0]]
    assert np.abs(right.mean(axis=0) - unit0).max() * 1000.0 < 1.0
