"""Heightmap bridge: readers, cleaning, the file format, the CLI and the image exports."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from PIL import Image

from neuroblend.cli import main as cli
from neuroblend.errors import FileFormatError, NeuroBlendError
from neuroblend.files.fileformat import load_document, summarize
from neuroblend.surface import heightmap as hm
from neuroblend.surface import readers


def ramp(ny=6, nx=9) -> np.ndarray:
    return np.arange(ny * nx, dtype=np.float64).reshape(ny, nx) * 0.37 - 3.0


def test_save_and_load_keep_float32_values_and_extent(tmp_path):
    z = ramp()
    doc = hm.save_heightmap(z, extent=(-1, 1, -2, 2), path=tmp_path / "hm.pkl")
    loaded = hm.load_heightmap(tmp_path / "hm.pkl")
    assert loaded["z"].dtype == np.float32
    np.testing.assert_array_equal(loaded["z"], z.astype(np.float32))
    assert loaded["extent"] == (-1.0, 1.0, -2.0, 2.0)
    assert summarize(doc)["grid"] == "6 rows x 9 columns"


def test_default_extent_is_pixel_units_with_row0_on_top():
    assert hm.make_heightmap(ramp(4, 7))["extent"] == (0.0, 6.0, 0.0, 3.0)


@pytest.mark.parametrize("suffix", [".npy", ".npz", ".csv"])
def test_numeric_files_read_exactly(tmp_path, suffix):
    z = ramp()
    path = tmp_path / f"z{suffix}"
    if suffix == ".npy":
        np.save(path, z)
    elif suffix == ".npz":
        np.savez(path, heights=z)
    else:
        np.savetxt(path, z, delimiter=",", fmt="%.17g")
    np.testing.assert_array_equal(readers.read_array(path), z)


def test_npz_with_several_arrays_asks_for_a_key(tmp_path):
    np.savez(tmp_path / "m.npz", a=ramp(), b=ramp() * 2)
    with pytest.raises(FileFormatError, match=r"several arrays \(a, b\).*--key"):
        readers.read_array(tmp_path / "m.npz")
    np.testing.assert_array_equal(readers.read_array(tmp_path / "m.npz", key="b"), ramp() * 2)
    with pytest.raises(FileFormatError, match="no array 'c'"):
        readers.read_array(tmp_path / "m.npz", key="c")


def test_16bit_png_and_tiff_keep_full_precision(tmp_path):
    z = (np.arange(40 * 50).reshape(40, 50) * 32 + 7).astype(np.uint16)  # uses all 16 bits
    Image.fromarray(z).save(tmp_path / "z.png")
    import tifffile

    tifffile.imwrite(tmp_path / "z.tif", z)
    for name in ("z.png", "z.tif"):
        got = readers.read_array(tmp_path / name)
        np.testing.assert_array_equal(got, z)
        doc = hm.make_heightmap(got)
        np.testing.assert_array_equal(doc["z"], z.astype(np.float32))


def test_8bit_png_and_grey_rgb(tmp_path):
    z = np.arange(16 * 16, dtype=np.uint8).reshape(16, 16)
    Image.fromarray(z).save(tmp_path / "g.png")
    Image.fromarray(np.repeat(z[..., None], 3, axis=2)).save(tmp_path / "rgb.png")
    np.testing.assert_array_equal(readers.read_array(tmp_path / "g.png"), z)
    np.testing.assert_array_equal(readers.read_array(tmp_path / "rgb.png"), z)


def test_colour_image_uses_luminance_with_a_warning(tmp_path):
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    rgb[..., 1] = 100
    Image.fromarray(rgb).save(tmp_path / "c.png")
    with pytest.warns(hm.HeightmapWarning, match="luminance"):
        got = readers.read_array(tmp_path / "c.png")
    np.testing.assert_allclose(got, 71.52)


def test_multi_page_tiff_and_several_files_make_a_stack(tmp_path):
    import tifffile

    stack = np.stack([ramp() + i for i in range(3)]).astype(np.float32)
    tifffile.imwrite(tmp_path / "s.tif", stack, photometric="minisblack")
    rgb = np.zeros((3, 4, 5), dtype=np.uint8) + np.arange(3, dtype=np.uint8)[:, None, None]
    tifffile.imwrite(tmp_path / "rgb.tif", rgb, photometric="rgb", planarconfig="separate")
    with pytest.warns(hm.HeightmapWarning, match="luminance"):
        assert readers.read_array(tmp_path / "rgb.tif").shape == (4, 5)
    assert hm.make_heightmap(readers.read_array(tmp_path / "s.tif"))["z"].shape == (3, 6, 9)
    paths = []
    for i in range(2):
        paths.append(tmp_path / f"f{i}.npy")
        np.save(paths[-1], ramp() + i)
    doc = hm.heightmap_from_files(paths)
    assert doc["z"].shape == (2, 6, 9) and summarize(doc)["frames"] == 2
    np.save(tmp_path / "odd.npy", ramp(5, 9))
    with pytest.raises(FileFormatError, match="same size"):
        hm.heightmap_from_files([paths[0], tmp_path / "odd.npy"])


def test_nan_and_inf_become_holes_with_a_warning():
    z = ramp()
    z[1, 2], z[3, 4] = np.nan, np.inf
    with pytest.warns(hm.HeightmapWarning, match="2 NaN/infinite cell"):
        doc = hm.make_heightmap(z)
    assert np.isnan(doc["z"][1, 2]) and np.isnan(doc["z"][3, 4])
    assert summarize(doc)["holes"] == 2


@pytest.mark.parametrize("array, message", [
    (np.zeros(5), "got 1-D"),
    (np.zeros((2, 2, 2, 2)), "got 4-D"),
    (np.zeros((1, 8)), "a single row"),
    (np.zeros((8, 1)), "a single column"),
    (np.zeros((0, 4)), "empty"),
    (np.full((3, 3), np.nan), "every value is NaN"),
    (np.array([["a", "b"], ["c", "d"]]), "real numbers"),
])
def test_bad_arrays_give_clear_errors(array, message):
    with pytest.raises(NeuroBlendError, match=message):
        hm.make_heightmap(array)


def test_bad_files_give_clear_errors(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "bad.png").write_bytes(b"not an image")
    (tmp_path / "text.csv").write_text("a,b\nc,d\n")
    (tmp_path / "z.xyz").write_text("1")
    for name, message in (("empty.csv", "file is empty"), ("bad.png", "cannot be read as an image"),
                          ("text.csv", "not a table of numbers"), ("z.xyz", "unsupported input"),
                          ("missing.npy", "no such file")):
        with pytest.raises(FileFormatError, match=message):
            readers.read_array(tmp_path / name)


def test_large_grids_downsample_with_a_warning_or_are_refused():
    z = np.arange(30 * 41, dtype=np.float32).reshape(30, 41)
    with pytest.warns(hm.HeightmapWarning, match="downsampled to 15x21"):
        doc = hm.make_heightmap(z, extent=(0, 40, 0, 29), max_cells=400)
    np.testing.assert_array_equal(doc["z"], z[::2, ::2])
    # the extent follows the samples kept: last column 40 stays at x=40, last row 28 -> y=1
    assert doc["extent"] == (0.0, 40.0, 1.0, 29.0)
    with pytest.raises(NeuroBlendError, match="over the limit.*downsampling \\(to 15x21\\)"):
        hm.make_heightmap(z, max_cells=400, downsample=False)


def test_format_problems_are_named_field_by_field(tmp_path):
    doc = hm.make_heightmap(ramp())
    doc["z"] = doc["z"].astype(np.float64)
    doc["extent"] = (1, 0, 0, 1)
    from neuroblend.surface.heightmap_file import problems

    found = problems(doc)
    assert any("expected float32" in p for p in found)
    assert any("xmin < xmax" in p for p in found)


def test_cli_writes_file_and_exports(tmp_path, capsys):
    z = ramp()
    z[0, 0] = np.nan
    np.save(tmp_path / "z.npy", z)
    code = cli(["heightmap", str(tmp_path / "z.npy"), "--out", str(tmp_path / "hm.pkl"),
                "--extent", "-1", "1", "-1", "1", "--z-units", "mV",
                "--export-png", str(tmp_path / "hm.png"), "--export-exr", str(tmp_path / "hm.exr")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1 NaN/infinite cell(s) become holes" in err
    doc = load_document(tmp_path / "hm.pkl")
    assert doc["units"]["z"] == "mV" and doc["extent"] == (-1.0, 1.0, -1.0, 1.0)
    png = Image.open(tmp_path / "hm.png")
    pixels = np.asarray(png).astype(np.int64)
    assert pixels.max() == 65535 and pixels[0, 1] == 0  # (0, 1) holds the lowest value
    assert float(png.text["neuroblend:z_range"].split()[0]) == np.float32(np.nanmin(z))
    assert read_exr_y(tmp_path / "hm.exr")[5, 8] == np.float32(z[5, 8])


def test_cli_errors_are_one_line(tmp_path, capsys):
    np.save(tmp_path / "big.npy", np.zeros((2001, 2001), dtype=np.float32))
    code = cli(["heightmap", str(tmp_path / "big.npy"), "--out", str(tmp_path / "o.pkl"),
                "--no-downsample"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "over the limit of 4,000,000" in err
    assert not (tmp_path / "o.pkl").exists()


def test_exr_export_is_exact_float(tmp_path):
    z = np.random.default_rng(3).normal(size=(7, 5)).astype(np.float32)
    hm.export_exr(hm.make_heightmap(z), tmp_path / "z.exr")
    np.testing.assert_array_equal(read_exr_y(tmp_path / "z.exr"), z)


def test_demo_landscape_is_a_smooth_multi_peak_surface():
    doc = hm.demo_landscape(64)
    z = doc["z"]
    assert z.shape == (64, 64) and np.isfinite(z).all()
    interior = z[1:-1, 1:-1]
    peaks = ((interior > z[:-2, 1:-1]) & (interior > z[2:, 1:-1])
             & (interior > z[1:-1, :-2]) & (interior > z[1:-1, 2:]))
    assert peaks.sum() >= 3


def read_exr_y(path) -> np.ndarray:
    """Minimal reader for the uncompressed single-channel EXRs NeuroBlend writes."""
    data = (path if isinstance(path, bytes) else open(path, "rb").read())
    assert data[:4] == b"\x76\x2f\x31\x01"
    end = data.index(b"dataWindow\0box2i\0")
    x0, y0, x1, y1 = struct.unpack("<4i", data[end + 21:end + 37])
    width, height = x1 - x0 + 1, y1 - y0 + 1
    first = struct.unpack("<Q", data[len(data) - height * (8 + 4 * width) - 8 * height:][:8])[0]
    rows = np.frombuffer(data[first:], dtype=np.uint8).reshape(height, 8 + 4 * width)
    return rows[:, 8:].copy().view("<f4")


def test_pkl_input_refuses_options_it_cannot_apply(tmp_path):
    path = tmp_path / "hm.pkl"
    hm.save_heightmap(np.arange(12, dtype=np.float32).reshape(3, 4), path=path)
    assert hm.heightmap_from_files([path])["z"].shape == (3, 4)
    with pytest.raises(NeuroBlendError, match="--key and --extent apply only"):
        hm.heightmap_from_files([path], extent=(0, 1, 0, 1))


def test_float32_overflow_is_named_not_called_nan():
    with pytest.raises(NeuroBlendError, match="exceed the float32 range"):
        hm.make_heightmap(np.full((3, 3), 1e300))
