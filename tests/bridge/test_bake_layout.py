"""Packing recorded values into the playback image (numpy, no Blender)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroblend.spike import bake_layout


def test_layout_wraps_rows_into_bands_within_texture_limits():
    layout = bake_layout.plan_layout(40000, 2000, 0.0, 0.025)
    assert layout.width <= 16384 and layout.height <= 16384
    assert layout.band_rows * (layout.width // layout.row_pixels) >= 40000
    values = np.arange(6 * 9, dtype=np.float32).reshape(6, 9)
    values[2, 3] = np.nan
    small = bake_layout.BakeLayout(6, 9, 0.0, 1.0, band_rows=4, row_pixels=3, width=6, height=4)
    pixels = bake_layout.pack_values(values, small)
    assert pixels[1, 0, 2] == values[1, 2]  # row 1, sample 2: band 0, texel 0, channel 2
    assert pixels[1, 5, 0] == values[5, 8]  # row 5 -> band 1, line 1; sample 8 -> texel 2
    assert pixels[2, 0, 3] == np.float32(bake_layout.NAN_SENTINEL)
    assert pixels[1, 2, 1] == values[1, 8]  # padding repeats the last sample
    assert np.array_equal(bake_layout.unpack_values(pixels, small), values, equal_nan=True)


def test_uneven_time_is_resampled_uniformly():
    time = np.array([0.0, 0.1, 0.3, 0.4])
    values = np.array([[0.0, 1.0, 3.0, 4.0]], dtype=np.float32)
    t0, step, out = bake_layout.uniform_samples(time, values)
    assert (t0, step) == (0.0, pytest.approx(0.1))
    assert np.allclose(out, [[0, 1, 2, 3, 4]])


def test_uneven_time_is_resampled_within_the_memory_budget(monkeypatch):
    monkeypatch.setattr(bake_layout, "RESAMPLE_BYTES", 4 * 10 * 1000)  # 10 rows x 1000
    time = np.cumsum(np.random.default_rng(0).uniform(0.01, 0.03, 20_000))
    values = np.sin(time)[None, :].repeat(10, axis=0).astype(np.float32)
    t0, step, out = bake_layout.uniform_samples(time, values)
    assert out.shape == (10, 1000) and out.nbytes <= 4 * 10 * 1000
    grid = t0 + step * np.arange(1000)
    assert grid[-1] <= time[-1] + 1e-9
    assert np.allclose(out[3], np.sin(grid), atol=1e-3)
