"""SONATA ``spikes.h5`` through libsonata (any ``sorting``) -> v2 spikes of the imported cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.sonata.readable import libsonata_path


def read_spikes(path: Path, population: str, node_ids: np.ndarray, cells: np.ndarray,
                t_lo: float, t_hi: float) -> tuple[np.ndarray, np.ndarray]:
    """(cell index, time) of the spikes of ``population`` whose node is in ``node_ids`` (sorted;
    ``cells`` the cell index of each), within ``t_lo``..``t_hi`` ms, ordered by time."""
    import libsonata

    empty = (np.zeros(0, np.int32), np.zeros(0, np.float64))
    if not path.is_file():
        raise NeuroBlendError(f"spikes file {str(path)!r} not found; check output.spikes_file "
                              "in the config, or run the simulation first")
    try:
        reader = libsonata.SpikeReader(str(libsonata_path(path)))
        if population not in reader.get_population_names() or not len(node_ids):
            return empty
        found = reader[population].get_dict(tstart=t_lo, tstop=t_hi)
    except (libsonata.SonataError, RuntimeError) as exc:
        text = str(exc).strip().splitlines()
        raise NeuroBlendError(f"{path}: cannot read spikes ({text[0] if text else exc})") from None
    ids = np.asarray(found["node_ids"], np.uint64)
    times = np.asarray(found["timestamps"], np.float64)
    where = np.searchsorted(node_ids, ids)
    keep = (where < len(node_ids)) & (node_ids[np.minimum(where, len(node_ids) - 1)] == ids)
    keep &= (times >= t_lo) & (times <= t_hi)
    order = np.argsort(times[keep], kind="stable")
    return cells[where[keep]][order].astype(np.int32), times[keep][order]
