"""``neuroblend.units`` documents built directly (no NWB, no pynwb): for Blender tests and
benchmarks."""

from __future__ import annotations

import numpy as np

from neuroblend.atlas import geometry as geo
from neuroblend.files.document import base_meta
from neuroblend.files.fileformat import make_document


def units_doc(positions_um, spikes_ms, window_ms, *, regions=None, groups=None,
              transform=None, atlas: str = "") -> dict:
    """Units at ``positions_um`` (one electrode each) firing at ``spikes_ms`` (a list of arrays),
    placed with ``transform`` (atlas um -> Blender mm; default: um -> mm about the origin)."""
    pos_um = np.asarray(positions_um, dtype=np.float64).reshape(-1, 3)
    n = len(pos_um)
    matrix = np.diag([1e-3, 1e-3, 1e-3, 1.0]) if transform is None else np.asarray(transform)
    spikes = [np.sort(np.asarray(s, dtype=np.float64)) for s in spikes_ms]
    regions = list(regions or ["CA3"] * n)
    groups = list(groups or [f"shank{i % 2}" for i in range(n)])
    payload = {
        "window_ms": np.asarray(window_ms, dtype=np.float64),
        "selection": {"source": "test", "start_ms": None, "stop_ms": None},
        "unit_ids": np.arange(n, dtype=np.int64),
        "spike_offsets": np.concatenate([[0], np.cumsum([len(s) for s in spikes])]).astype(np.int64),
        "spike_times": np.concatenate(spikes) if spikes else np.zeros(0),
        "unit_electrode": np.arange(n, dtype=np.int32),
        "unit_quality": ["good"] * n,
        "unit_region": regions,
        "electrodes": {"id": np.arange(n, dtype=np.int64), "position_um": pos_um,
                       "position": geo.apply_transform(matrix, pos_um).astype(np.float32),
                       "location": regions, "group": groups, "probe": ["probe A"] * n},
        "transform": matrix,
        "space": {"atlas": atlas, "orientation": "asr", "origin_um": [0.0, 0.0, 0.0],
                  "declared": "", "units_in_file": "um", "units_source": "test"},
    }
    return make_document("neuroblend.units", payload,
                         units={"time": "ms", "space": "mm", "source_space": "um"},
                         meta=base_meta(source="test"))


def random_units(n_units: int, n_spikes: int, span_ms: float, seed: int = 0) -> dict:
    """``n_units`` units scattered in a 2 mm cube with ``n_spikes`` spikes in all."""
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, 2000, (n_units, 3))
    owner = rng.integers(0, n_units, n_spikes)
    times = rng.uniform(0, span_ms, n_spikes)
    spikes = [times[owner == u] for u in range(n_units)]
    regions = [("CA3", "DG", "CA1")[u % 3] for u in range(n_units)]
    return units_doc(pos, spikes, (0.0, span_ms), regions=regions,
                     groups=[f"shank{u % 4}" for u in range(n_units)])
