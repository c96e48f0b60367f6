"""A small synthetic network document (neuroblend.simulation v2): three cells in a row, each
firing once, wired 0 -> 1 -> 2 so the activity visibly travels."""

from __future__ import annotations

import numpy as np

from neuroblend.simulation.simulation_build import build_simulation_document

DT = 0.5  # ms per sample, 0..20 ms
REST, PEAK = -70.0, 30.0
SPIKE_TIMES = (2.0, 8.0, 14.0)  # cell c fires at SPIKE_TIMES[c]
DELAY = 6.0  # ms, every connection
SPACING = 300.0  # um between the cells (x)
SYNAPSE = (1, 0.5)  # post section, x: the middle of the dendrite


def toy_network_cell(name: str) -> dict:
    """A soma (1 compartment) and one upright dendrite (3 compartments), at the origin."""
    return {"name": name, "nseg": [1, 3], "sections": {
        "name": ["soma", "dend"], "type": ["soma", "dend"], "parent": [-1, 0],
        "parent_x": [0.0, 1.0],
        "points": [np.array([(0, -10, 0), (0, 10, 0)], float),
                   np.array([(0, 10, 0), (0, 110, 0), (0, 210, 0)], float)],
        "diameters": [[20, 20], [4, 4, 3]]}}


def toy_network(**changes) -> dict:
    """The document; ``changes`` replace the spikes/connections tables given to the builder."""
    time = DT * np.arange(41)
    n = len(SPIKE_TIMES)
    cells = []
    for c in range(n):
        cell = toy_network_cell(f"cell{c}")
        cell["placement"] = np.eye(4)
        cell["placement"][0, 3] = SPACING * (c - 1)
        cells.append(cell)
    values = np.full((4 * n, len(time)), REST, np.float32)
    for c, t in enumerate(SPIKE_TIMES):
        values[4 * c:4 * c + 4, (time >= t) & (time < t + 1.0)] = PEAK
    tables = {
        "spikes": {"cell": np.arange(n), "time": np.array(SPIKE_TIMES)},
        "connections": {"pre": [0, 1], "post": [1, 2], "post_section": [SYNAPSE[0]] * 2,
                        "post_x": [SYNAPSE[1]] * 2, "delay": [DELAY] * 2, "weight": [0.04] * 2},
    }
    tables.update(changes)
    return build_simulation_document(cells, time, values, **tables)
