"""What the units render bakes (numpy): each unit's flash envelope per frame, regions' population
activity, and unit colours through NeuroBlend's colormaps.

Frame ``f`` shows time ``t0 + (f - start) / frames_per_ms`` (``neuroblend.clock``). A spike lights
the first frame whose time is at or after it: there the unit's value is 1; it then decays by
``exp(-frame_step / decay)`` per frame until the next spike (values are capped at 1).
"""

from __future__ import annotations

import math

import numpy as np

from neuroblend.colormaps import luts
from neuroblend.errors import NeuroBlendError

REGION_DECAY_FACTOR = 5.0  # regions integrate over this many unit decays
CATEGORY_COLORMAP, RATE_COLORMAP = "tab10", "viridis"


def spike_frames(times_ms: np.ndarray, t0: float, step_ms: float) -> np.ndarray:
    """Index (0-based from the start frame) of the frame that first shows each spike."""
    return np.ceil((np.asarray(times_ms, dtype=np.float64) - t0) / step_ms - 1e-9).astype(np.int64)


def frame_counts(offsets: np.ndarray, times_ms: np.ndarray, t0: float, step_ms: float,
                 n_frames: int) -> np.ndarray:
    """Spikes per unit per frame, float32 [U, n_frames] (spikes outside the frames dropped)."""
    n_units = len(offsets) - 1
    unit = np.repeat(np.arange(n_units), np.diff(offsets))
    frame = spike_frames(times_ms, t0, step_ms)
    keep = (frame >= 0) & (frame < n_frames)
    counts = np.zeros(n_units * n_frames, dtype=np.float32)
    np.add.at(counts, unit[keep] * n_frames + frame[keep], 1.0)
    return counts.reshape(n_units, n_frames)


def decayed(counts: np.ndarray, step_ms: float, decay_ms: float, cap: float | None = 1.0):
    """Exponential envelope of ``counts`` along frames: v[f] = counts[f] + v[f-1] * k."""
    if not (math.isfinite(decay_ms) and decay_ms > 0):
        raise NeuroBlendError(f"the flash decay must be a positive number of ms, got {decay_ms}")
    k = np.float32(math.exp(-step_ms / decay_ms))
    out = np.empty_like(counts)
    level = np.zeros(counts.shape[0], dtype=np.float32)
    for f in range(counts.shape[1]):
        level = counts[:, f] + level * k
        if cap is not None:
            np.minimum(level, cap, out=level)
        out[:, f] = level
    return out


def region_activity(counts: np.ndarray, unit_region: list[str], regions: list[str],
                    step_ms: float, decay_ms: float) -> np.ndarray:
    """Population rate of each region's units (spikes per unit per second, smoothed over
    ``REGION_DECAY_FACTOR`` decays), scaled so the busiest region's peak is 1; [R, frames]."""
    names = np.asarray(unit_region)
    rows = []
    for region in regions:
        members = names == region
        total = counts[members].sum(axis=0) / max(int(members.sum()), 1)
        rows.append(total)
    tau = decay_ms * REGION_DECAY_FACTOR
    smooth = decayed(np.asarray(rows, dtype=np.float32).reshape(len(regions), -1), step_ms, tau,
                     cap=None) * np.float32(1000.0 / tau)
    peak = float(smooth.max()) if smooth.size else 0.0
    return smooth / peak if peak > 0 else smooth


def unit_colors(doc: dict, color_by: str, colormap: str | None) -> tuple[np.ndarray, dict]:
    """Linear RGBA [U, 4] per unit and a legend {label: sRGB rgb} of what each colour means."""
    from neuroblend.nwb.units_file import firing_rates

    if color_by == "rate":
        name = colormap or RATE_COLORMAP
        rates = np.log10(np.maximum(firing_rates(doc), 0.01))
        lo, hi = float(rates.min()), float(rates.max())
        hi = hi if hi > lo else lo + 1.0
        return luts.sample(name, rates, lo, hi, space="linear"), {
            f"{10 ** lo:.3g} Hz": luts.sample(name, [lo], lo, hi)[0, :3].tolist(),
            f"{10 ** hi:.3g} Hz": luts.sample(name, [hi], lo, hi)[0, :3].tolist()}
    labels = unit_labels(doc, color_by)
    name = colormap or CATEGORY_COLORMAP
    categories = sorted(set(labels))
    index = np.array([categories.index(v) for v in labels], dtype=np.float64)
    lut = luts.native_lut(name, "linear")
    if luts.is_qualitative(name):
        colors = lut[index.astype(np.intp) % len(lut)]
    else:
        colors = luts.sample(name, (index + 0.5) / len(categories), space="linear")
    legend = {c: luts.linear_to_srgb(colors[labels.index(c)][:3]).tolist() for c in categories}
    return colors.astype(np.float32), legend


def unit_labels(doc: dict, color_by: str) -> list[str]:
    """The category of each unit: its region, probe/shank or quality ("?" when unknown)."""
    if color_by == "region":
        values = doc["unit_region"]
    elif color_by == "probe":
        values = [doc["electrodes"]["group"][e] for e in doc["unit_electrode"]]
    elif color_by == "quality":
        values = doc["unit_quality"]
    else:
        raise NeuroBlendError(f"--color-by {color_by!r}: use region, rate, probe or quality")
    return [v or "?" for v in values]
