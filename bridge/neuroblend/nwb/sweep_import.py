"""A patch-clamp current-clamp sweep -> a ``neuroblend.simulation`` document on the recorded cell.

The sweep's membrane voltage (``data * conversion + offset``, in the series' unit, converted to
mV) is the recording at the soma. It is spread over the whole reconstruction: every compartment
shows the soma's voltage (a passive "recorded at soma" colouring, no cable model). Only the
selected window's samples are read. The stimulus (``CurrentClampStimulusSeries`` of the same sweep
number) can be written as a second simulation document on the same cell (values in nA), which
``neuroblend clip trace`` draws.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.nwb.selection import MS_PER_S, Selection

VOLT_UNITS = {"volts": 1000.0, "volt": 1000.0, "v": 1000.0, "millivolts": 1.0, "mv": 1.0}
AMP_UNITS = {"amperes": 1e9, "ampere": 1e9, "a": 1e9, "nanoamperes": 1.0, "na": 1.0,
             "picoamperes": 1e-3, "pa": 1e-3}


def find_sweep(nwbfile, sweep: int, where: str = "acquisition"):
    """The patch-clamp series of sweep ``sweep``: by ``sweep_number``, else the N-th by name."""
    from pynwb.icephys import PatchClampSeries

    group = nwbfile.acquisition if where == "acquisition" else nwbfile.stimulus
    series = sorted((s for s in group.values() if isinstance(s, PatchClampSeries)),
                    key=lambda s: s.name)
    if not series:
        raise NeuroBlendError(f"the file has no patch-clamp sweeps in {where}")
    numbered = [s for s in series if s.sweep_number is not None]
    if numbered:
        hits = [s for s in numbered if int(s.sweep_number) == sweep]
        if not hits:
            known = sorted({int(s.sweep_number) for s in numbered})
            raise NeuroBlendError(f"--sweep {sweep}: no sweep has that number in {where} "
                                  f"(sweeps: {', '.join(map(str, known[:30]))})")
        return hits[0]
    if not 0 <= sweep < len(series):
        raise NeuroBlendError(f"--sweep {sweep}: {where} holds {len(series)} sweeps "
                              f"(0..{len(series) - 1})")
    return series[sweep]


def sampled_window(series, selection: Selection, scale_of: dict, what: str):
    """(time ms [T], values float64 [T]) of ``series`` inside ``selection``, converted by its
    conversion, offset and unit (``scale_of``: unit -> factor to our unit)."""
    unit = str(series.unit or "").strip().lower()
    if unit not in scale_of:
        raise NeuroBlendError(f"{series.name}: {what} in unit {series.unit!r}, expected one of "
                              f"{', '.join(sorted(scale_of))}")
    n = len(series.data)
    if series.timestamps is None:
        t0, rate = float(series.starting_time or 0.0), float(series.rate)
        lo = 0 if not math.isfinite(selection.start) else math.ceil((selection.start - t0) * rate)
        hi = n if not math.isfinite(selection.stop) else math.ceil((selection.stop - t0) * rate)
        lo, hi = max(lo, 0), min(max(hi, 0), n)
        time_s = t0 + np.arange(lo, hi) / rate
    else:
        stamps = np.asarray(series.timestamps[:], dtype=np.float64)
        lo = int(np.searchsorted(stamps, selection.start, side="left"))
        hi = int(np.searchsorted(stamps, selection.stop, side="left"))
        time_s = stamps[lo:hi]
    if hi - lo < 2:
        raise NeuroBlendError(f"{series.name}: fewer than two samples in {selection.source}")
    raw = np.asarray(series.data[lo:hi], dtype=np.float64)
    offset = float(getattr(series, "offset", 0.0) or 0.0)
    values = (raw * float(series.conversion) + offset) * scale_of[unit]
    return time_s * MS_PER_S, values


def _cell(morphology: Path) -> dict:
    """The recorded cell's sections as NeuroBlend's SONATA import makes them (MorphIO: SWC,
    Neurolucida ASC or HDF5; sections as NEURON's Import3d names and orders them), one
    compartment each."""
    from neuroblend.files.atomic import check_readable_file
    from neuroblend.sonata.morphologies import load_morphology

    sections = load_morphology(check_readable_file(morphology)).sections
    return {"name": morphology.stem, "sections": sections,
            "nseg": np.ones(len(sections["name"]), np.int64)}


def _document(cell: dict, time, values, *, variable: str, value_unit: str, meta: dict) -> dict:
    from neuroblend.simulation.simulation_build import build_simulation_document

    rows = len(cell["nseg"])
    spread = np.broadcast_to(np.asarray(values, dtype=np.float32), (rows, len(values)))
    try:
        return build_simulation_document([cell], time, spread, variable=variable,
                                         units={"values": value_unit}, meta=meta)
    except ValueError as exc:
        raise NeuroBlendError(f"cannot build the sweep's document: {exc}") from None


def build_sweep_document(nwbfile, sweep: int, morphology: Path, selection: Selection, *,
                         source: Path) -> dict:
    """The sweep's soma voltage (mV) spread over the cell of ``morphology``."""
    from pynwb.icephys import CurrentClampSeries

    series = find_sweep(nwbfile, sweep)
    if not isinstance(series, CurrentClampSeries):
        raise NeuroBlendError(f"sweep {sweep} ({series.name}) is a {type(series).__name__}, not "
                              "current clamp: only a current-clamp sweep records the membrane "
                              "voltage")
    time, volts = sampled_window(series, selection, VOLT_UNITS, "voltage")
    meta = {"source": str(source), "sweep": {"number": sweep, "name": series.name,
                                             "unit": series.unit,
                                             "conversion": float(series.conversion)},
            "selection": selection.describe(), "display": "soma voltage spread over the cell",
            "session_start_time": str(nwbfile.session_start_time)}
    return _document(_cell(morphology), time, volts, variable="v", value_unit="mV", meta=meta)


def build_stimulus_document(nwbfile, sweep: int, morphology: Path, selection: Selection, *,
                            source: Path) -> dict:
    """The sweep's injected current (nA) on the same cell, for ``neuroblend clip trace``."""
    series = find_sweep(nwbfile, sweep, where="stimulus")
    time, amps = sampled_window(series, selection, AMP_UNITS, "current")
    meta = {"source": str(source), "sweep": {"number": sweep, "name": series.name},
            "selection": selection.describe(), "display": "injected current"}
    return _document(_cell(morphology), time, amps, variable="i", value_unit="nA", meta=meta)
