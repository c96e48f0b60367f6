"""neuroblend.colormaps.luts: matplotlib's colormaps without matplotlib, sRGB conversion, ramp fitting."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from neuroblend.colormaps import luts as cm
from neuroblend.colormaps import ramp_fit
from neuroblend.errors import NeuroBlendError

mpl = pytest.importorskip("matplotlib")
CENTRES = (np.arange(256) + 0.5) / 256
CHECKED = ["viridis", "magma", "coolwarm", "twilight", "gray", "viridis_r"]


def test_data_file_loads_without_pickle_and_is_small():
    ref = resources.files("neuroblend") / "data" / "colormaps.npz"
    with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as npz:
        assert npz["luts_srgb"].shape[1:] == (256, 4)
        assert npz["luts_srgb"].dtype == np.float32
    assert path.stat().st_size < 500_000


def test_every_matplotlib_colormap_and_reverse_is_available_and_exact():
    names = set(cm.list_colormaps())
    for name in mpl.colormaps:
        assert name in names, name
        expected = mpl.colormaps[name](CENTRES)
        np.testing.assert_allclose(cm.get_lut(name), expected, atol=1e-6, err_msg=name)


def test_user_registered_colormap_works_through_matplotlib():
    from matplotlib.colors import LinearSegmentedColormap

    name = "neuroblend_test_redblue"
    cmap = LinearSegmentedColormap.from_list(name, ["red", "blue"])
    mpl.colormaps.register(cmap, name=name, force=True)
    try:
        assert name in cm.list_colormaps()
        np.testing.assert_allclose(cm.get_lut(name), cmap(CENTRES), atol=1e-6)
        assert ramp_fit.fit_ramp(name, 32).max_error_8bit < 4
    finally:
        mpl.colormaps.unregister(name)


def test_srgb_conversion_is_the_iec_curve():
    assert cm.srgb_to_linear(0.5) == pytest.approx(0.214041, abs=1e-6)
    assert cm.linear_to_srgb(0.18) == pytest.approx(0.461356, abs=1e-6)
    assert cm.srgb_to_linear(0.04045) == pytest.approx(0.04045 / 12.92)
    values = np.linspace(0, 1, 1001)
    np.testing.assert_allclose(cm.linear_to_srgb(cm.srgb_to_linear(values)), values, atol=1e-6)
    assert np.all(np.diff(cm.srgb_to_linear(values)) > 0)


def test_linear_lut_is_converted_and_alpha_kept():
    lut = cm.get_lut("viridis", "linear")
    assert lut.dtype == np.float32 and lut.shape == (256, 4)
    np.testing.assert_allclose(cm.linear_to_srgb(lut[:, :3]), cm.get_lut("viridis")[:, :3], atol=1e-6)
    np.testing.assert_array_equal(lut[:, 3], 1.0)


@pytest.mark.parametrize("name", ["viridis", "coolwarm", "gray_r", "tab10", "Set3_r", "jet"])
def test_sample_matches_matplotlib_with_norm(name):
    rng = np.random.default_rng(0)
    values = rng.uniform(-3.0, 7.0, size=2000)
    vmin, vmax = -1.5, 5.0
    expected = mpl.colormaps[name](mpl.colors.Normalize(vmin, vmax)(values))
    np.testing.assert_allclose(cm.sample(name, values, vmin, vmax), expected, atol=1e-6)


def test_sample_under_over_nan_and_shape():
    values = np.array([[np.nan, -1.0, 0.5], [2.0, np.inf, -np.inf]])
    out = cm.sample("viridis", values, 0.0, 1.0, under=(1, 0, 0), over=(0, 0, 1, 0.5), nan=(0, 1, 0))
    assert out.shape == (2, 3, 4)
    np.testing.assert_allclose(out[0, 0], [0, 1, 0, 1])
    np.testing.assert_allclose(out[0, 1], [1, 0, 0, 1])
    np.testing.assert_allclose(out[1, 0], [0, 0, 1, 0.5])
    np.testing.assert_allclose(out[1, 1], [0, 0, 1, 0.5])
    np.testing.assert_allclose(out[1, 2], [1, 0, 0, 1])
    default = cm.sample("viridis", [np.nan, -5, 5])
    np.testing.assert_allclose(default[0], cm.nan_color("viridis", "srgb"))
    np.testing.assert_allclose(default[1], cm.get_lut("viridis")[0])
    np.testing.assert_allclose(default[2], cm.get_lut("viridis")[-1])


def test_nan_color_is_magenta_unless_the_map_contains_it():
    np.testing.assert_allclose(cm.nan_color("viridis", "srgb"), [1, 0, 1, 1])
    spring = cm.nan_color("spring", "srgb")  # spring runs from magenta to yellow
    assert not np.allclose(spring, [1, 0, 1, 1])


@pytest.mark.parametrize("bad", ["virdis", "Viridis", "magam"])
def test_unknown_name_lists_closest(bad):
    with pytest.raises(NeuroBlendError, match="closest names: .*(viridis|magma)"):
        cm.resolve_name(bad)
    with pytest.raises(NeuroBlendError, match="unknown colormap"):
        cm.get_lut(bad)


def test_bad_inputs_are_clear_errors():
    with pytest.raises(NeuroBlendError, match="non-empty string"):
        cm.resolve_name("")
    with pytest.raises(NeuroBlendError, match="min < max"):
        cm.sample("viridis", [1.0], 2.0, 2.0)
    with pytest.raises(NeuroBlendError, match="min < max"):
        cm.sample("viridis", [1.0], 3.0, 2.0)
    with pytest.raises(NeuroBlendError, match="finite"):
        cm.sample("viridis", [1.0], 0.0, np.nan)
    with pytest.raises(NeuroBlendError, match="colour space"):
        cm.get_lut("viridis", "cmyk")
    with pytest.raises(NeuroBlendError, match="3 or 4"):
        cm.sample("viridis", [1.0], under=(1, 0))
    for stops in (1, 33, 0, 2.5, True, "8"):
        with pytest.raises(NeuroBlendError, match="stops"):
            ramp_fit.fit_ramp("viridis", stops)
    with pytest.raises(NeuroBlendError, match="interpolation"):
        ramp_fit.fit_ramp("viridis", 8, "EASE")


def test_evaluate_ramp_models_blender_colorband():
    pos = [0.25, 0.75]
    col = [[0, 0, 0, 1], [1, 0.5, 0, 1]]
    got = ramp_fit.evaluate_ramp(pos, col, [0.0, 0.25, 0.5, 0.7, 0.75, 1.0])
    np.testing.assert_allclose(got[:, 0], [0, 0, 0.5, 0.9, 1, 1])
    const = ramp_fit.evaluate_ramp(pos, col, [0.0, 0.2499, 0.25, 0.74, 0.75, 1.0], "CONSTANT")
    np.testing.assert_allclose(const[:, 0], [0, 0, 0, 0, 1, 1])
    # Cycles bakes 257 samples and interpolates them: exact when stops sit on i / 256
    x = np.linspace(0, 1, 97)
    np.testing.assert_allclose(ramp_fit.evaluate_ramp_cycles(pos, col, x), ramp_fit.evaluate_ramp(pos, col, x),
                               atol=1e-12)


@pytest.mark.parametrize("name", CHECKED)
def test_fit_32_stops_within_4_levels_and_improves_with_stops(name):
    errors = []
    for n in (8, 16, 32):
        fit = ramp_fit.fit_ramp(name, n)
        assert len(fit.positions) <= n
        assert np.all(np.diff(fit.positions) > 0)
        assert fit.positions[0] >= 0 and fit.positions[-1] <= 1
        assert fit.colors_linear.shape == (len(fit.positions), 4)
        errors.append(fit.max_error_8bit)
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 4.0, errors
    # the reported error is the real one, at matplotlib's own sample points
    fit = ramp_fit.fit_ramp(name, 32)
    got = ramp_fit.evaluate_ramp(fit.positions, fit.colors_linear, CENTRES)
    worst = np.abs(cm.linear_to_srgb(got[:, :3]) - mpl.colormaps[name](CENTRES)[:, :3]).max() * 255
    assert worst <= fit.max_error_8bit + 1e-3


def test_fit_is_better_than_evenly_spaced_stops():
    fit = ramp_fit.fit_ramp("viridis", 10)
    even = np.linspace(0, 1, 10)
    naive = ramp_fit.ramp_error_8bit("viridis", even, cm.sample("viridis", even, space="linear"))
    assert fit.max_error_8bit < naive / 2


def test_qualitative_maps_fit_exactly_with_constant_stops():
    assert cm.is_qualitative("tab10") and not cm.is_qualitative("viridis")
    np.testing.assert_allclose(cm.native_lut("tab10"), mpl.colormaps["tab10"](np.arange(10)), atol=1e-6)
    assert ramp_fit.default_interpolation("Set1_r") == "CONSTANT"
    fit = ramp_fit.fit_ramp("tab10", 32, "CONSTANT")
    assert len(fit.positions) == 10
    assert fit.max_error_8bit == 0.0
    assert fit.interpolation == "CONSTANT"


def test_fewer_stops_when_more_do_not_help():
    fit = ramp_fit.fit_ramp("binary", 32)
    assert fit.max_error_8bit < 0.5


@pytest.mark.parametrize("name", ["viridis", "coolwarm_r", "Set1_r", "tab20"])
def test_shipped_fits_are_what_the_fitter_computes(name):
    """The data file's precomputed stops match a fresh fit (regenerate the file if not)."""
    interpolation = ramp_fit.default_interpolation(name)
    fresh_nodes = ramp_fit.optimal_stop_nodes(cm.get_lut(name), interpolation, 12)[-1]
    fresh = ramp_fit._ramp_from_nodes(cm.get_lut(name), fresh_nodes, interpolation)
    shipped = ramp_fit.fit_ramp(name, 12, interpolation)
    assert shipped.max_error_8bit == pytest.approx(fresh.max_error_8bit, abs=0.05)
    if not name.endswith("_r"):
        np.testing.assert_array_equal(shipped.positions, fresh.positions)
        np.testing.assert_array_equal(shipped.colors_linear, fresh.colors_linear)


def test_fit_of_a_map_without_shipped_stops_is_computed():
    fit = ramp_fit.fit_ramp("viridis", 6, "CONSTANT")  # not the default interpolation: fitted now
    assert fit.interpolation == "CONSTANT" and len(fit.positions) == 6
    assert fit.positions[0] == 0.0
    assert fit.max_error_8bit < ramp_fit.fit_ramp("viridis", 3, "CONSTANT").max_error_8bit
