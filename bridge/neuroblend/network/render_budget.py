"""What rendering a network simulation file will need, checked before anything is allocated.

One home for the size checks of a network render: ``neuroblend render spike``, a storyboard
``network`` shot and ``neuroblend inspect`` all call :func:`check_network_render`, so what inspect
accepts renders, or is refused with one line naming the flag that raises the limit. Baked float
textures (RGBA, 4 samples per texel, float32) are sized as rows x samples; the pulse texture of a
big network is baked at a lower time resolution (:func:`pulse_grid`) rather than refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from neuroblend.files.limits import (
    MAX_BAKE_MB,
    MAX_NETWORK_CONNECTIONS,
    MAX_TEXTURE,
    RESAMPLE_BYTES,
    check_limit,
)

BYTES_PER_VALUE = 4  # float32
MIN_PULSE_SAMPLES = 2


@dataclass(frozen=True)
class NetworkLimits:
    """Size limits of a network render (flags ``--max-connections``, ``--max-bake-mb``)."""

    max_connections: int = MAX_NETWORK_CONNECTIONS
    max_bake_mb: float = MAX_BAKE_MB

    @property
    def bake_bytes(self) -> int:
        """The budget of one baked texture, in bytes."""
        return int(self.max_bake_mb * (1 << 20))


DEFAULT_LIMITS = NetworkLimits()


def texture_bytes(rows: int, samples: int) -> int:
    """Bytes of the float RGBA texture holding ``rows`` x ``samples`` values (padded texels)."""
    return rows * -(-samples // 4) * 4 * BYTES_PER_VALUE


def value_samples(time: np.ndarray, rows: int) -> int:
    """At most how many time samples the values bake holds (uniform time keeps them all; other
    time is resampled within the bake's own budget)."""
    resampled = max(2, min(4 * MAX_TEXTURE, RESAMPLE_BYTES // (BYTES_PER_VALUE * max(1, rows))))
    return max(len(time), resampled) if len(time) > 1 else len(time)


def value_rows(doc: Mapping, level: str) -> int:
    """Rows of the values texture: every compartment, or one soma's at the soma level."""
    if level != "soma":
        return int(doc["values"].shape[0])
    rows = 0
    for cell in doc["cells"]:
        sec, comp = cell["sections"], cell["compartments"]
        soma = next((k for k, t in enumerate(sec["type"]) if t == "soma"), 0)
        rows += int(np.count_nonzero(comp["section"] == soma))
    return rows


def pulse_samples_allowed(connections: int, limits: NetworkLimits = DEFAULT_LIMITS) -> int:
    """The most pulse samples per connection that fit the bake budget and the texture size."""
    bands = max(1, -(-connections // MAX_TEXTURE))
    by_budget = limits.bake_bytes // (max(1, connections) * 4 * BYTES_PER_VALUE)  # texels
    return int(min(4 * MAX_TEXTURE, 4 * (MAX_TEXTURE // bands), 4 * by_budget))


def pulse_grid(time, connections: int, limits: NetworkLimits = DEFAULT_LIMITS) -> np.ndarray:
    """The uniform times at which connection pulses are baked: the recorded sampling, made
    coarser when ``connections`` x samples would overflow the bake budget or the texture."""
    time = np.asarray(time, dtype=np.float64)
    if len(time) < 2:
        return time
    most = max(MIN_PULSE_SAMPLES, pulse_samples_allowed(connections, limits))
    span = float(time[-1] - time[0])
    step = max(float(np.median(np.diff(time))), span / max(1, most - 1))
    return time[0] + step * np.arange(int(np.floor(span / step + 1e-6)) + 1)


def check_network_render(doc: Mapping, level: str, limits: NetworkLimits = DEFAULT_LIMITS,
                         where: str | None = None, connections: bool = True) -> dict:
    """Raise a LimitError naming the flag if rendering ``doc`` at ``level`` (with its
    ``connections`` drawn) would exceed ``limits``; returns what it will need (connections,
    texture MiB)."""
    conn = doc.get("connections") if connections else None
    count = int(len(conn["pre"])) if conn is not None else 0
    check_limit("the number of connections", count, limits.max_connections,
                "--max-connections", where)
    rows = value_rows(doc, level)
    needs = {"connections": count,
             "values_texture_mb": _mb(texture_bytes(rows, value_samples(doc["time"], rows)))}
    check_limit("the values texture (MiB)", needs["values_texture_mb"], limits.max_bake_mb,
                "--max-bake-mb", where)
    if count:
        if pulse_samples_allowed(count, limits) < MIN_PULSE_SAMPLES:
            check_limit("the pulse texture (MiB)", _mb(texture_bytes(count, MIN_PULSE_SAMPLES)),
                        limits.max_bake_mb, "--max-bake-mb", where)
        samples = len(pulse_grid(doc["time"], count, limits))
        needs["pulse_samples"] = samples
        needs["pulse_texture_mb"] = _mb(texture_bytes(count, samples))
    return needs


def _mb(nbytes: int) -> float:
    return round(nbytes / (1 << 20), 1)


def render_summary(doc: Mapping) -> dict:
    """``{"render": ...}``: whether ``render spike`` accepts a network at its default limits and
    level of detail (the check it makes), for ``neuroblend inspect``; empty for a single cell."""
    from neuroblend.files.limits import LimitError
    from neuroblend.network.geometry import choose_level

    if "spikes" not in doc and "connections" not in doc:
        return {}
    level = choose_level(len(doc["cells"]))
    try:
        needs = check_network_render(doc, level)
    except LimitError as exc:
        return {"render": f"refused at the default limits: {exc}"}
    pulses = (f", pulses {needs['pulse_samples']:,} samples in {needs['pulse_texture_mb']:g} MiB"
              if "pulse_samples" in needs else "")
    return {"render": f"within the default limits (level {level}, values texture "
                      f"{needs['values_texture_mb']:g} MiB{pulses})"}
