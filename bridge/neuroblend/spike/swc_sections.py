"""An SWC tree as unbranched sections (pure numpy, no NEURON), for documents built without a
simulation (a recorded cell).

A section runs between branch points (or type changes, e.g. soma -> dendrite); a section starts
at its parent's last point, as NEURON's SWC import does, so the tubes join. A one-point soma
becomes a cylinder along Y as long as its diameter.
"""

from __future__ import annotations

import numpy as np

from neuroblend.spike.morphology import SwcTree

SWC_TYPES = {1: "soma", 2: "axon", 3: "dend", 4: "apic"}


def _chains(tree: SwcTree) -> list[list[int]]:
    """Point rows of each section, parents-first (tree rows are parents-first)."""
    n = len(tree.parent)
    children = np.bincount(tree.parent[tree.parent >= 0], minlength=n)
    owner = np.full(n, -1)
    chains: list[list[int]] = []
    for row in range(n):
        p = int(tree.parent[row])
        continues = p >= 0 and children[p] == 1 and tree.types[p] == tree.types[row] \
            and owner[p] >= 0 and chains[owner[p]][-1] == p
        if continues:
            owner[row] = owner[p]
            chains[owner[row]].append(row)
        else:
            owner[row] = len(chains)
            chains.append([row])
    return chains


def cell_from_swc(tree: SwcTree, name: str = "cell") -> dict:
    """A cell dict for ``build_simulation_document``: sections (one compartment each)."""
    chains = _chains(tree)
    owner = np.empty(len(tree.parent), dtype=np.int64)
    for k, chain in enumerate(chains):
        owner[chain] = k
    names, types, parents, parent_x, points, diameters = [], [], [], [], [], []
    counts: dict[str, int] = {}
    for chain in chains:
        kind = SWC_TYPES.get(int(tree.types[chain[0]]), "other")
        p = int(tree.parent[chain[0]])
        rows = ([p] if p >= 0 else []) + chain
        xyz, diam = tree.xyz[rows], 2.0 * tree.radius[rows]
        if len(rows) == 1:  # a lone soma point: a cylinder along Y
            r = tree.radius[rows[0]]
            xyz = xyz[0] + np.array([[0.0, -r, 0.0], [0.0, r, 0.0]])
            diam = np.repeat(diam, 2)
        names.append(f"{kind}[{counts.get(kind, 0)}]")
        counts[kind] = counts.get(kind, 0) + 1
        types.append(kind)
        parents.append(int(owner[p]) if p >= 0 else -1)
        parent_x.append(0.5 if p >= 0 and len(chains[owner[p]]) == 1 else 1.0)
        points.append(xyz)
        diameters.append(diam)
    return {"name": name,
            "sections": {"name": names, "type": types, "parent": parents, "parent_x": parent_x,
                         "points": points, "diameters": diameters},
            "nseg": [1] * len(chains)}
