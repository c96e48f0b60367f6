"""The ``neuroblend.units`` format (v1): recorded units, their spikes and electrodes, placed in
the Blender frame (from ``neuroblend import nwb``).

Payload (besides format/version/units/meta)::

    units: {"time": "ms", "space": "mm", "source_space": "um"}
    window_ms: float64 [2]            # the imported span [start, stop) of session time, ms
    selection: {source, start_ms, stop_ms}   # what was asked (--time-window/--trial/--epoch)
    unit_ids: int64 [U]               # the Units table's ids
    spike_offsets: int64 [U+1]        # unit u owns spike_times[spike_offsets[u]:spike_offsets[u+1]]
    spike_times: float64 [S]          # ms on the session clock, ascending within each unit
    unit_electrode: int32 [U]         # row in ``electrodes`` of each unit's (first) electrode
    unit_quality: list[str] [U]       # a quality column if the file has one, else ""
    unit_region: list[str] [U]        # a brain-region column of the units, else the electrode's location
    electrodes: {"id": int64 [E], "position_um": float64 [E, 3] (file coordinates in um),
                 "position": float32 [E, 3] (mm, Blender frame: +X right, +Y anterior, +Z up),
                 "location": list[str], "group": list[str] (probe/shank), "probe": list[str]}
    transform: float64 [4, 4]         # position_um -> position (the atlas export's transform)
    space: {"atlas": name or "", "orientation": BrainGlobe letters, "origin_um": [3],
            "declared": space named in the file or "", "units_in_file": "um"|"mm"|"m",
            "units_source": where those units were read}
"""

from __future__ import annotations

from typing import Any, TypeGuard

import numpy as np

FORMAT = "neuroblend.units"
VERSION = 1
_ELECTRODE_TEXT = ("location", "group", "probe")


def problems(doc: dict) -> list[str]:
    """What is wrong with a units document's payload, field by field."""
    out: list[str] = []
    window = doc.get("window_ms")
    if not (_array(window, np.floating, 1) and len(window) == 2 and np.isfinite(window).all()
            and window[1] >= window[0]):
        out.append("'window_ms' must be two finite float numbers, start <= stop")
        window = None
    ids, offsets, times = doc.get("unit_ids"), doc.get("spike_offsets"), doc.get("spike_times")
    if not _array(ids, np.integer, 1):
        return out + ["'unit_ids' must be an integer array [U]"]
    n = len(ids)
    if not (_array(offsets, np.integer, 1) and len(offsets) == n + 1):
        return out + [f"'spike_offsets' must be an integer array of {n + 1} (units + 1)"]
    if not _array(times, np.floating, 1):
        return out + ["'spike_times' must be a float array"]
    if offsets[0] != 0 or offsets[-1] != len(times) or np.any(np.diff(offsets) < 0):
        out.append("'spike_offsets' must rise from 0 to len(spike_times)")
        return out
    out += _spike_problems(times, offsets, window)
    out += _unit_problems(doc, n)
    out += _electrode_problems(doc)
    transform = doc.get("transform")
    if not (_array(transform, np.floating, 2) and transform.shape == (4, 4)
            and np.isfinite(transform).all()):
        out.append("'transform' must be a finite 4x4 float array")
    if not isinstance(doc.get("space"), dict):
        out.append("'space' must be a dict")
    return out


def _array(value: Any, kind, ndim: int) -> TypeGuard[np.ndarray]:
    return isinstance(value, np.ndarray) and np.issubdtype(value.dtype, kind) and value.ndim == ndim


def _spike_problems(times, offsets, window) -> list[str]:
    out = []
    if not np.isfinite(times).all():
        return ["'spike_times' hold NaN or infinite values"]
    falls = np.flatnonzero(np.diff(times) < 0) + 1
    bad = np.setdiff1d(falls, offsets)
    if bad.size:
        unit = int(np.searchsorted(offsets, bad[0], side="right") - 1)
        out.append(f"spike times of unit {unit} are not ascending")
    if window is not None and len(times) and (times.min() < window[0] or times.max() > window[1]):
        out.append("a spike time lies outside 'window_ms'")
    return out


def _unit_problems(doc: dict, n: int) -> list[str]:
    out = []
    electrode = doc.get("unit_electrode")
    n_el = len(doc["electrodes"]["id"]) if isinstance(doc.get("electrodes"), dict) \
        and isinstance(doc["electrodes"].get("id"), np.ndarray) else 0
    if not (_array(electrode, np.integer, 1) and len(electrode) == n):
        out.append(f"'unit_electrode' must be an integer array of {n} (one per unit)")
    elif n and (electrode.min() < 0 or electrode.max() >= n_el):
        out.append(f"'unit_electrode' must index the {n_el} electrodes")
    for key in ("unit_quality", "unit_region"):
        value = doc.get(key)
        if not (isinstance(value, list) and len(value) == n
                and all(isinstance(v, str) for v in value)):
            out.append(f"'{key}' must be a list of {n} strings")
    return out


def _electrode_problems(doc: dict) -> list[str]:
    el = doc.get("electrodes")
    if not isinstance(el, dict) or not _array(el.get("id"), np.integer, 1):
        return ["'electrodes' must be a dict with an integer 'id' array"]
    n = len(el["id"])
    out = []
    for key, kind in (("position_um", np.floating), ("position", np.floating)):
        value = el.get(key)
        if not (_array(value, kind, 2) and value.shape == (n, 3)):
            out.append(f"electrodes.{key} must be a float array [{n}, 3]")
        elif not np.isfinite(value).all():
            out.append(f"electrodes.{key} holds NaN or infinite values")
    for key in _ELECTRODE_TEXT:
        value = el.get(key)
        if not (isinstance(value, list) and len(value) == n
                and all(isinstance(v, str) for v in value)):
            out.append(f"electrodes.{key} must be a list of {n} strings")
    return out


def spikes_of(doc: dict, unit: int) -> np.ndarray:
    """Spike times (ms) of unit row ``unit``."""
    o = doc["spike_offsets"]
    return doc["spike_times"][o[unit]:o[unit + 1]]


def firing_rates(doc: dict) -> np.ndarray:
    """Mean rate of each unit over the imported window, spikes per second."""
    span_s = max(float(doc["window_ms"][1] - doc["window_ms"][0]) / 1000.0, 1e-9)
    return np.diff(doc["spike_offsets"]).astype(np.float64) / span_s


def summarize(doc: dict) -> dict:
    """Units, spikes, window, probes and space, for ``neuroblend inspect``."""
    el = doc["electrodes"]
    rates = firing_rates(doc)
    pos = el["position"]
    return {
        "units": int(len(doc["unit_ids"])),
        "spikes": int(len(doc["spike_times"])),
        "window_ms": [round(float(v), 3) for v in doc["window_ms"]],
        "selection": doc.get("selection", {}).get("source", ""),
        "electrodes": int(len(el["id"])),
        "probes": ", ".join(sorted(set(el["group"]))),
        "regions": ", ".join(sorted({r for r in doc["unit_region"] if r}))[:300],
        "mean_rate_hz": round(float(rates.mean()), 3) if len(rates) else 0.0,
        "atlas": doc["space"].get("atlas", "") or "none (NWB axes, centred on the electrodes)",
        "bounds_mm": {"min": pos.min(0).round(3).tolist(), "max": pos.max(0).round(3).tolist()}
        if len(pos) else {},
    }
