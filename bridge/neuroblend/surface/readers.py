"""Heightmap inputs: .npy/.npz/.csv/PNG/TIFF -> a numeric array, sizes checked before reading.

Every reader checks the size an input declares (``.npy`` header, zip member, image size, TIFF
series) against ``max_pixels`` before decoding it, so neither a forged header nor a decompression
bomb allocates more than the limit (``--max-pixels`` raises it).
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np

from neuroblend.errors import FileFormatError, NeuroBlendError
from neuroblend.files.atomic import check_readable_file
from neuroblend.files.limits import MAX_PIXELS, check_limit

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}
TIFF_SUFFIXES = {".tif", ".tiff"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
PIXELS_FLAG = "--max-pixels"


class HeightmapWarning(UserWarning):
    """Something about the input was changed (holes made, downsampled, colour averaged)."""


def read_array(path: str | os.PathLike, key: str | None = None,
               max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """The raw numeric array stored in ``path`` (2-D, or 3-D for a stack), any dtype.

    ``key`` picks the array of an ``.npz`` holding several; inputs declaring more than
    ``max_pixels`` cells are refused before they are read.
    """
    path = check_readable_file(path)
    if path.stat().st_size == 0:
        raise FileFormatError(path, "file is empty")
    suffix = path.suffix.lower()
    if suffix == ".npy":
        return _read_npy(path, max_pixels)
    if suffix == ".npz":
        return _read_npz(path, key, max_pixels)
    if suffix in TEXT_SUFFIXES:
        return _read_text(path)
    if suffix in TIFF_SUFFIXES:
        return _read_tiff(path, max_pixels)
    if suffix in IMAGE_SUFFIXES:
        return _read_image(path, max_pixels)
    raise FileFormatError(
        path, f"unsupported input type {suffix or '(no suffix)'!r}; use .npy, .npz, .csv, "
        ".png or .tif (or a NeuroBlend heightmap .pkl)")


def _check_cells(path: Path, shape, max_pixels: int, what: str = "array") -> None:
    check_limit(f"the {what}'s cell count ({'x'.join(map(str, shape))})", math.prod(shape),
                max_pixels, PIXELS_FLAG, where=str(path))


def _npy_header(fh, path: Path, max_pixels: int, what: str = "array") -> None:
    """Read and check a .npy header (shape, plain numeric dtype) from ``fh``."""
    fmt = np.lib.format
    version = fmt.read_magic(fh)
    if version == (1, 0):
        shape, _fortran, dtype = fmt.read_array_header_1_0(fh)
    elif version in ((2, 0), (3, 0)):
        shape, _fortran, dtype = fmt.read_array_header_2_0(fh)
    else:
        raise ValueError(f"unsupported .npy version {version}")
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"dtype {dtype} is not a plain numeric dtype")
    _check_cells(path, shape, max_pixels, what)


def _read_npy(path: Path, max_pixels: int) -> np.ndarray:
    try:
        with open(path, "rb") as fh:
            _npy_header(fh, path, max_pixels)
        return np.load(path, allow_pickle=False)
    except ValueError as exc:
        raise FileFormatError(path, f"not a numeric .npy array ({exc})") from None
    except (OSError, EOFError) as exc:
        raise FileFormatError(path, f"not a readable .npy file ({exc})") from None


def _read_npz(path: Path, key: str | None, max_pixels: int) -> np.ndarray:
    try:
        with zipfile.ZipFile(path) as zf:  # headers first: a small zip may inflate to terabytes
            for info in zf.infolist():
                with zf.open(info) as member:
                    _npy_header(member, path, max_pixels, f"member {info.filename!r}")
        with np.load(path, allow_pickle=False) as archive:
            keys = list(archive.files)
            if not keys:
                raise FileFormatError(path, "the .npz archive holds no arrays")
            if key is None:
                if len(keys) > 1:
                    raise FileFormatError(
                        path, f"holds several arrays ({', '.join(keys)}); choose one with "
                        f"--key NAME (e.g. --key {keys[0]})")
                key = keys[0]
            if key not in keys:
                raise FileFormatError(path, f"has no array {key!r}; it holds {', '.join(keys)}")
            return archive[key]
    except FileFormatError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, NotImplementedError,
            RuntimeError) as exc:
        raise FileFormatError(path, f"not a readable .npz archive ({exc})") from None


def _read_text(path: Path) -> np.ndarray:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    last_error = None
    for delim in (delimiter, None):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # numpy warns on an empty file; handled below
                data = np.loadtxt(path, delimiter=delim, ndmin=2, dtype=np.float64)
        except ValueError as exc:
            last_error = exc
            continue
        if data.size == 0:
            raise FileFormatError(path, "holds no numbers")
        return data
    raise FileFormatError(
        path, f"is not a table of numbers ({last_error}); expected comma- or space-separated "
        "values with no header") from None


@contextlib.contextmanager
def _own_size_check(image_module):
    """Pillow's decompression-bomb guard off: :func:`_check_cells` (stricter, names the flag)
    runs first."""
    saved = image_module.MAX_IMAGE_PIXELS
    image_module.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        image_module.MAX_IMAGE_PIXELS = saved


def _read_image(path: Path, max_pixels: int) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with _own_size_check(Image), Image.open(path) as opened:
            _check_cells(path, opened.size[::-1], max_pixels, "image")
            opened.load()
            image = opened.convert("RGBA") if opened.mode == "P" else opened
            mode = image.mode
            array = np.asarray(image)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            EOFError) as exc:
        raise FileFormatError(path, f"cannot be read as an image ({exc})") from None
    if mode.startswith("I;16"):
        array = array.astype(np.uint16)
    if array.ndim == 3:
        array = _grey(array, path, has_alpha=mode in ("LA", "RGBA", "La", "RGBa"))
    return array


def _read_tiff(path: Path, max_pixels: int) -> np.ndarray:
    import tifffile

    try:
        with tifffile.TiffFile(path) as tif:
            series = tif.series[0]
            axes = series.axes
            _check_cells(path, series.shape, max_pixels, "image")
            array = series.asarray()
    except (tifffile.TiffFileError, OSError, ValueError, IndexError) as exc:
        raise FileFormatError(path, f"cannot be read as a TIFF image ({exc})") from None
    if "S" in axes:  # samples per pixel (RGB, RGBA, grey + alpha), interleaved or planar
        array = np.moveaxis(array, axes.index("S"), -1)
        array = _grey(array, path, has_alpha=array.shape[-1] in (2, 4))
    return array


def _grey(array: np.ndarray, path: Path, *, has_alpha: bool) -> np.ndarray:
    """A colour image as heights: its grey level (exact when the channels are equal)."""
    colour = array[..., :-1] if has_alpha else array
    if colour.shape[-1] == 1 or np.all(colour == colour[..., :1]):
        return colour[..., 0]
    warnings.warn(f"{path}: colour image; using its luminance (0.2126 R + 0.7152 G + 0.0722 B) "
                  "as heights", HeightmapWarning, stacklevel=3)
    weights = np.array([0.2126, 0.7152, 0.0722])[: colour.shape[-1]]
    return colour.astype(np.float64) @ (weights / weights.sum())


def read_inputs(paths, key: str | None = None, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Read one input, or several same-shaped 2-D inputs stacked as the frames of an animation."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise NeuroBlendError("no input file given")
    arrays = []
    for p in paths:
        arrays.append(read_array(p, key, max_pixels))
        check_limit("the cell count of all frames", sum(a.size for a in arrays), max_pixels,
                    PIXELS_FLAG, where=str(p))
    if len(arrays) == 1:
        return arrays[0]
    for p, a in zip(paths, arrays, strict=True):
        if a.ndim != 2:
            raise FileFormatError(p, f"is {a.ndim}-D; frames of an animation must each be 2-D")
        if a.shape != arrays[0].shape:
            raise FileFormatError(
                p, f"is {a.shape[0]}x{a.shape[1]} but {paths[0].name} is "
                f"{arrays[0].shape[0]}x{arrays[0].shape[1]}; every frame needs the same size")
    return np.stack(arrays)


