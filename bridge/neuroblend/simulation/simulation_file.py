"""The ``neuroblend.simulation`` file format (v2): morphology + recorded values of every compartment.

Layout (see docs/DEVELOPING.md): ``variable``, ``time`` float64 [T] (strictly increasing),
``values`` float32 [C_total, T] and ``cells``, each with ``name``, ``row_start``, a ``sections``
table (name, type, parent, parent_x, point_offsets, points, diameters) and a ``compartments`` table
(section, x). A section with n compartments splits its arc length into n equal parts; compartment
k covers normalised arc length [k/n, (k+1)/n) and sits at x = (k + 0.5) / n.
Version 2 adds optional ``spikes``, ``connections`` and per-cell ``placement`` for networks
(:mod:`neuroblend.simulation.simulation_network`); version-1 files still load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from neuroblend.simulation.morphology import find_parent_cycle
from neuroblend.simulation.simulation_network import network_problems, summarize_network

VERSION = 2
FORMAT = "neuroblend.simulation"
SECTION_TYPES = ("soma", "axon", "dend", "apic", "other")
TIME_UNITS = ("ms", "frame")
TIME_BASES = ("recorded", "unknown")

# field -> (dtype, number of dimensions) for the per-cell tables
SECTION_ARRAYS = {
    "parent": (np.int32, 1),
    "parent_x": (np.float32, 1),
    "point_offsets": (np.int64, 1),
    "points": (np.float32, 2),
    "diameters": (np.float32, 1),
}
COMPARTMENT_ARRAYS = {"section": (np.int32, 1), "x": (np.float32, 1)}
_X_TOLERANCE = 1e-4


# ----------------------------------------------------------------------------------- helpers

def unit_for_variable(variable: str) -> str:
    """NEURON's unit of a range variable name (v -> mV, ina -> mA/cm2, cai -> mM, gnabar_hh -> S/cm2)."""
    base = variable.split("_")[0]
    if base == "v":
        return "mV"
    if base.startswith("i") and len(base) > 1:
        return "mA/cm2"
    if base.startswith("g"):
        return "S/cm2"
    if len(base) in (3, 4) and base[-1] in "io" and base[:-1].isalpha():
        return "mM"
    return "1"


def section_type(name: str) -> str:
    """The section type ("soma", "axon", "dend", "apic", "other") guessed from a section name."""
    lower = name.lower()
    if "apic" in lower:
        return "apic"
    if "dend" in lower:
        return "dend"
    if any(word in lower for word in ("axon", "hillock", "initial", "myelin", "node")):
        return "axon"
    if "soma" in lower:
        return "soma"
    return "other"


def uniform_compartments(nseg: Sequence[int] | np.ndarray) -> dict:
    """Compartment table for sections with ``nseg[i]`` compartments each, at segment centres."""
    counts = np.asarray(nseg, dtype=np.int64)
    section = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    k = np.arange(len(section)) - starts
    x = (k + 0.5) / np.repeat(counts, counts)
    return {"section": section, "x": x.astype(np.float32)}


def cell_rows(doc: Mapping, cell: Mapping) -> slice:
    """The rows of ``doc["values"]`` that belong to ``cell``."""
    start = int(cell["row_start"])
    return slice(start, start + len(cell["compartments"]["section"]))


# ----------------------------------------------------------------------------------- checks

def _array_problem(where: str, arr: Any, dtype: Any, ndim: int) -> str | None:
    if not isinstance(arr, np.ndarray):
        return f"{where} is a {type(arr).__name__}, expected a numpy {np.dtype(dtype).name} array"
    if arr.dtype != np.dtype(dtype):
        return f"{where} has dtype {arr.dtype}, expected {np.dtype(dtype).name}"
    if arr.ndim != ndim:
        return f"{where} has {arr.ndim} dimensions, expected {ndim}"
    return None


def _table_problems(table: Mapping, columns: dict, where: str) -> list[str]:
    """What is wrong with each column of ``table`` (dtype and number of dimensions)."""
    found = (_array_problem(f"{where}.{key}", table.get(key), dtype, ndim)
             for key, (dtype, ndim) in columns.items())
    return [p for p in found if p]


def problems(doc: Mapping) -> list[str]:
    """What is wrong with a simulation document, field by field (empty when valid)."""
    out: list[str] = []
    out += _header_problems(doc)
    if not isinstance(doc.get("variable"), str) or not doc.get("variable"):
        out.append("variable must be a non-empty string such as 'v'")
    time: Any = doc.get("time")
    values: Any = doc.get("values")
    n_times = n_rows = None
    p = _array_problem("time", time, np.float64, 1)
    if p:
        out.append(p)
    else:
        n_times = len(time)
        if n_times == 0:
            out.append("time is empty (need at least one sample)")
        elif not np.all(np.isfinite(time)):
            out.append("time contains NaN or infinite values")
        elif n_times > 1 and not np.all(np.diff(time) > 0):
            i = int(np.argmin(np.diff(time) > 0))
            out.append(f"time is not strictly increasing (sample {i + 1}: {time[i + 1]!r} "
                       f"after {time[i]!r})")
    p = _array_problem("values", values, np.float32, 2)
    if p:
        out.append(p)
    else:
        n_rows = values.shape[0]
        if n_times is not None and values.shape[1] != n_times:
            out.append(f"values has {values.shape[1]} columns but time has {n_times} samples")
    cells = doc.get("cells")
    if not isinstance(cells, list) or not cells:
        out.append("cells must be a non-empty list")
        return out
    spans = []
    for i, cell in enumerate(cells):
        cell_problems, n_comp = _cell_problems(cell, f"cells[{i}]")
        out += cell_problems
        if n_comp is not None and isinstance(cell.get("row_start"), (int, np.integer)):
            spans.append((int(cell["row_start"]), n_comp, i))
    if n_rows is not None and len(spans) == len(cells):
        expected = 0
        for start, n_comp, i in sorted(spans):
            if start != expected:
                out.append(f"cells[{i}].row_start is {start}, expected {expected} "
                           "(cells must cover the rows of values without gaps or overlaps)")
                break
            expected += n_comp
        else:
            if expected != n_rows:
                out.append(f"the cells have {expected} compartments but values has {n_rows} rows")
    return out + network_problems(doc)


def _header_problems(doc: Mapping) -> list[str]:
    out = []
    units = doc.get("units")
    if not isinstance(units, Mapping):
        return ["units must be a dict with time, values and space"]
    if units.get("time") not in TIME_UNITS:
        out.append(f"units.time is {units.get('time')!r}, expected one of {TIME_UNITS}")
    if units.get("space") != "um":
        out.append(f"units.space is {units.get('space')!r}, expected 'um'")
    if not isinstance(units.get("values"), str):
        out.append("units.values must be a string such as 'mV'")
    meta = doc.get("meta")
    if not isinstance(meta, Mapping):
        out.append("meta must be a dict")
    elif meta.get("time_base", "recorded") not in TIME_BASES:
        out.append(f"meta.time_base is {meta.get('time_base')!r}, expected one of {TIME_BASES}")
    return out


def _cell_problems(cell: Any, where: str) -> tuple[list[str], int | None]:
    if not isinstance(cell, Mapping):
        return [f"{where} is a {type(cell).__name__}, expected a dict"], None
    out = []
    if not isinstance(cell.get("name"), str):
        out.append(f"{where}.name must be a string")
    row_start = cell.get("row_start")
    if not isinstance(row_start, (int, np.integer)) or isinstance(row_start, bool) or row_start < 0:
        out.append(f"{where}.row_start must be a non-negative integer")
    sec, comp = cell.get("sections"), cell.get("compartments")
    if not isinstance(sec, Mapping):
        return out + [f"{where}.sections must be a dict"], None
    if not isinstance(comp, Mapping):
        return out + [f"{where}.compartments must be a dict"], None
    sec_problems = _section_problems(sec, f"{where}.sections")
    out += sec_problems
    n_sections = len(sec["name"]) if not sec_problems else None
    comp_problems = _compartment_problems(comp, f"{where}.compartments", n_sections)
    out += comp_problems
    n_comp = len(comp["section"]) if not comp_problems else None
    return out, n_comp


MAX_COORDINATE_UM = 1e6  # a renderable cell fits in a metre


def _section_problems(sec: Mapping, where: str) -> list[str]:
    out = []
    names, types = sec.get("name"), sec.get("type")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return [f"{where}.name must be a list of strings"]
    n = len(names)
    if n == 0:
        return [f"{where} is empty (a cell needs at least one section)"]
    if not isinstance(types, list) or len(types) != n:
        return [f"{where}.type must be a list of {n} strings"]
    bad = [t for t in types if t not in SECTION_TYPES]
    if bad:
        out.append(f"{where}.type has {bad[0]!r}, expected one of {SECTION_TYPES}")
    out += _table_problems(sec, SECTION_ARRAYS, where)
    if out:
        return out
    parent, parent_x = sec["parent"], sec["parent_x"]
    offsets, points, diameters = sec["point_offsets"], sec["points"], sec["diameters"]
    for key, arr, size in (("parent", parent, n), ("parent_x", parent_x, n),
                           ("point_offsets", offsets, n + 1)):
        if len(arr) != size:
            out.append(f"{where}.{key} has {len(arr)} entries, expected {size}")
    if points.shape[1:] != (3,):
        out.append(f"{where}.points has shape {points.shape}, expected (P, 3)")
    if len(diameters) != len(points):
        out.append(f"{where}.diameters has {len(diameters)} entries but points has {len(points)}")
    if out:
        return out
    bad_parent = np.flatnonzero((parent < -1) | (parent >= n) | (parent == np.arange(n)))
    if len(bad_parent):
        i = int(bad_parent[0])
        out.append(f"{where}.parent[{i}] is {int(parent[i])}, expected -1 or another section "
                   f"index below {n}")
    elif find_parent_cycle(parent) is not None:
        out.append(f"{where}.parent has a cycle (a section is its own ancestor)")
    if not np.all((parent_x >= 0) & (parent_x <= 1)):
        out.append(f"{where}.parent_x must lie in [0, 1]")
    if offsets[0] != 0 or offsets[-1] != len(points):
        out.append(f"{where}.point_offsets must start at 0 and end at {len(points)} (the number "
                   f"of points), got {int(offsets[0])}..{int(offsets[-1])}")
    elif np.any(np.diff(offsets) < 0):
        i = int(np.argmax(np.diff(offsets) < 0))
        out.append(f"{where}.point_offsets decreases at section {i} ({names[i]}); "
                   "offsets must be monotonic")
    elif np.any(np.diff(offsets) < 2):
        i = int(np.argmax(np.diff(offsets) < 2))
        out.append(f"{where}.point_offsets: section {i} ({names[i]}) has "
                   f"{int(offsets[i + 1] - offsets[i])} points, at least 2 are needed")
    if not np.all(np.isfinite(points)):
        out.append(f"{where}.points contains NaN or infinite values")
    elif len(points) and float(np.abs(points).max()) > MAX_COORDINATE_UM:
        out.append(f"{where}.points reach {float(np.abs(points).max()):.3g} um; coordinates "
                   f"must stay within +-{MAX_COORDINATE_UM:g} um (1 m)")
    if not np.all(np.isfinite(diameters)) or np.any(diameters < 0):
        out.append(f"{where}.diameters must be finite and non-negative")
    return out


def _compartment_problems(comp: Mapping, where: str, n_sections: int | None) -> list[str]:
    out = _table_problems(comp, COMPARTMENT_ARRAYS, where)
    if out:
        return out
    section, x = comp["section"], comp["x"]
    if len(section) != len(x):
        return [f"{where}.section has {len(section)} entries but x has {len(x)}"]
    if len(section) == 0:
        return [f"{where} is empty"]
    if n_sections is None:
        return out
    if section.min() < 0 or section.max() >= n_sections:
        return [f"{where}.section refers to a section outside 0..{n_sections - 1}"]
    if np.any(np.diff(section) < 0):
        return [f"{where} must be ordered by section"]
    nseg = np.bincount(section, minlength=n_sections)
    if np.any(nseg == 0):
        i = int(np.argmin(nseg))
        return [f"{where}: section {i} has no compartments"]
    expected = uniform_compartments(nseg)["x"]
    if not np.allclose(x, expected, atol=_X_TOLERANCE, rtol=0):
        i = int(np.argmax(np.abs(x - expected) > _X_TOLERANCE))
        out.append(f"{where}.x[{i}] is {float(x[i]):.6g}, expected the segment centre "
                   f"{float(expected[i]):.6g} (compartments ascend in x, n equal parts per section)")
    return out


# ----------------------------------------------------------------------------------- summary

def summarize(doc: Mapping) -> dict:
    """Short summary for ``neuroblend inspect``: sizes, time span, value range, soma peak, NaNs."""
    time, values, cells = doc["time"], doc["values"], doc["cells"]
    units = doc["units"]
    t_unit = "frames" if units["time"] == "frame" else units["time"]
    finite = np.isfinite(values)
    n_nan = int(np.isnan(values).sum())
    summary: dict[str, Any] = {
        "variable": doc["variable"],
        "cells": len(cells),
        "cell_names": [c["name"] for c in cells],
        "sections": int(sum(len(c["sections"]["name"]) for c in cells)),
        "compartments": int(values.shape[0]),
        "samples": int(len(time)),
        "time_span": f"{time[0]:g} .. {time[-1]:g} {t_unit}",
        "time_base": doc["meta"].get("time_base", "recorded"),
    }
    if len(time) > 1:
        summary["sample_interval"] = f"{float(np.median(np.diff(time))):g} {t_unit}"
    if finite.any():
        summary["value_range"] = (f"{float(values[finite].min()):.4g} .. "
                                  f"{float(values[finite].max()):.4g} {units['values']}")
    summary["nan_values"] = n_nan
    peak = soma_peak(doc)
    if peak is not None:
        summary["soma_peak"] = (f"{peak['value']:.4g} {units['values']} at "
                                f"{peak['time']:g} {t_unit} ({peak['cell']}: "
                                f"{peak['section']}({peak['x']:.3g}))")
    summary.update(summarize_network(doc))
    note = doc["meta"].get("note")
    if note:
        summary["note"] = note
    return summary


def soma_peak(doc: Mapping) -> dict | None:
    """Where and when the soma peaks (first cell with a soma): the maximum, or for a variable
    other than v whose excursion points down (an inward current such as ina) the minimum."""
    values, time = doc["values"], doc["time"]
    for cell in doc["cells"]:
        sec = cell["sections"]
        comp = cell["compartments"]
        soma = [i for i, t in enumerate(sec["type"]) if t == "soma"]
        if not soma:
            continue
        rows = np.flatnonzero(np.isin(comp["section"], soma))
        block = values[cell_rows(doc, cell)][rows]
        if not np.isfinite(block).any():
            continue
        median = np.nanmedian(block)
        downward = median - np.nanmin(block) > np.nanmax(block) - median  # e.g. ina
        pick = np.nanargmin(block) if downward and doc["variable"] != "v" else np.nanargmax(block)
        r, t = np.unravel_index(pick, block.shape)
        s = int(comp["section"][rows[r]])
        return {"cell": cell["name"], "section": sec["name"][s], "x": float(comp["x"][rows[r]]),
                "row": int(cell["row_start"] + rows[r]), "time": float(time[t]),
                "value": float(block[r, t])}
    return None


def spike_onset(time: Any, values: Any, threshold: float) -> float | None:
    """First time any row of ``values`` [rows, samples] reaches ``threshold`` (the spike's
    start as a viewer sees it), or None if none does."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return None
    above = np.nanmax(np.where(np.isfinite(values), values, -np.inf), axis=0) >= threshold
    if not above.any():
        return None
    return float(np.asarray(time, dtype=np.float64)[int(np.argmax(above))])
