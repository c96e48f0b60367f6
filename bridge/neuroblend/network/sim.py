"""The built-in network behind ``neuroblend simulate-network`` (serial or under ``mpiexec``).

N copies of a morphology (default NEURON's pyramid.nrn, loaded once through
:func:`neuroblend.simulation.neuron_morphology.load_morphology` and rebuilt per cell), with the default biophysics,
placed and wired by :mod:`neuroblend.network.layout`: excitatory ExpSyn synapses (e = 0 mV,
tau = 2 ms) driven through ``ParallelContext.gid_connect``. A current pulse into a few seed cells
starts the activity, which then spreads. Cells are dealt round-robin to the MPI ranks; the run is
``ParallelContext.psolve`` at fixed dt, so one rank or many give the same spikes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.option_ranges import SEED_MAX, RangeChecked, real, whole

SPIKE_THRESHOLD = -20.0  # mV at the soma


@dataclass
class NetworkSettings(RangeChecked):
    """Options of ``neuroblend simulate-network`` (times in ms; ranges checked on creation)."""

    cells: int = whole(20, 1, 1_000_000)
    tstop: float = real(60.0, 1, 1e5)
    dt: float = real(0.025, 1e-4, 0.1)
    sample_every: float | None = real(0.1, 0, 1e5, above_low=True)
    seed: int = whole(1, 0, SEED_MAX)
    fan_out: int = whole(3, 0, 10_000)
    weight: float = real(0.04, 0, 1e3)  # uS per synapse
    morphology: str | None = None  # None: NEURON's pyramid.nrn
    trust_code: bool = False  # run a .hoc/.nrn morphology (a NEURON program); NEURON's own is trusted

    def validate(self) -> None:
        """Reject impossible values with the reason."""
        if self.sample_every is not None and self.sample_every < self.dt:
            raise NeuroBlendError(f"--sample-every {self.sample_every:g} is below --dt")


def init_mpi() -> Any:
    """Initialise NEURON's MPI when launched by mpiexec; returns the ParallelContext."""
    from neuroblend.simulation.neuron_env import neuron_h

    h = neuron_h()
    if any(k in os.environ for k in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK")):
        h.nrnmpi_init()
    return h.ParallelContext()


def finish_mpi() -> None:
    """End an MPI run cleanly (MPI_Finalize through NEURON's quit); nothing when serial."""
    from neuroblend.simulation.neuron_env import neuron_h

    h = neuron_h()
    pc = h.ParallelContext()
    if int(pc.nhost()) > 1:
        pc.barrier()
        pc.done()
        h.quit()


def template_geometry(sections: list) -> dict:
    """Topology and 3D points of a loaded cell, to rebuild copies of it."""
    index = {sec: i for i, sec in enumerate(sections)}
    out: dict[str, list] = {"name": [], "parent": [], "parent_x": [], "end": [], "points": []}
    for sec in sections:
        pseg = sec.parentseg()
        out["name"].append(sec.name().split(".")[-1])
        out["parent"].append(index.get(pseg.sec, -1) if pseg is not None else -1)
        out["parent_x"].append(pseg.x if pseg is not None else 0.0)
        out["end"].append(sec.orientation())
        out["points"].append(np.array([[sec.x3d(k), sec.y3d(k), sec.z3d(k), sec.diam3d(k)]
                                       for k in range(sec.n3d())]))
    return out


class _CellName:
    """The object a cell's sections hang on (NEURON names them ``cellN.dendrite_1[0]``)."""

    def __init__(self, gid: int):
        self.gid = gid

    def __str__(self) -> str:
        return f"cell{self.gid}"


def build_cell(h: Any, template: dict, gid: int) -> tuple[list, _CellName]:
    """A new copy of the template cell (sections with points, connected as in the template) and
    the object naming it (keep it alive as long as the sections)."""
    owner = _CellName(gid)
    secs = [h.Section(name=name, cell=owner) for name in template["name"]]
    for sec, pts in zip(secs, template["points"], strict=True):
        for x, y, z, d in pts:
            h.pt3dadd(x, y, z, d, sec=sec)
    for sec, p, px, end in zip(secs, template["parent"], template["parent_x"], template["end"],
                               strict=True):
        if p >= 0:
            sec.connect(secs[p](px), end)
    return secs, owner


def simulate_network(out: str | os.PathLike, settings: NetworkSettings,
                     progress: Callable[[str], None] = print) -> dict | None:
    """Simulate and write the network file (rank 0); returns the document on rank 0."""
    from neuroblend.network import layout as network_layout
    from neuroblend.simulation.neuron_env import neuron_h
    from neuroblend.simulation.neuron_morphology import load_morphology
    from neuroblend.simulation.neuron_sim import apply_default_biophysics, run, set_nseg_by_d_lambda
    from neuroblend.simulation.recording import Recorder

    settings.validate()
    pc = init_mpi()
    h = neuron_h()
    rank, nhost = int(pc.id()), int(pc.nhost())
    say = progress if rank == 0 else (lambda _msg: None)
    if settings.cells < nhost:
        raise NeuroBlendError(f"--cells {settings.cells} is fewer than the {nhost} MPI ranks")
    started = time.perf_counter()
    path = Path(settings.morphology) if settings.morphology else _pyramid()
    loaded = load_morphology(path, trust_code=settings.trust_code or not settings.morphology)
    template = template_geometry(loaded)
    soma = next((i for i, n in enumerate(template["name"]) if "soma" in n), 0)
    center = template["points"][soma][:, :3].mean(axis=0)
    for pts in template["points"]:  # each copy is placed by its soma
        pts[:, :3] -= center
    for sec in loaded:
        h.delete_section(sec=sec)
    lengths = np.array([np.linalg.norm(np.diff(p[:, :3], axis=0), axis=1).sum()
                        for p in template["points"]])
    dendritic = np.array(["dend" in n or "apic" in n for n in template["name"]])
    plan = network_layout.plan_network(settings.cells, lengths, dendritic, seed=settings.seed,
                                       fan_out=settings.fan_out, weight=settings.weight)
    cells, keep = _instantiate(h, pc, template, plan, rank, nhost)
    for secs in cells.values():
        apply_default_biophysics(secs)
        set_nseg_by_d_lambda(secs)
    keep += _wire(h, pc, cells, plan)
    recorder = Recorder({f"cell{g}": s for g, s in cells.items()},
                        gids={f"cell{g}": g for g in cells},
                        placements={f"cell{g}": plan.placements[g] for g in cells})
    recorder.record_spikes("soma", SPIKE_THRESHOLD)
    say(f"{settings.cells} cells of {path.name} on {nhost} rank(s), {len(plan.pre)} synapses, "
        f"seeds {plan.seeds.tolist()}")
    pc.set_maxstep(10)
    run(settings.tstop, settings.dt, -65.0, say, advance=pc.psolve)
    meta = {"morphology": {"path": str(path.resolve())},
            "network": {"cells": settings.cells, "seed": settings.seed,
                        "fan_out": settings.fan_out, "weight_us": settings.weight,
                        "seeds": plan.seeds.tolist()}}
    doc = recorder.save(out, settings.sample_every, meta)
    del keep
    if doc is not None:
        say(f"wrote {out}: {len(doc['spikes']['time'])} spikes in "
            f"{len(np.unique(doc['spikes']['cell']))} of {settings.cells} cells, "
            f"{len(doc.get('connections', {}).get('pre', []))} connections "
            f"({time.perf_counter() - started:.1f} s)")
    return doc


def _instantiate(h: Any, pc: Any, template: dict, plan: Any, rank: int, nhost: int):
    cells: dict[int, list] = {}
    keep: list = []
    for gid in range(rank, len(plan.placements), nhost):
        secs, owner = build_cell(h, template, gid)
        cells[gid] = secs
        keep.append(owner)
        pc.set_gid2node(gid, rank)
        source = h.NetCon(secs[0](0.5)._ref_v, None, sec=secs[0])
        source.threshold = SPIKE_THRESHOLD
        pc.cell(gid, source)
        keep.append(source)
        if gid in plan.seeds:
            area = sum(seg.area() for sec in secs for seg in sec)  # um2
            clamp = h.IClamp(secs[0](0.5))
            clamp.delay, clamp.dur, clamp.amp = 2.0, 3.0, 0.03 * area * 1e-2
            keep.append(clamp)
    return cells, keep


def _wire(h: Any, pc: Any, cells: dict, plan: Any) -> list:
    keep = []
    for k in range(len(plan.pre)):
        post = int(plan.post[k])
        if post not in cells:
            continue
        syn = h.ExpSyn(cells[post][int(plan.post_section[k])](float(plan.post_x[k])))
        syn.e, syn.tau = 0.0, 2.0
        con = pc.gid_connect(int(plan.pre[k]), syn)
        con.delay, con.weight[0] = float(plan.delay[k]), float(plan.weight[k])
        keep += [syn, con]
    return keep


def _pyramid() -> Path:
    from neuroblend.simulation.demo_cell import pyramid_path

    return pyramid_path()
