"""Heightmaps: arrays and images -> ``neuroblend.heightmap`` documents, and back to images.

Reads ``.npy``, ``.npz``, ``.csv``/``.txt``, 8/16-bit PNG (and other Pillow images) and TIFF
(full 16-bit or float precision). Several 2-D inputs, a 3-D array or a multi-page TIFF make an
animated surface (a stack of frames). NaN/inf cells become holes; grids over
:data:`MAX_CELLS` cells are downsampled (or refused). Orientation: array row 0 is the far (+Y)
edge, column 0 the left (-X) edge, exactly as ``matplotlib.pyplot.imshow(z, origin="upper")``
shows the array.
"""

from __future__ import annotations

import math
import os
import struct
import warnings
from pathlib import Path

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import atomic_path
from neuroblend.files.document import base_meta
from neuroblend.files.fileformat import load_document, make_document, save_document
from neuroblend.files.limits import MAX_PIXELS
from neuroblend.surface.readers import HeightmapWarning, read_inputs

FORMAT = "neuroblend.heightmap"
MAX_CELLS = 4_000_000

# --------------------------------------------------------------------------------------------
# cleaning


def prepare_heights(array, *, source: str = "array", downsample: bool = True,
                    max_cells: int = MAX_CELLS) -> tuple[np.ndarray, int]:
    """Validate ``array`` as heights: float32 ``[ny, nx]`` or ``[frames, ny, nx]``, NaN holes.

    Returns ``(z, step)`` where ``step`` > 1 when the grid was downsampled by taking every
    ``step``-th row and column (warned about). Raises NeuroBlendError for unusable input.
    """
    array = np.asarray(array)
    if array.dtype.kind not in "biuf":
        raise NeuroBlendError(f"{source}: heights must be real numbers, got dtype {array.dtype}")
    if array.ndim not in (2, 3):
        shape = "x".join(str(n) for n in array.shape) or "a scalar"
        raise NeuroBlendError(
            f"{source}: a heightmap needs a 2-D array (rows x columns) or a 3-D stack "
            f"(frames x rows x columns), got {array.ndim}-D ({shape})")
    if array.size == 0:
        raise NeuroBlendError(f"{source}: the array is empty (shape {array.shape})")
    ny, nx = array.shape[-2:]
    if ny < 2 or nx < 2:
        what = "a single row" if ny < 2 else "a single column"
        raise NeuroBlendError(
            f"{source}: {what} ({ny}x{nx}) cannot make a surface; a heightmap needs at least "
            "2 rows and 2 columns")
    with np.errstate(over="ignore"):
        z = np.array(array, dtype=np.float32)  # copy: never modify the caller's array
    bad = ~np.isfinite(z)
    if bad.any() and array.dtype.kind == "f":
        overflow = bad & np.isfinite(array)
        if overflow.any():
            raise NeuroBlendError(
                f"{source}: {int(overflow.sum())} value(s) (e.g. {float(array[overflow][0]):g}) "
                "exceed the float32 range of heightmaps (about 3.4e38); rescale the data")
    if bad.all():
        raise NeuroBlendError(f"{source}: every value is NaN or infinite")
    if bad.any():
        z[bad] = np.nan
        warnings.warn(f"{source}: {int(bad.sum())} NaN/infinite cell(s) become holes in the "
                      "surface", HeightmapWarning, stacklevel=2)
    step = 1
    if ny * nx > max_cells:
        step = math.ceil(math.sqrt(ny * nx / max_cells))
        while math.ceil(ny / step) * math.ceil(nx / step) > max_cells:
            step += 1
        new_ny, new_nx = math.ceil(ny / step), math.ceil(nx / step)
        if not downsample:
            raise NeuroBlendError(
                f"{source}: {ny}x{nx} = {ny * nx:,} cells is over the limit of {max_cells:,}; "
                f"allow downsampling (to {new_ny}x{new_nx}) or crop the array")
        z = np.ascontiguousarray(z[..., ::step, ::step])
        warnings.warn(f"{source}: {ny}x{nx} = {ny * nx:,} cells is over {max_cells:,}; "
                      f"downsampled to {new_ny}x{new_nx} (kept 1 of every {step} rows and columns)",
                      HeightmapWarning, stacklevel=2)
    return z, step


def default_extent(shape) -> tuple[float, float, float, float]:
    """Pixel units: column index as x, and y = (rows - 1 - row index) so row 0 is at the top."""
    ny, nx = shape[-2:]
    return (0.0, float(nx - 1), 0.0, float(ny - 1))


def _check_extent(extent, source: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in extent)
    except (TypeError, ValueError):
        raise NeuroBlendError(f"{source}: extent must be 4 numbers (xmin, xmax, ymin, ymax), "
                              f"got {extent!r}") from None
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise NeuroBlendError(f"{source}: extent must be 4 finite numbers (xmin, xmax, ymin, "
                              f"ymax), got {extent!r}")
    if not (values[0] < values[1] and values[2] < values[3]):
        raise NeuroBlendError(f"{source}: extent needs xmin < xmax and ymin < ymax, got {values}")
    return values


def _strided_extent(extent, shape, step: int):
    """The extent spanned by the samples kept when taking every ``step``-th row and column."""
    ny, nx = shape[-2:]
    xmin, xmax, ymin, ymax = extent
    last_col, last_row = (nx - 1) // step * step, (ny - 1) // step * step
    new_xmax = xmin + (xmax - xmin) * last_col / (nx - 1)
    new_ymin = ymax - (ymax - ymin) * last_row / (ny - 1)
    return (xmin, new_xmax, new_ymin, ymax)


# --------------------------------------------------------------------------------------------
# documents


def make_heightmap(array, *, extent=None, units: dict | None = None, source: str = "array",
                   downsample: bool = True, max_cells: int = MAX_CELLS,
                   **parameters) -> dict:
    """A ``neuroblend.heightmap`` document from an array (2-D, or 3-D for an animation)."""
    original_shape = np.shape(array)
    z, step = prepare_heights(array, source=source, downsample=downsample, max_cells=max_cells)
    full_extent = (default_extent(original_shape) if extent is None
                   else _check_extent(extent, source))
    extent = _strided_extent(full_extent, original_shape, step) if step > 1 else full_extent
    meta = base_meta(source=source, original_shape=list(original_shape), downsample_step=step,
                     **parameters)
    units = {"xy": "", "z": "", **(units or {})}
    return make_document(FORMAT, {"z": z, "extent": tuple(extent)}, units=units, meta=meta)


def save_heightmap(array, extent=None, path: str | os.PathLike = "heightmap.pkl", *,
                   units: dict | None = None, downsample: bool = True) -> dict:
    """Write ``array`` (2-D, or 3-D stack) as a heightmap file at ``path``; returns the document.

    ``extent = (xmin, xmax, ymin, ymax)`` places the corner samples (default: pixel units).
    """
    doc = make_heightmap(array, extent=extent, units=units, downsample=downsample)
    save_document(doc, path)
    return doc


def load_heightmap(path: str | os.PathLike) -> dict:
    """Load and validate a heightmap file."""
    return load_document(path, expect=FORMAT)


def heightmap_from_files(paths, *, key: str | None = None, extent=None,
                         units: dict | None = None, downsample: bool = True,
                         max_pixels: int = MAX_PIXELS) -> dict:
    """A heightmap document from input files (one, or several frames); ``.pkl`` loads as is."""
    paths = [Path(p) for p in paths]
    if len(paths) == 1 and paths[0].suffix.lower() == ".pkl":
        if key is not None or extent is not None:
            raise NeuroBlendError(
                f"{paths[0]}: a heightmap .pkl already has its extent and array; --key and "
                "--extent apply only to .npy/.npz/.csv/image inputs")
        return load_heightmap(paths[0])
    array = read_inputs(paths, key, max_pixels=max_pixels)
    source = str(paths[0]) if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1} frames)"
    return make_heightmap(array, extent=extent, units=units, source=source,
                          downsample=downsample, inputs=[str(p) for p in paths], key=key)


def demo_landscape(n: int = 256) -> dict:
    """A probability-like landscape: a fixed mixture of 2-D Gaussians on ``[-1, 1]^2``."""
    y, x = np.mgrid[1:-1:complex(0, n), -1:1:complex(0, n)]  # row 0 at y = +1 (far edge)
    peaks = [  # (x, y, sigma_x, sigma_y, weight)
        (-0.45, 0.35, 0.22, 0.18, 1.0),
        (0.40, 0.30, 0.15, 0.25, 0.75),
        (0.10, -0.45, 0.28, 0.16, 0.9),
        (-0.55, -0.50, 0.12, 0.12, 0.45),
        (0.65, -0.15, 0.10, 0.14, 0.35),
    ]
    z = np.zeros_like(x)
    for px, py, sx, sy, w in peaks:
        z += w * np.exp(-0.5 * (((x - px) / sx) ** 2 + ((y - py) / sy) ** 2))
    return make_heightmap(z, extent=(-1.0, 1.0, -1.0, 1.0), units={"xy": "a.u.", "z": "density"},
                          source="demo landscape (mixture of 2-D Gaussians)")


# --------------------------------------------------------------------------------------------
# image export (for the displace-modifier workflow)


def as_frames(z: np.ndarray) -> np.ndarray:
    """Heights as a stack ``[n_frames, ny, nx]`` (a 2-D grid is one frame)."""
    z = np.asarray(z)
    return z[None] if z.ndim == 2 else z


def _frames_and_paths(z: np.ndarray, path) -> list[tuple[np.ndarray, Path]]:
    """Each frame with its file: ``path`` for one frame, ``NAME_0000.ext``... for a stack."""
    path, frames = Path(path), as_frames(z)
    if len(frames) == 1:
        return [(frames[0], path)]
    return [(frame, path.with_name(f"{path.stem}_{i:04d}{path.suffix}"))
            for i, frame in enumerate(frames)]


def export_png16(doc: dict, path: str | os.PathLike) -> list[Path]:
    """Write the heights as 16-bit greyscale PNG(s): 0 = the lowest value, 65535 = the highest.

    Holes are written as 0. The value range is stored in the PNG text chunk
    ``neuroblend:z_range`` (``"zmin zmax"``). A stack writes ``NAME_0000.png``, ... Returns paths.
    """
    from PIL import Image, PngImagePlugin

    z = doc["z"]
    lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
    span = hi - lo if hi > lo else 1.0
    written = []
    for frame, target in _frames_and_paths(z, path):
        scaled = np.nan_to_num((frame.astype(np.float64) - lo) / span, nan=0.0)
        pixels = np.round(np.clip(scaled, 0.0, 1.0) * 65535).astype(np.uint16)
        info = PngImagePlugin.PngInfo()
        info.add_text("neuroblend:z_range", f"{lo!r} {hi!r}")
        with atomic_path(target) as tmp:
            Image.fromarray(pixels).save(tmp, format="PNG", pnginfo=info)
        written.append(target)
    return written


def export_exr(doc: dict, path: str | os.PathLike) -> list[Path]:
    """Write the heights as uncompressed 32-bit float OpenEXR(s) (one luminance channel "Y").

    Values are stored unchanged (no normalisation); holes become the lowest value. A stack
    writes ``NAME_0000.exr``, ... Returns the paths.
    """
    z = doc["z"]
    lo = float(np.nanmin(z))
    written = []
    for frame, target in _frames_and_paths(z, path):
        with atomic_path(target) as tmp:
            tmp.write_bytes(_exr_bytes(np.where(np.isnan(frame), lo, frame).astype("<f4")))
        written.append(target)
    return written


def _exr_attribute(name: str, kind: str, value: bytes) -> bytes:
    return name.encode() + b"\0" + kind.encode() + b"\0" + struct.pack("<i", len(value)) + value


def _exr_bytes(pixels: np.ndarray) -> bytes:
    """A single-part scanline OpenEXR file, no compression, one FLOAT channel "Y"."""
    height, width = pixels.shape
    window = struct.pack("<4i", 0, 0, width - 1, height - 1)
    header = b"".join([
        b"\x76\x2f\x31\x01", struct.pack("<i", 2),  # magic, version 2, single-part scanline
        _exr_attribute("channels", "chlist", b"Y\0" + struct.pack("<iB3xii", 2, 0, 1, 1) + b"\0"),
        _exr_attribute("compression", "compression", b"\0"),
        _exr_attribute("dataWindow", "box2i", window),
        _exr_attribute("displayWindow", "box2i", window),
        _exr_attribute("lineOrder", "lineOrder", b"\0"),
        _exr_attribute("pixelAspectRatio", "float", struct.pack("<f", 1.0)),
        _exr_attribute("screenWindowCenter", "v2f", struct.pack("<2f", 0.0, 0.0)),
        _exr_attribute("screenWindowWidth", "float", struct.pack("<f", 1.0)),
        b"\0",
    ])
    row_bytes = 4 * width
    chunk = 8 + row_bytes  # y (int32) + data size (int32) + the row
    first = len(header) + 8 * height
    offsets = np.arange(height, dtype="<u8") * chunk + first
    chunks = np.empty((height, chunk), dtype=np.uint8)
    chunks[:, :4] = np.arange(height, dtype="<i4").view(np.uint8).reshape(height, 4)
    chunks[:, 4:8] = np.frombuffer(struct.pack("<i", row_bytes), dtype=np.uint8)
    chunks[:, 8:] = np.ascontiguousarray(pixels, dtype="<f4").view(np.uint8).reshape(height, -1)
    return header + offsets.tobytes() + chunks.tobytes()
