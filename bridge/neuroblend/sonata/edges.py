"""SONATA edges through libsonata -> v2 connections between the imported cells.

The synapse's section is ``afferent_section_id`` (the morphology file's numbering, as neurodamus
counts) or BMTK's ``sec_id`` (NEURON's ``all`` list, our order), its position
``afferent_section_pos`` or ``sec_x``; without either a synapse sits on the soma's middle.
``delay`` and ``syn_weight`` come from the HDF5 group or the edge types CSV. Edges whose source
is not imported (a virtual input population, a cell left out) are counted, not drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.sonata.config import PopulationFiles
from neuroblend.sonata.nodes import attribute, node_types, read_type_ids
from neuroblend.sonata.readable import libsonata_path


@dataclass
class ImportedCells:
    """The imported cells of one node population: sorted node ids and, per node, the cell index,
    its section count and its morphology-file section map (None for a soma-only cell)."""

    node_ids: np.ndarray
    cells: np.ndarray
    n_sections: list[int] = field(default_factory=list)
    file_order: list[np.ndarray | None] = field(default_factory=list)

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """Position of each node id in ``node_ids``, -1 where not imported."""
        if not len(self.node_ids):
            return np.full(len(ids), -1, np.int64)
        where = np.searchsorted(self.node_ids, ids)
        hit = (where < len(self.node_ids)) & (
            self.node_ids[np.minimum(where, len(self.node_ids) - 1)] == ids)
        return np.where(hit, where, -1)


def read_connections(files: PopulationFiles, imported: dict[str, ImportedCells]) -> tuple[dict, dict]:
    """(connections table, counts {"edges", "drawn", "from_outside"}) of one edge population."""
    import libsonata

    try:
        pop = libsonata.EdgeStorage(str(libsonata_path(files.h5))).open_population(files.name)
        sel = pop.select_all()
        src = np.asarray(pop.source_nodes(sel), np.uint64)
        tgt = np.asarray(pop.target_nodes(sel), np.uint64)
        source, target = pop.source, pop.target
    except (libsonata.SonataError, RuntimeError) as exc:
        text = str(exc).strip().splitlines()
        raise NeuroBlendError(f"{files.h5}: cannot read SONATA edges ({text[0] if text else exc})"
                              ) from None
    counts = {"edges": int(len(src)), "drawn": 0, "from_outside": 0}
    if target not in imported:
        return {}, counts
    post = imported[target].lookup(tgt)
    pre = imported[source].lookup(src) if source in imported else np.full(len(src), -1)
    counts["from_outside"] = int(np.sum((pre < 0) & (post >= 0)))
    keep = np.flatnonzero((pre >= 0) & (post >= 0))
    counts["drawn"] = int(len(keep))
    if not len(keep):
        return {}, counts
    types = node_types(files.types_csv)
    edge_ids = np.arange(len(src), dtype=np.uint64)[keep]
    type_ids = read_type_ids(files, "edges", edge_ids)

    def column(name: str, default: float) -> np.ndarray:
        values = attribute(pop, types, name, edge_ids, type_ids, default)
        return np.asarray(values, dtype=np.float64).reshape(-1)

    cells = imported[target]
    section, x = _synapse_sites(pop, column, cells, post[keep], files)
    table = {"pre": imported[source].cells[pre[keep]], "post": cells.cells[post[keep]],
             "post_section": section, "post_x": x,
             "delay": column("delay", 0.0), "weight": column("syn_weight", 1.0)}
    return table, counts


def _synapse_sites(pop: Any, column, cells: ImportedCells, post: np.ndarray,
                   files: PopulationFiles) -> tuple[np.ndarray, np.ndarray]:
    names = set(pop.attribute_names)
    n = len(post)
    if "afferent_section_id" in names:
        ids, x = column("afferent_section_id", 0).astype(np.int64), column("afferent_section_pos", 0.5)
        by_file = True
    else:
        ids, x = column("sec_id", 0).astype(np.int64), column("sec_x", 0.5)
        by_file = False
    section = np.zeros(n, np.int64)
    for k in range(n):
        cell = int(post[k])
        order = cells.file_order[cell]
        if order is None:      # a soma-only cell: every synapse on its one section
            continue
        limit = len(order) if by_file else cells.n_sections[cell]
        if not 0 <= ids[k] < limit:
            raise NeuroBlendError(f"{files.h5}: edge to node {int(cells.node_ids[cell])} names "
                                  f"section {int(ids[k])}, but its morphology has {limit} "
                                  "sections (the edges do not fit the geometry)")
        section[k] = order[ids[k]] if by_file else ids[k]
        if section[k] < 0:
            raise NeuroBlendError(f"{files.h5}: edge to node {int(cells.node_ids[cell])} names "
                                  f"section {int(ids[k])}, part of the axon BMTK replaces by its "
                                  "stub")
    if np.any(~((x >= 0) & (x <= 1))):
        raise NeuroBlendError(f"{files.h5}: a synapse position is outside 0..1 "
                              f"({float(x[~((x >= 0) & (x <= 1))][0]):g})")
    return section, x
