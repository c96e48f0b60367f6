"""Report columns -> the compartments of a cell's sections.

A column is (section, position). The section comes from the report's ``element_id``: BMTK counts
the sections of NEURON's ``all`` list (soma, axon, dend, apic, each in file order: the order of
our sections), neurodamus counts the morphology file's sections (0 the soma, MorphIO section i
as i + 1: ``CellMorphology.file_order``). A section's columns, in ascending ``element_pos`` (file
order without it), become its n compartments at the segment centres (k + 0.5) / n.

A section without columns gets one compartment showing its nearest recorded ancestor at the
point it hangs from (so a soma report drives the whole cell), or, with ``soma_only``, every
section but the soma holds the soma's value at the window's first frame.
"""

from __future__ import annotations

import numpy as np

from neuroblend.errors import NeuroBlendError


def report_sections(element_ids: np.ndarray, file_order: np.ndarray | None, n_sections: int,
                    where: str, positions: np.ndarray | None = None) -> np.ndarray:
    """The section index of each column (``file_order`` given: neurodamus numbering); refuses
    ids and positions that do not fit the cell."""
    if positions is not None and not np.all((positions >= 0) & (positions <= 1)):
        outside = float(positions[~((positions >= 0) & (positions <= 1))][0])
        raise NeuroBlendError(f"{where}: element_pos {outside:g} does not fit the cell's geometry "
                              "(a position along a section is 0..1)")
    ids = np.asarray(element_ids, dtype=np.int64)
    limit = len(file_order) if file_order is not None else n_sections
    bad = np.flatnonzero((ids < 0) | (ids >= limit))
    if len(bad):
        raise NeuroBlendError(f"{where}: element_id {int(ids[bad[0]])} does not fit the cell's "
                              f"geometry ({limit} sections, ids 0..{limit - 1}); the report was "
                              "made with another morphology or section numbering")
    sections = ids if file_order is None else file_order[ids]
    if np.any(sections < 0):
        raise NeuroBlendError(f"{where}: element_id {int(ids[sections < 0][0])} names a section "
                              "this import replaced (the axon stub)")
    return sections


def compartment_plan(parent: np.ndarray, parent_x: np.ndarray, types: list[str],
                     sections: np.ndarray, positions: np.ndarray | None,
                     soma_only: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """(compartments per section [S], source column per compartment [C] (-1: the constant),
    column of the constant) for one cell whose columns lie on ``sections``."""
    n_sections = len(parent)
    order = (np.lexsort((positions, sections)) if positions is not None
             else np.argsort(sections, kind="stable"))
    soma_columns = [int(c) for c in order if types[sections[c]] == "soma"]
    constant = soma_columns[0] if soma_columns else int(order[0])
    recorded: dict[int, list[int]] = {}
    for column in order:
        s = int(sections[column])
        if soma_only and types[s] != "soma":
            continue
        recorded.setdefault(s, []).append(int(column))
    sources: list[list[int]] = []
    for s in range(n_sections):
        if s in recorded:
            sources.append(recorded[s])
        elif soma_only:
            sources.append([-1])
        else:
            sources.append([_inherited(s, parent, parent_x, recorded, constant)])
    nseg = np.array([len(c) for c in sources], dtype=np.int64)
    return nseg, np.array([c for cols in sources for c in cols], dtype=np.int64), constant


def _inherited(section: int, parent: np.ndarray, parent_x: np.ndarray,
               recorded: dict[int, list[int]], fallback: int) -> int:
    """The column of the nearest recorded ancestor at the point ``section``'s path hangs from."""
    child, seen = section, 0
    while parent[child] >= 0 and seen <= len(parent):
        up = int(parent[child])
        if up in recorded:
            columns = recorded[up]
            k = min(int(float(parent_x[child]) * len(columns)), len(columns) - 1)
            return columns[k]
        child, seen = up, seen + 1
    return fallback
