"""Building ``neuroblend.simulation`` documents from cells, time and values (checked on the way)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from neuroblend.simulation.simulation_file import (
    COMPARTMENT_ARRAYS,
    FORMAT,
    SECTION_ARRAYS,
    VERSION,
    problems,
    uniform_compartments,
    unit_for_variable,
)
from neuroblend.simulation.simulation_network import coerce_tables


def pack_points(points: Sequence[Any], diameters: Sequence[Any]) -> dict:
    """Flatten per-section point lists into ``point_offsets``, ``points`` [P,3], ``diameters`` [P]."""
    counts = [len(p) for p in points]
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    flat = (np.concatenate([np.asarray(p, dtype=np.float32).reshape(-1, 3) for p in points])
            if counts and offsets[-1] else np.zeros((0, 3), np.float32))
    diam = (np.concatenate([np.asarray(d, dtype=np.float32).reshape(-1) for d in diameters])
            if counts and offsets[-1] else np.zeros(0, np.float32))
    return {"point_offsets": offsets, "points": flat, "diameters": diam}


def build_simulation_document(cells: Sequence[Mapping], time: Any, values: Any, *,
                              variable: str = "v", units: Mapping | None = None,
                              meta: Mapping | None = None, spikes: Mapping | None = None,
                              connections: Mapping | None = None) -> dict:
    """Assemble a valid simulation document, converting arrays to the dtypes of the format.

    ``cells``: dicts with ``name``, ``sections`` (name, type, parent, parent_x and either
    point_offsets/points/diameters or per-section lists ``points``/``diameters`` of arrays) and
    ``compartments`` (section, x) or ``nseg`` (compartments per section, at segment centres).
    ``row_start`` is assigned in order. ``meta`` is merged over ``base_meta()`` with
    ``time_base`` "recorded" unless given. A cell may carry a ``placement`` (4x4, um); ``spikes``
    and ``connections`` (see :mod:`neuroblend.simulation.simulation_network`) make a network file.
    Raises ValueError naming the first problem.
    """
    from neuroblend.files.document import base_meta, header_problems, new_document, problem_text

    out_cells: list[dict] = []
    row = 0
    for cell in cells:
        sec = dict(cell["sections"])
        if "point_offsets" not in sec:
            sec.update(pack_points(sec["points"], sec["diameters"]))
        sections: dict[str, Any] = {
            "name": [str(n) for n in sec["name"]],
            "type": [str(t) for t in sec["type"]],
        }
        for key, (dtype, _) in SECTION_ARRAYS.items():
            arr = np.asarray(sec[key], dtype=dtype)
            sections[key] = arr.reshape(-1, 3) if key == "points" else arr.reshape(-1)
        comp = cell.get("compartments")
        if comp is None:
            comp = uniform_compartments(cell["nseg"])
        compartments = {k: np.asarray(comp[k], dtype=d).reshape(-1)
                        for k, (d, _) in COMPARTMENT_ARRAYS.items()}
        out_cells.append({"name": str(cell.get("name", f"cell{len(out_cells)}")),
                          "row_start": row, "sections": sections, "compartments": compartments})
        if cell.get("placement") is not None:
            out_cells[-1]["placement"] = np.asarray(cell["placement"], dtype=np.float64)
        row += len(compartments["section"])
    full_meta = base_meta()
    full_meta["time_base"] = "recorded"
    full_meta.update(meta or {})
    doc_units = {"time": "ms", "values": unit_for_variable(variable), "space": "um"}
    doc_units.update(units or {})
    payload = {"variable": str(variable), "time": np.asarray(time, dtype=np.float64).reshape(-1),
               "values": np.atleast_2d(np.asarray(values, dtype=np.float32)), "cells": out_cells}
    payload.update(coerce_tables(spikes, connections))
    doc = new_document(FORMAT, VERSION, payload, units=doc_units, meta=full_meta)
    found = header_problems(doc) or problems(doc)
    if found:
        raise ValueError(problem_text(FORMAT, found))
    return doc
