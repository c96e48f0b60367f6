"""Record every compartment of your own NEURON model into a ``neuroblend.simulation`` file.

::

    from neuron import h
    from neuroblend.simulation.recording import Recorder

    rec = Recorder(sections=list(h.allsec()), variable="v", cell_name="pyramid")
    h.finitialize(-65)
    h.continuerun(100)
    rec.save("sim.pkl", sample_every=0.5)   # spike peaks survive the downsampling

Several cells in one file: ``Recorder(sections={"cell A": secs_a, "cell B": secs_b})`` or
``Recorder()`` (every section, one cell per connected tree). Recording uses one NEURON
``Vector.record`` per compartment (no Python per time step); NEURON is imported only here.

Networks: ``rec.record_spikes(section="soma", threshold=-20)`` also records each cell's spike
times, and the file gets the NetCons between recorded cells. Under MPI (``mpiexec -n N python
model.py`` with a ParallelContext) give every cell its ``gid`` (``add_cell(secs, name, gid=g)``):
each rank records its own cells and ``save()`` gathers them into one file written by rank 0
(see :mod:`neuroblend.simulation.gather`).
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.simulation import simulation_build, simulation_file
from neuroblend.simulation.neuron_env import neuron_h


class SimulationWarning(UserWarning):
    """Something worth knowing about a recording (NaN values, variables missing somewhere)."""


def decimate_keep_peaks(time: np.ndarray, values: np.ndarray, factor: int
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Downsample by ``factor`` without losing spikes (returns the new time and values).

    The output keeps every ``factor``-th sample (true times), except that each bin of
    ``2 * factor`` samples (two output samples) keeps, per compartment, its maximum if that is a
    local peak of the signal and its minimum if that is a local trough, in the slot of the half
    where it occurs (both in time order when a bin holds a peak and a trough). A spike narrower
    than the new interval therefore keeps its peak, while smooth stretches are plain samples.
    NaN samples win, so a blow-up stays visible.
    """
    if factor <= 1 or len(time) < 2:
        return time, values
    n, width, n_rows = len(time), 2 * factor, values.shape[0]
    n_bins = -(-n // width)
    pad = n_bins * width - n
    if pad:
        step = time[-1] - time[-2]
        time = np.concatenate([time, time[-1] + step * np.arange(1, pad + 1)])
        values = np.pad(values, ((0, 0), (0, pad)), mode="edge")
    shape = (n_rows, n_bins, width)
    blocks = values.reshape(shape)
    edge = np.full((n_rows, 1), np.nan, dtype=values.dtype)  # the ends are no extremes
    left = np.concatenate([edge, values[:, :-1]], axis=1).reshape(shape)
    right = np.concatenate([values[:, 1:], edge], axis=1).reshape(shape)
    slots = np.array([factor // 2, factor + factor // 2])
    out = blocks[:, :, slots].copy()
    nan = np.isnan(blocks)
    i_max = np.argmax(np.where(nan, np.inf, blocks), axis=2)[..., None]
    i_min = np.argmin(np.where(nan, -np.inf, blocks), axis=2)[..., None]

    def pick(a: np.ndarray, i: np.ndarray) -> np.ndarray:
        return np.take_along_axis(a, i, axis=2)[..., 0]

    v_max, v_min = pick(blocks, i_max), pick(blocks, i_min)
    peak = ((v_max >= pick(left, i_max)) & (v_max >= pick(right, i_max))) | np.isnan(v_max)
    trough = (v_min <= pick(left, i_min)) & (v_min <= pick(right, i_min))
    i_max, i_min = i_max[..., 0], i_min[..., 0]
    both = peak & trough & (i_max != i_min)
    for extreme, value, index in ((trough, v_min, i_min), (peak, v_max, i_max)):
        half = index >= factor
        for slot in (0, 1):
            use = extreme & ~both & (half == slot)
            out[..., slot] = np.where(use, value, out[..., slot])
    min_first = i_min < i_max
    out[..., 0] = np.where(both, np.where(min_first, v_min, v_max), out[..., 0])
    out[..., 1] = np.where(both, np.where(min_first, v_max, v_min), out[..., 1])
    t_out = time.reshape(n_bins, width)[:, slots].reshape(-1)
    out = out.reshape(n_rows, -1)
    if pad:  # the last bin is partial: no time beyond the last real sample
        last = n - 1 - (n_bins - 1) * width
        t_out[-2:] = time[(n_bins - 1) * width + np.minimum(slots, last)]
        if t_out[-1] == t_out[-2]:
            t_out, out = t_out[:-1], out[:, :-1]
    return t_out, out


class _CellRecording:
    """Geometry of one cell and its per-segment vectors, in the file's orientation: sections
    attached by their 1 end ("flipped") list their compartments from that end."""

    def __init__(self, h: Any, sections: list, name: str, variable: str):
        self.name = name
        self.gid: int | None = None
        self.placement: Any = None
        self.index = index = {sec: i for i, sec in enumerate(sections)}
        self.flipped = flipped = [bool(sec.parentseg() is not None and sec.orientation() > 0.5)
                                  for sec in sections]
        names, types, parents, parent_x, pts, diams, nseg = [], [], [], [], [], [], []
        for sec in sections:
            names.append(sec.name())
            types.append(simulation_file.section_type(sec.name()))
            pseg = sec.parentseg()
            p = index.get(pseg.sec, -1) if pseg is not None else -1
            parents.append(p)
            parent_x.append(0.0 if p < 0 else (1.0 - pseg.x if flipped[p] else pseg.x))
            # NEURON's 3D points start at the connected end already (for a section attached by
            # its 1 end, point 0 is at x = 1); only its segments run the other way
            n3d = sec.n3d()
            xyz = np.array([[sec.x3d(k), sec.y3d(k), sec.z3d(k)] for k in range(n3d)])
            diam = np.array([sec.diam3d(k) for k in range(n3d)])
            pts.append(xyz.reshape(-1, 3))
            diams.append(diam)
            nseg.append(sec.nseg)
        self.sections = {"name": names, "type": types, "parent": parents, "parent_x": parent_x,
                         **simulation_build.pack_points(pts, diams)}
        self.nseg = nseg
        self.vectors: list = []
        self.missing: list[str] = []
        for i, sec in enumerate(sections):
            segments = list(sec)
            if flipped[i]:
                segments.reverse()
            for seg in segments:
                try:
                    ref = getattr(seg, "_ref_" + variable)
                except (AttributeError, NameError):
                    self.vectors.append(None)
                    if not self.missing or self.missing[-1] != sec.name():
                        self.missing.append(sec.name())
                    continue
                vec = h.Vector()
                vec.record(ref)
                self.vectors.append(vec)

    def values(self, n_times: int) -> np.ndarray:
        out = np.full((len(self.vectors), n_times), np.nan, dtype=np.float32)
        for row, vec in enumerate(self.vectors):
            if vec is not None:
                out[row] = vec.as_numpy()[:n_times]
        return out


class Recorder:
    """Records ``variable`` in every compartment of the given sections from the next
    ``h.finitialize`` on; :meth:`save` writes a ``neuroblend.simulation`` file.

    ``sections``: a list of sections (one cell named ``cell_name``), a dict name -> sections
    (several cells), or None for every section, one cell per connected tree. ``gids`` and
    ``placements`` (dicts by cell name) are passed on to :meth:`add_cell`.
    """

    def __init__(self, sections: Iterable | Mapping | None = None, variable: str = "v",
                 cell_name: str | None = None, gids: Mapping | None = None,
                 placements: Mapping | None = None):
        h = neuron_h()
        self._h = h
        self.variable = variable
        if any(sec.n3d() < 2 for sec in h.allsec()):
            # NEURON lays out sections without 3D points (and moves children to their parent's
            # connection point); files with full 3D data keep their points untouched
            h.define_shape()
        self.cells: list[_CellRecording] = []
        self.spike_probes: list | None = None  # record_spikes: one (NetCon, Vector) per cell
        self._spike_spec: tuple[str, float] = ("soma", -20.0)
        self._time = h.Vector()
        self._time.record(h._ref_t)
        if sections is None:
            sections = _trees(h)
        if isinstance(sections, Mapping):
            for name, secs in sections.items():
                self.add_cell(secs, str(name), gid=(gids or {}).get(name),
                              placement=(placements or {}).get(name))
        else:
            self.add_cell(sections, cell_name)
        if not any(cell.vectors for cell in self.cells):
            raise NeuroBlendError("no sections to record (create the model before the Recorder)")
        missing = [n for cell in self.cells for n in cell.missing]
        total = sum(len(cell.nseg) for cell in self.cells)
        if len(missing) == total:
            raise NeuroBlendError(
                f"variable {variable!r} does not exist in any recorded section (is the mechanism "
                "that defines it inserted? e.g. 'ina' needs a sodium channel such as hh)")
        if missing:
            warnings.warn(f"variable {variable!r} is not defined in {len(missing)} of {total} "
                          f"sections (e.g. {', '.join(missing[:3])}): their rows are NaN",
                          SimulationWarning, stacklevel=2)

    def add_cell(self, sections: Iterable, name: str | None = None, *, gid: int | None = None,
                 placement: Any = None) -> None:
        """Record one more cell made of ``sections`` (call before ``h.finitialize``); ``gid``
        identifies it across MPI ranks, ``placement`` (4x4, um) places points not yet placed."""
        secs = list(sections)
        if not secs:
            raise NeuroBlendError(f"cell {name or len(self.cells)} has no sections")
        cell = _CellRecording(self._h, secs, name or f"cell{len(self.cells)}", self.variable)
        cell.gid, cell.placement = gid, placement
        self.cells.append(cell)
        if self.spike_probes is not None:
            from neuroblend.simulation.gather import spike_probe

            self.spike_probes.append(spike_probe(self._h, secs, *self._spike_spec))

    def record_spikes(self, section: str = "soma", threshold: float = -20.0) -> None:
        """Also record every cell's spikes: upward crossings of ``threshold`` (mV) at the middle
        of its first section whose name contains ``section`` (call before ``h.finitialize``)."""
        from neuroblend.simulation.gather import spike_probe

        self._spike_spec = (section, float(threshold))
        self.spike_probes = [spike_probe(self._h, list(c.index), section, float(threshold))
                             for c in self.cells]

    def document(self, sample_every: float | None = None, meta: Mapping | None = None) -> dict:
        """The recording as a validated simulation document (optionally peak-preserving
        downsampled to one sample per ``sample_every`` ms); this process's cells only."""
        from neuroblend.simulation.gather import assemble

        return assemble([self.part(sample_every)], self.variable, self.meta(sample_every, meta))

    def part(self, sample_every: float | None = None) -> dict:
        """This process's cells, values, spikes and connections (see network_recording)."""
        from neuroblend.simulation.gather import local_connections, local_spikes

        time = self._time.as_numpy().copy()
        if len(time) == 0:
            raise NeuroBlendError("nothing was recorded: run the simulation (h.finitialize, "
                                  "h.continuerun) after creating the Recorder, then save")
        if len(time) > 1 and not np.all(np.diff(time) > 0):
            keep = np.concatenate([[True], np.diff(time) > 0])  # repeated t (e.g. run twice)
            time = time[keep]
        else:
            keep = None
        values = np.concatenate([cell.values(len(self._time)) for cell in self.cells])
        if keep is not None:
            values = values[:, keep]
        factor = _decimation_factor(time, sample_every)
        time, values = decimate_keep_peaks(time, values, factor)
        _warn_nan(time, values, self.cells)
        gids = [c.gid if c.gid is not None else i for i, c in enumerate(self.cells)]
        cells = [{"name": c.name, "sections": c.sections, "nseg": c.nseg, "gid": g,
                  "placement": c.placement} for c, g in zip(self.cells, gids, strict=True)]
        return {"time": time, "values": values, "cells": cells,
                "spikes": local_spikes(self.spike_probes, gids),
                "connections": local_connections(self._h, self.cells, gids)}

    def meta(self, sample_every: float | None = None, meta: Mapping | None = None) -> dict:
        """Provenance of the recording (NEURON version, dt, temperature) plus ``meta``."""
        full_meta = {"neuron_version": _neuron_version(), "time_base": "recorded",
                     "dt": float(self._h.dt), "sample_every": sample_every,
                     "celsius": float(self._h.celsius)}
        full_meta.update(meta or {})
        return full_meta

    def save(self, path: str | os.PathLike, sample_every: float | None = None,
             meta: Mapping | None = None) -> dict | None:
        """Write the recording to ``path`` atomically; returns the document. Under MPI every
        rank calls it: rank 0 writes all ranks' cells and gets the document, the others None;
        if any rank fails, every rank raises and no file is written."""
        from neuroblend.simulation.gather import gather_and_save

        return gather_and_save(self, path, sample_every, meta)


def _decimation_factor(time: np.ndarray, sample_every: float | None) -> int:
    if sample_every is None or len(time) < 2:
        return 1
    step = float(np.median(np.diff(time)))
    if not (math.isfinite(sample_every) and sample_every > 0):
        raise NeuroBlendError(f"sample_every must be a positive time in ms, got {sample_every}")
    if sample_every < step * (1 - 1e-6):
        raise NeuroBlendError(f"sample_every ({sample_every} ms) is shorter than the recorded "
                              f"interval ({step:g} ms); use a value >= dt")
    return max(1, int(round(sample_every / step)))


def _warn_nan(time: np.ndarray, values: np.ndarray, cells: list) -> None:
    nan = np.isnan(values)
    if not nan.any():
        return
    rows = np.flatnonzero(nan.any(axis=1))
    defined = [row for row in rows if not nan[row].all()]  # rows NaN only part of the time
    if not defined:
        return  # rows of a variable missing in some sections: already warned about
    first = int(np.argmax(nan[defined].any(axis=0)))
    warnings.warn(f"the recording has {int(nan[defined].sum())} NaN values in {len(defined)} "
                  f"compartments from t = {time[first]:g} ms (the model blew up? try a smaller "
                  "dt); saved anyway", SimulationWarning, stacklevel=3)


def _trees(h: Any) -> dict[str, list]:
    """Every section grouped by connected tree, named by its cell object or root section."""
    trees: dict[Any, list] = {}
    for sec in h.allsec():
        trees.setdefault(h.SectionRef(sec=sec).root, []).append(sec)
    named: dict[str, list] = {}
    for root, secs in trees.items():
        name = str(root.cell()) if root.cell() is not None else root.name()
        named[name if name not in named else f"{name} ({len(named)})"] = secs
    return named


def _neuron_version() -> str:
    import neuron

    return str(neuron.__version__)
