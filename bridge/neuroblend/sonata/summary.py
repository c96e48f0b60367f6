"""``neuroblend inspect`` on a SONATA config: populations, sizes, reports and time ranges
(metadata only: no report data is read)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neuroblend.sonata.config import load_config
from neuroblend.sonata.nodes import open_population
from neuroblend.sonata.readable import libsonata_path


def summarize_config(path: str | Path) -> dict[str, Any]:
    """What a SONATA simulation holds, for ``neuroblend inspect``."""
    import libsonata

    config = load_config(path)
    out: dict[str, Any] = {"format": "SONATA config", "config": str(config.path)}
    out["populations"] = {p.name: {"nodes": int(open_population(p).size),
                                   "type": p.type or "biophysical", "file": str(p.h5)}
                          for p in config.nodes}
    edges = {}
    for p in config.edges:
        try:
            pop = libsonata.EdgeStorage(str(libsonata_path(p.h5))).open_population(p.name)
            edges[p.name] = {"edges": int(pop.size), "from": pop.source, "to": pop.target}
        except (libsonata.SonataError, RuntimeError) as exc:
            edges[p.name] = {"error": str(exc).strip().splitlines()[0]}
    out["edges"] = edges
    if config.run:
        out["run"] = {k: config.run[k] for k in ("tstart", "tstop", "dt") if k in config.run}
    out["reports"] = {name: _readable(_report, spec) for name, spec in config.reports.items()}
    if config.spikes_file is not None:
        out["spikes"] = _readable(_spikes, config.spikes_file)
    if config.node_sets_file is not None and config.node_sets_file.is_file():
        out["node_sets"] = sorted(libsonata.NodeSets.from_file(str(config.node_sets_file)).names)
    return out


def _readable(read, what) -> dict[str, Any]:
    """``read(what)``, or the first line of libsonata's complaint."""
    import libsonata

    try:
        return read(what)
    except (libsonata.SonataError, RuntimeError) as exc:
        return {"error": str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"}


def _report(spec) -> dict[str, Any]:
    import libsonata

    entry: dict[str, Any] = {"file": str(spec.path), "variable": spec.variable,
                             "sections": spec.sections}
    if not spec.path.is_file():
        entry["missing"] = True
        return entry
    reader = libsonata.ElementReportReader(str(libsonata_path(spec.path)))
    for name in reader.get_population_names():
        pop = reader[name]
        t0, t1, dt = pop.times
        entry.update({"population": name, "nodes": len(pop.get_node_ids()),
                      "time": f"{t0:g} .. {t1:g} ms, every {dt:g} ms",
                      "frames": int(round((t1 - t0) / dt)), "units": pop.data_units})
    return entry


def _spikes(path: Path) -> dict[str, Any]:
    import libsonata

    if not path.is_file():
        return {"missing": str(path)}
    reader = libsonata.SpikeReader(str(libsonata_path(path)))
    out: dict[str, Any] = {}
    for name in reader.get_population_names():
        pop = reader[name]
        out[name] = len(pop.get_dict()["timestamps"])
        if out[name]:
            out[f"{name} time"] = f"{pop.times[0]:g} .. {pop.times[1]:g} ms"
    return out
