"""SONATA reports through libsonata, read lazily: only the window's frames of the selected nodes,
a chunk of nodes at a time, straight into the simulation's ``values`` rows.

A soma report is a compartment report with one column (element 0, the soma) per node, so both
go through :class:`libsonata.ElementReportReader`. ``element_pos`` (BMTK writes it; libsonata
does not expose it) is read from the mapping with h5py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.sonata.config import ReportSpec
from neuroblend.sonata.readable import libsonata_path

_CHUNK_VALUES = 8_000_000  # float32 values read per libsonata call (32 MB)


@dataclass
class ReportWindow:
    """One report population restricted to a time window and stride."""

    spec: ReportSpec
    population: str
    reader: Any                 # libsonata.ElementReportPopulation
    tstart: float
    tstop: float
    stride: int
    times: np.ndarray           # float64 [T], as libsonata returns them
    units: str


def open_report(spec: ReportSpec, population: str, population_size: int):
    """The report's libsonata population for node population ``population``, or None when the
    report has none; refuses node ids that the circuit does not have."""
    import libsonata

    if not spec.path.is_file():
        raise NeuroBlendError(f"report {spec.name!r}: no file {str(spec.path)!r}; run the "
                              "simulation first or check output_dir / file_name in the config")
    try:
        reader = libsonata.ElementReportReader(str(libsonata_path(spec.path)))
        if population not in reader.get_population_names():
            return None
        pop = reader[population]
        ids = np.asarray(pop.get_node_ids(), dtype=np.int64)
    except (libsonata.SonataError, RuntimeError) as exc:
        raise NeuroBlendError(f"{spec.path}: cannot read the report ({_first(exc)})") from None
    if len(ids) and (ids.min() < 0 or ids.max() >= population_size):
        bad = int(ids[(ids < 0) | (ids >= population_size)][0])
        raise NeuroBlendError(f"report {spec.name!r} ({spec.path}): node id {bad} is not in the "
                              f"circuit (population {population!r} has node ids 0.."
                              f"{population_size - 1}); is this report from another circuit?")
    return pop


def report_window(spec: ReportSpec, population: str, pop: Any,
                  time_window: tuple[float, float] | None,
                  sample_every: float | None) -> ReportWindow:
    """The frames of ``pop`` inside ``time_window`` (all when None), one every ``sample_every``
    ms (a whole number of report steps, at least one)."""
    t0, t1, dt = (float(v) for v in pop.times)
    lo, hi = time_window if time_window else (t0, t1)
    stride = max(1, int(round(sample_every / dt))) if sample_every else 1
    if hi < t0 or lo > t1:
        raise NeuroBlendError(f"report {spec.name!r}: --time-window {lo:g} {hi:g} is outside "
                              f"the report's time {t0:g}..{t1:g} ms")
    first = np.asarray(pop.get_node_ids(), dtype=np.uint64)[:1]
    times = _read(pop, first, max(lo, t0), min(hi, t1), stride, spec).times
    times = np.asarray(times, dtype=np.float64)
    if len(times) == 0:
        raise NeuroBlendError(f"report {spec.name!r}: no frame between {lo:g} and {hi:g} ms "
                              f"(frames every {dt:g} ms from {t0:g})")
    return ReportWindow(spec, population, pop, max(lo, t0), min(hi, t1), stride, times,
                        str(pop.data_units or "mV"))


def report_columns(window: ReportWindow, node_ids: np.ndarray) -> dict[int, tuple]:
    """Per recorded node among ``node_ids``: (element_ids int64 [c], element_pos float64 [c] or
    None) in the report's column order."""
    import h5py
    import libsonata

    recorded = np.intersect1d(np.asarray(window.reader.get_node_ids(), np.uint64),
                              np.asarray(node_ids, np.uint64))
    if not len(recorded):
        return {}
    mapping = np.asarray(window.reader.get_node_id_element_id_mapping(
        libsonata.Selection(recorded)), dtype=np.int64).reshape(-1, 2)
    positions = _element_positions(h5py, window, recorded)
    starts = np.searchsorted(mapping[:, 0], recorded.astype(np.int64), side="left")
    stops = np.searchsorted(mapping[:, 0], recorded.astype(np.int64), side="right")
    return {int(node): (mapping[a:b, 1], positions.get(int(node)) if positions else None)
            for node, a, b in zip(recorded, starts, stops, strict=True)}


def _element_positions(h5py: Any, window: ReportWindow, nodes: np.ndarray) -> dict | None:
    with h5py.File(libsonata_path(window.spec.path), "r") as f:
        mapping = f[f"report/{window.population}/mapping"]
        if "element_pos" not in mapping:
            return None
        ids = mapping["node_ids"][()]
        pointers = mapping["index_pointers"][()]
        where = {int(n): k for k, n in enumerate(ids)}
        pos = np.asarray(mapping["element_pos"][()], np.float64)
        return {int(n): pos[int(pointers[where[int(n)]]):int(pointers[where[int(n)] + 1])]
                for n in nodes}


@dataclass
class CellPlan:
    """Where one recorded cell's report columns go: ``source[k]`` is the column (of the node's
    ``width`` columns) shown by row ``row + k``, -1 for rows holding column ``constant`` at the
    window's first frame."""

    node: int
    row: int
    source: np.ndarray
    constant: int
    width: int


def fill_values(window: ReportWindow, plans: list[CellPlan], out: np.ndarray) -> None:
    """Write the window's values into ``out`` [rows, T], reading a chunk of nodes at a time."""
    plans = sorted(plans, key=lambda p: p.node)
    start = 0
    while start < len(plans):
        stop, columns = start + 1, plans[start].width
        while stop < len(plans) and (columns + plans[stop].width) * len(window.times) \
                <= _CHUNK_VALUES:
            columns += plans[stop].width
            stop += 1
        chunk = plans[start:stop]
        frame = _read(window.reader, np.array([p.node for p in chunk], np.uint64),
                      window.tstart, window.tstop, window.stride, window.spec)
        data = np.ascontiguousarray(np.asarray(frame.data, dtype=np.float32).T)  # [columns, T]
        del frame
        offsets = np.cumsum([0] + [p.width for p in chunk[:-1]])
        rows = np.concatenate([np.arange(p.row, p.row + len(p.source)) for p in chunk])
        source = np.concatenate([o + np.where(p.source < 0, p.constant, p.source)
                                 for o, p in zip(offsets, chunk, strict=True)])
        held = np.concatenate([p.source < 0 for p in chunk])
        out[rows[~held]] = data[source[~held]]
        if held.any():
            out[rows[held]] = data[source[held], :1]
        del data
        start = stop


def _read(pop: Any, ids: np.ndarray, tstart: float, tstop: float, stride: int, spec: ReportSpec):
    import libsonata

    try:
        return pop.get(libsonata.Selection(np.asarray(ids, np.uint64)), tstart, tstop, stride)
    except (libsonata.SonataError, RuntimeError) as exc:
        raise NeuroBlendError(f"{spec.path}: cannot read the report ({_first(exc)})") from None


def _first(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
