"""How recorded values are packed into one float image for playback (numpy): uniform time
samples, bands of rows, NaN sentinels; and the inverse, for checks."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_TEXTURE, RESAMPLE_BYTES

NAN_SENTINEL = -1.0e30  # non-finite values are baked as this; the shader shows them as NaN colour


@dataclass(frozen=True)
class BakeLayout:
    """Where sample ``s`` of row ``r`` sits in the data image (see module docstring)."""

    rows: int
    samples: int
    time0: float
    step: float
    band_rows: int
    row_pixels: int
    width: int
    height: int


def uniform_samples(time, values) -> tuple[float, float, np.ndarray]:
    """``(t0, step, values)`` on a uniform time grid (resampled linearly if ``time`` is not)."""
    time = np.asarray(time, dtype=np.float64)
    values = np.asarray(values, dtype=np.float32)
    if len(time) == 1:
        return float(time[0]), 1.0, values
    steps = np.diff(time)
    step = float(np.median(steps))
    if np.allclose(steps, step, rtol=1e-4, atol=1e-9):
        return float(time[0]), float((time[-1] - time[0]) / (len(time) - 1)), values
    span = float(time[-1] - time[0])
    # at most one texture row of samples, and at most RESAMPLE_BYTES for the resampled values
    budget = max(2, min(4 * MAX_TEXTURE, RESAMPLE_BYTES // (4 * max(1, len(values)))))
    step = max(step, span / (budget - 1))
    n = min(budget, int(math.floor(span / step + 1e-6)) + 1)
    grid = time[0] + step * np.arange(n)
    hi = np.clip(np.searchsorted(time, grid, side="right"), 1, len(time) - 1)
    frac = ((grid - time[hi - 1]) / (time[hi] - time[hi - 1])).astype(np.float32)
    out = np.empty((len(values), n), dtype=np.float32)
    for start in range(0, len(values), 256):  # bounded temporaries
        block = values[start:start + 256]
        out[start:start + 256] = block[:, hi - 1] * (1 - frac) + block[:, hi] * frac
    return float(time[0]), step, out


def plan_layout(rows: int, samples: int, time0: float, step: float) -> BakeLayout:
    """Texture layout for ``rows`` x ``samples`` values within the 16384-texel limit."""
    row_pixels = -(-samples // 4)
    bands = -(-rows // MAX_TEXTURE)
    if bands * row_pixels > MAX_TEXTURE:
        raise NeuroBlendError(
            f"{rows} compartments x {samples} samples do not fit in a {MAX_TEXTURE}^2 texture; "
            "record fewer samples (a larger dt) or fewer compartments")
    band_rows = -(-rows // bands)
    return BakeLayout(rows, samples, time0, step, band_rows, row_pixels, bands * row_pixels,
                      band_rows)


def pack_values(values: np.ndarray, layout: BakeLayout) -> np.ndarray:
    """float32 RGBA pixels [height, width, 4] holding ``values`` as laid out by ``layout``."""
    rows, samples = values.shape
    padded = np.empty((rows, layout.row_pixels * 4), dtype=np.float32)
    padded[:, :samples] = values
    padded[:, samples:] = values[:, -1:]
    padded[~np.isfinite(padded)] = NAN_SENTINEL
    pixels = np.zeros((layout.height, layout.width, 4), dtype=np.float32)
    blocks = padded.reshape(rows, layout.row_pixels, 4)
    for band, start in enumerate(range(0, rows, layout.band_rows)):
        block = blocks[start:start + layout.band_rows]
        x = band * layout.row_pixels
        pixels[:len(block), x:x + layout.row_pixels] = block
    return pixels


def unpack_values(pixels: np.ndarray, layout: BakeLayout) -> np.ndarray:
    """Inverse of :func:`pack_values`: values [rows, samples] (NaN where non-finite)."""
    bands = [pixels[:layout.band_rows, b * layout.row_pixels:(b + 1) * layout.row_pixels]
             for b in range(layout.width // layout.row_pixels)]
    stacked = np.concatenate(bands)[:layout.rows].reshape(layout.rows, -1)[:, :layout.samples]
    return np.where(stacked <= NAN_SENTINEL / 10, np.nan, stacked).astype(np.float32)
