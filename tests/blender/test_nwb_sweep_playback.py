"""A patch-clamp sweep plays on its cell: at every sampled frame the soma shows the NWB voltage."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pynwb")

from neuroblend import clock  # noqa: E402
from neuroblend.blender.spike import playback  # noqa: E402
from neuroblend.nwb.nwb_open import open_nwb  # noqa: E402
from neuroblend.nwb.selection import Selection  # noqa: E402
from neuroblend.nwb.sweep_import import build_sweep_document  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import nwb_fixtures as fx  # noqa: E402
import swc_generator  # noqa: E402


def test_the_soma_plays_the_nwb_voltage_at_every_sampled_frame(tmp_path):
    nwb = fx.write_sweep_nwb(tmp_path / "sweep.nwb", n=600)
    swc = tmp_path / "cell.swc"
    swc.write_text(swc_generator.generate_cell(2, max_order=2, axon_points=20))
    with open_nwb(nwb) as nwbfile:
        doc = build_sweep_document(nwbfile, 3, swc, Selection(), source=nwb)
    root = playback.import_simulation(doc, name="sweep")
    baked = playback.baked_values(root)
    soma = doc["cells"][0]["sections"]["type"].index("soma")
    want = ((fx.sweep_raw(600) * fx.SWEEP_CONVERSION + 0.0005) * 1000.0).astype(np.float32)
    # one frame per sample: frame 1 + k shows sample k, read from the baked image
    frames = 1 + np.arange(600)
    times = clock.frame_to_time(frames, root["nb_frames_per_ms"], 1, root["nb_time_start"])
    index = np.rint((times - root["nb_data_time_start"]) / root["nb_data_step"]).astype(int)
    np.testing.assert_allclose(times, doc["time"], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(baked[soma][index], want)
