"""Spikes, NetCons and MPI gathering for :class:`neuroblend.simulation.recording.Recorder`.

Each process turns its recording into a *part*: ``time``, ``values`` and ``cells`` (with their
``gid``), ``spikes`` (gid, time) and ``connections`` (NetCons whose target sits on a recorded cell,
the source named by gid). :func:`assemble` merges parts in gid order into one simulation document,
keeping connections between recorded cells only. :func:`gather_and_save` does that across MPI
ranks (NEURON's ParallelContext): every rank sends its part (or its error) to rank 0, which alone
writes the file; the outcome is broadcast so that a failure anywhere fails every rank.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.simulation import simulation_build


def parallel_context() -> Any:
    """NEURON's ParallelContext (one rank when MPI is not initialised)."""
    from neuroblend.simulation.neuron_env import neuron_h

    return neuron_h().ParallelContext()


def spike_probe(h: Any, sections: list, section: str, threshold: float) -> tuple:
    """A NetCon watching the middle of the first section whose name contains ``section`` (else
    the first section) and the Vector it records crossing times into."""
    sec = next((s for s in sections if section in s.name()), sections[0])
    probe = h.NetCon(sec(0.5)._ref_v, None, sec=sec)
    probe.threshold = threshold
    times = h.Vector()
    probe.record(times)
    return probe, times


def local_spikes(probes: list | None, gids: Sequence[int]) -> dict | None:
    """Spikes recorded by ``probes`` as {"gid", "time"} arrays (None if not recording spikes)."""
    if probes is None:
        return None
    times = [np.asarray(vec.as_numpy(), dtype=np.float64) for _, vec in probes]
    gid = np.concatenate([np.full(len(t), g, np.int64) for t, g in zip(times, gids, strict=True)]
                         + [np.zeros(0, np.int64)])
    return {"gid": gid, "time": np.concatenate(times + [np.zeros(0)])}


def local_connections(h: Any, cells: list, gids: Sequence[int]) -> dict:
    """Every NetCon whose target point process sits on a recorded cell of this process, with its
    source as a gid (a recorded local section, else the NetCon's source gid)."""
    where = {sec: (g, cell.index[sec], cell.flipped[cell.index[sec]])
             for cell, g in zip(cells, gids, strict=True) for sec in cell.index}
    rows: list[tuple] = []
    for nc in h.List("NetCon"):
        target = nc.syn()
        seg = target.get_segment() if target is not None and hasattr(target, "get_segment") \
            else None
        if seg is None or seg.sec not in where:
            continue
        post, section, flipped = where[seg.sec]
        source = nc.preseg()
        if source is not None and source.sec in where:
            pre = where[source.sec][0]
        elif nc.srcgid() >= 0:
            pre = int(nc.srcgid())
        else:
            continue  # driven by a stimulus, not by a cell
        x = 1.0 - seg.x if flipped else seg.x
        rows.append((pre, post, section, x, float(nc.delay), float(nc.weight[0])))
    cols = list(zip(*rows, strict=True)) if rows else [()] * 6
    return {key: np.asarray(col, dtype=dtype) for key, col, dtype in zip(
        ("pre", "post", "post_section", "post_x", "delay", "weight"), cols,
        (np.int64, np.int64, np.int32, np.float32, np.float64, np.float64), strict=True)}


def assemble(parts: Sequence[Mapping], variable: str, meta: Mapping) -> dict:
    """One validated simulation document from the parts of every process, cells in gid order."""
    time = parts[0]["time"]
    for part in parts[1:]:
        if len(part["time"]) != len(time) or not np.allclose(part["time"], time):
            raise NeuroBlendError("the ranks recorded different time vectors; record every rank "
                                  "with the same dt, tstop and sample_every")
    blocks = []
    for part in parts:
        rows = 0
        for cell in part["cells"]:
            n = int(np.sum(cell["nseg"]))
            blocks.append((int(cell["gid"]), cell, part["values"][rows:rows + n]))
            rows += n
    blocks.sort(key=lambda b: b[0])
    gids = np.array([b[0] for b in blocks], dtype=np.int64)
    if len(np.unique(gids)) != len(gids):
        dup = int(gids[np.flatnonzero(np.diff(gids) == 0)[0]])
        raise NeuroBlendError(f"gid {dup} was recorded twice (two cells, or two ranks, with the "
                              "same gid)")
    cells = [{k: v for k, v in cell.items() if k != "gid"} for _, cell, _ in blocks]
    values = np.concatenate([b[2] for b in blocks]) if blocks else np.zeros((0, len(time)))
    network: dict[str, Any] = {}
    spike_parts = [p["spikes"] for p in parts if p.get("spikes") is not None]
    if spike_parts:
        network["spikes"] = _merge_spikes(spike_parts, gids, float(time[-1]))
    conns = [p["connections"] for p in parts if len(p["connections"]["pre"])]
    if conns:
        network["connections"] = _merge_connections(conns, gids)
    try:
        return simulation_build.build_simulation_document(
            cells, time, values, variable=variable, meta=meta, **network)
    except ValueError as exc:
        raise NeuroBlendError(f"the recording is not a valid simulation file: {exc}") from None


def _merge_spikes(parts: list, gids: np.ndarray, t_end: float) -> dict:
    gid = np.concatenate([p["gid"] for p in parts])
    time = np.concatenate([p["time"] for p in parts])
    keep = time <= t_end  # a spike after the last stored sample is not shown
    cell = np.searchsorted(gids, gid[keep])
    order = np.lexsort((cell, time[keep]))
    return {"cell": cell[order], "time": time[keep][order]}


def _merge_connections(parts: list, gids: np.ndarray) -> dict:
    merged = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    known = np.isin(merged["pre"], gids) & np.isin(merged["post"], gids)
    out = {k: v[known] for k, v in merged.items()}
    out["pre"] = np.searchsorted(gids, out["pre"])
    out["post"] = np.searchsorted(gids, out["post"])
    order = np.lexsort((out["post"], out["pre"]))
    return {k: v[order] for k, v in out.items()}


def gather_and_save(recorder: Any, path: str | os.PathLike, sample_every: float | None,
                    meta: Mapping | None) -> dict | None:
    """Gather every rank's part on rank 0, which validates and writes ``path`` atomically.
    Returns the document on rank 0 and None elsewhere; raises on every rank if any failed."""
    from neuroblend.files.fileformat import save_document

    pc = parallel_context()
    rank, nhost = int(pc.id()), int(pc.nhost())
    if nhost > 1 and any(c.gid is None for c in recorder.cells):
        error: str | None = (f"rank {rank}: under MPI give every recorded cell a gid "
                             "(Recorder.add_cell(sections, name, gid=...))")
        part = None
    else:
        try:
            part, error = recorder.part(sample_every), None
        except Exception as exc:  # reported on every rank below
            part, error = None, f"rank {rank}: {exc}"
    gathered = pc.py_gather((error, part), 0) if nhost > 1 else [(error, part)]
    doc, status = None, None
    if rank == 0:
        errors = [e for e, _ in gathered if e]
        if not errors:
            try:
                doc = assemble([p for _, p in gathered if p is not None], recorder.variable,
                               recorder.meta(sample_every, {**(meta or {}), "ranks": nhost}))
                save_document(doc, path)
            except Exception as exc:  # nothing was written (atomic): report on every rank
                errors.append(f"rank 0: {exc}")
        status = "; ".join(errors)
    if nhost > 1:
        status = pc.py_broadcast(status, 0)
    if status:
        raise NeuroBlendError(f"nothing written to {path}: {status}")
    return doc
