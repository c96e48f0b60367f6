"""The imported nodes as simulation cells: morphologies placed in the network (soma-only
spheres for point and virtual nodes with ``--points``), and the rows each report column fills."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.sonata.edges import ImportedCells
from neuroblend.sonata.mapping import compartment_plan, report_sections
from neuroblend.sonata.morphologies import CellMorphology, find_morphology, load_morphology
from neuroblend.sonata.nodes import (
    NodeTable,
    attribute,
    node_types,
    open_population,
    read_type_ids,
)
from neuroblend.sonata.reports import CellPlan, ReportWindow, report_columns

POINT_DIAMETER_UM = 10.0  # the sphere standing in for a point or virtual node (--points)
_STUB_PROCESSING = {"aibs_perisomatic"}


@dataclass
class SonataCell:
    """One imported node: its sections (file frame) and placement in the network."""

    population: str
    node: int
    sections: dict[str, Any]
    file_order: np.ndarray | None
    placement: np.ndarray


def cells_of(table: NodeTable, points: bool, skipped: dict) -> list[SonataCell]:
    """The cells shown for ``table``'s nodes (``skipped`` counts the point/virtual ones left out)."""
    cache: dict[tuple[Path, bool], CellMorphology] = {}
    out = []
    processing = _processing(table)
    for k, node in enumerate(table.ids):
        name = table.morphology[k]
        if table.model_type[k] != "biophysical" or name is None:
            if not points:
                skipped["point_or_virtual"] += 1
                continue
            out.append(SonataCell(table.population.name, int(node), _soma_only(), None,
                             table.placement[k]))
            continue
        path = find_morphology(name, table.population.components)
        stub = processing[k] in _STUB_PROCESSING
        if (path, stub) not in cache:
            cache[(path, stub)] = load_morphology(path, axon_stub=stub)
        morph = cache[(path, stub)]
        centre = np.eye(4)
        centre[:3, 3] = -morph.soma_centre
        out.append(SonataCell(table.population.name, int(node), morph.sections, morph.file_order,
                         table.placement[k] @ centre))
    return out


def _processing(table: NodeTable) -> list[str | None]:
    pop = open_population(table.population)
    type_ids = read_type_ids(table.population, "nodes", table.ids)
    values = attribute(pop, node_types(table.population.types_csv), "model_processing",
                       table.ids, type_ids)
    return [None if v is None else str(v) for v in values]


def _soma_only() -> dict[str, Any]:
    d = POINT_DIAMETER_UM
    points = np.array([[-d / 2, 0, 0], [0, 0, 0], [d / 2, 0, 0]], np.float64)
    return {"name": ["soma[0]"], "type": ["soma"], "parent": np.array([-1], np.int32),
            "parent_x": np.zeros(1, np.float32), "points": [points], "diameters": [np.full(3, d)]}


def cell_layout(cells: list[SonataCell], windows: dict[str, ReportWindow], soma_only: bool
                ) -> tuple[list[dict], dict[str, list[CellPlan]], dict[str, ImportedCells]]:
    """The document's cells (sections, compartments, placement), the report plans of the
    recorded ones by population and the imported cells by population (for spikes and edges)."""
    columns = {name: report_columns(w, np.array([c.node for c in cells if c.population == name],
                                                np.uint64))
               for name, w in windows.items()}
    out: list[dict] = []
    plans: dict[str, list[CellPlan]] = {}
    groups: dict[str, list[tuple[int, int, int, Any]]] = {}
    row = 0
    for index, cell in enumerate(cells):
        sec = cell.sections
        n = len(sec["name"])
        recorded = columns.get(cell.population, {}).get(cell.node)
        nseg = np.ones(n, np.int64)
        if recorded is not None:
            window = windows[cell.population]
            where = f"report {window.spec.name!r}, node {cell.node} of {cell.population!r}"
            on = (np.zeros(len(recorded[0]), np.int64) if cell.file_order is None else
                  report_sections(recorded[0], None if window.spec.bmtk else cell.file_order,
                                  n, where, recorded[1]))
            nseg, source, constant = compartment_plan(sec["parent"], sec["parent_x"],
                                                      sec["type"], on, recorded[1], soma_only)
            plans.setdefault(cell.population, []).append(
                CellPlan(cell.node, row, source, constant, len(recorded[0])))
        out.append({"name": f"{cell.population}/{cell.node}", "sections": sec, "nseg": nseg,
                    "placement": cell.placement})
        row += int(nseg.sum())
        groups.setdefault(cell.population, []).append((cell.node, index, n, cell.file_order))
    imported = {name: ImportedCells(np.array([g[0] for g in group], np.uint64),
                                    np.array([g[1] for g in group], np.int64),
                                    [g[2] for g in group], [g[3] for g in group])
                for name, group in groups.items()}
    return out, plans, imported
