"""The units render's numbers (no Blender): flashes on spike frames with a decay, region
activity, atlas-file placement, colours and probe shanks."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.errors import NeuroBlendError
from neuroblend.nwb.render_options import UnitsRenderOptions
from neuroblend.nwb.units_plan import busiest_frame, plan_units

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import units_docs  # noqa: E402

POS = [(0, 0, 0), (0, 0, 100), (0, 0, 200), (500, 0, 0)]
SPIKES = [[100.0, 101.0], [150.0], [], [405.0]]


def doc(**kw):
    return units_docs.units_doc(POS, SPIKES, (0.0, 500.0), regions=["CA3", "CA3", "DG", "DG"],
                                groups=["s0", "s0", "s0", "s1"], **kw)


def opts(**kw):
    return UnitsRenderOptions(input=Path("u.pkl"), out=Path("out"), **{"frames_per_ms": 0.1, **kw})


def test_a_unit_is_lit_on_the_frame_showing_its_spike_then_decays():
    plan = plan_units(doc(), opts(decay=10.0))
    assert plan.frames == 51 and plan.step == 10.0
    v = plan.values
    assert v[0, 10] == 1.0 and v[0, 9] == 0.0  # 100 ms: frame 11 (index 10)
    assert v[0, 11] == 1.0  # 101 ms: the next frame, capped at 1
    assert v[0, 12] == pytest.approx(np.exp(-1.0), rel=1e-6)  # one 10 ms decay later
    assert v[1, 15] == 1.0 and v[1, 14] == 0.0  # 150 ms
    assert v[3, 41] == 1.0 and v[3, 40] == 0.0  # 405 ms: first frame at or after it (410 ms)
    assert not v[2].any()
    assert busiest_frame(plan, 1) in (11, 16, 42)


def test_region_activity_rows_follow_their_units_and_peak_at_one():
    with pytest.raises(NeuroBlendError, match="needs --atlas-file"):
        plan_units(doc(), opts(region_activity=True))
    atlas_doc = {"atlas": {"name": "synth"}, "transform": np.eye(4),
                 "regions": [{"acronym": "DG"}, {"acronym": "root"}, {"acronym": "CA3"}]}
    plan = plan_units(doc(atlas="synth"), opts(region_activity=True), atlas_doc)
    assert plan.regions == ["DG", "CA3"] and plan.values.shape == (4 + 2, 51)
    dg, ca3 = plan.values[4], plan.values[5]
    assert max(dg.max(), ca3.max()) == pytest.approx(1.0)
    assert dg[:41].max() == 0.0 and dg[41] > 0  # DG's first spike shows at 410 ms
    assert ca3[:10].max() == 0.0 and ca3[10] > 0


def test_units_are_placed_through_the_atlas_files_own_transform():
    moved = np.eye(4)
    moved[:3, :3] *= 1e-3
    moved[:3, 3] = (5.0, 6.0, 7.0)  # another --origin
    atlas_doc = {"atlas": {"name": "synth"}, "transform": moved, "regions": []}
    plan = plan_units(doc(atlas="synth"), opts(), atlas_doc)
    np.testing.assert_allclose(plan.positions[3], (5.5, 6.0, 7.0), atol=1e-6)
    with pytest.raises(NeuroBlendError, match="placed in atlas synth, but the atlas file holds"):
        plan_units(doc(atlas="synth"), opts(), {**atlas_doc, "atlas": {"name": "other"}})
    with pytest.raises(NeuroBlendError, match="not placed in an atlas"):
        plan_units(doc(), opts(), atlas_doc)


def test_colours_by_category_and_rate_and_shank_lines():
    plan = plan_units(doc(), opts(color_by="probe"))
    assert np.array_equal(plan.colors[0], plan.colors[2]) and not np.array_equal(
        plan.colors[0], plan.colors[3])
    assert set(plan.legend) == {"s0", "s1"}
    rate = plan_units(doc(), opts(color_by="rate", colormap="viridis"))
    assert not np.array_equal(rate.colors[0], rate.colors[1])  # 2 spikes vs 1
    (name, ends), _ = plan.shanks
    assert name == "s0"
    direction = (ends[1] - ends[0]) / np.linalg.norm(ends[1] - ends[0])
    assert abs(abs(direction[2]) - 1.0) < 1e-6  # through its electrodes, along z
    assert ends[:, 2].min() < 0.0 and ends[:, 2].max() > 0.2  # past both end electrodes


def test_too_many_frames_are_refused_naming_the_flag():
    from neuroblend.files.limits import LimitError

    with pytest.raises(LimitError, match="--frames-per-ms"):
        plan_units(doc(), opts(frames_per_ms=1000.0))  # 500,001 frames
