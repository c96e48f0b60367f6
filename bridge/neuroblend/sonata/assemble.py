"""The imported cells, report window, spikes and edges -> one checked simulation document."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.simulation.simulation_network import empty_connections
from neuroblend.sonata.cells import cell_layout
from neuroblend.sonata.config import SonataConfig
from neuroblend.sonata.edges import read_connections
from neuroblend.sonata.reports import fill_values
from neuroblend.sonata.spikes import read_spikes

NO_REPORT_STEP_MS = 1.0  # sampling of the time axis when there is no report to follow


def assemble_document(config: SonataConfig, options: Any, cells: list, windows: dict,
                      skipped: dict) -> dict:
    """Fill the values from the report windows and add spikes and connections."""
    from neuroblend.simulation.simulation_build import build_simulation_document

    doc_cells, plans, imported = cell_layout(cells, windows, options.soma_only_colour)
    first = next(iter(windows.values()), None)
    time = first.times if first is not None else _time_axis(config, options)
    rows = sum(int(c["nseg"].sum()) for c in doc_cells)
    values = np.empty((rows, len(time)), dtype=np.float32)
    recorded = np.zeros(rows, dtype=bool)
    for plan in (p for group in plans.values() for p in group):
        recorded[plan.row:plan.row + len(plan.source)] = True
    values[~recorded] = np.nan  # cells the report does not record
    for name, window in windows.items():
        if len(window.times) != len(time) or not np.allclose(window.times, time):
            raise NeuroBlendError(f"report {window.spec.name!r}: population {name!r} has other "
                                  "frames than the first population; import one at a time "
                                  "with --population")
        fill_values(window, plans.get(name, []), values)
    spikes = _spikes(config, imported, float(time[0]), float(time[-1]))
    connections, edge_counts = _connections(config, imported)
    meta = {"source": str(config.path), "time_base": "recorded",
            "sonata": {"config": str(config.path), "populations": list(imported),
                       "node_set": options.node_set,
                       "report": first.spec.name if first else None,
                       "report_file": str(first.spec.path) if first else None,
                       "sample_every_steps": first.stride if first else None,
                       "skipped_point_or_virtual": skipped["point_or_virtual"],
                       "edges": edge_counts}}
    if first is None:
        meta["note"] = "no report: values are NaN, only spikes and connections animate"
    variable = first.spec.variable if first else "v"
    units = {"values": first.units} if first else None
    try:
        return build_simulation_document(doc_cells, time, values, variable=variable, units=units,
                                         meta=meta, spikes=spikes, connections=connections)
    except ValueError as exc:
        raise NeuroBlendError(f"{config.path}: the import does not make a valid simulation "
                              f"file ({exc})") from None


def _time_axis(config: SonataConfig, options: Any) -> np.ndarray:
    lo, hi = options.time_window or (float(config.run.get("tstart", 0.0)),
                                     float(config.run.get("tstop", 0.0)))
    step = options.sample_every or NO_REPORT_STEP_MS
    return lo + step * np.arange(int(np.floor((hi - lo) / step + 1e-9)) + 1)


def _spikes(config: SonataConfig, imported: dict, t_lo: float, t_hi: float) -> dict | None:
    if config.spikes_file is None or not config.spikes_file.is_file():
        return None
    cells, times = [], []
    for name, group in imported.items():
        c, t = read_spikes(config.spikes_file, name, group.node_ids, group.cells, t_lo, t_hi)
        cells.append(c)
        times.append(t)
    cell, time = np.concatenate(cells), np.concatenate(times)
    order = np.argsort(time, kind="stable")
    return {"cell": cell[order], "time": time[order]}


def _connections(config: SonataConfig, imported: dict) -> tuple[dict | None, dict]:
    if not config.edges:
        return None, {}
    tables, counts = [], {}
    for files in config.edges:
        table, counts[files.name] = read_connections(files, imported)
        if table:
            tables.append(table)
    if not tables:
        return empty_connections(), counts
    return {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}, counts
