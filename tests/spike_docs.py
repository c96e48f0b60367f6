"""Small synthetic simulation documents (built to the neuroblend.simulation v1 contract)."""

from __future__ import annotations

import numpy as np

from neuroblend.simulation.simulation_build import build_simulation_document

SOMA_ROW, DEND_ROWS, APIC_ROWS, BRANCH_ROW = 0, (1, 2, 3), (4, 5), 6
REST, PEAK = -70.0, 30.0
DT = 0.5  # ms per sample; 21 samples: 0..10 ms
SPIKE_SAMPLE = 10  # t = 5 ms: the soma fires


def toy_cell(name: str = "toy", offset=(0.0, 0.0, 0.0)) -> dict:
    """Soma (1 compartment), a 3-compartment dendrite leaving the soma centre, a 2-compartment
    apical trunk from the soma's end and a 1-compartment branch from the trunk's tip."""
    off = np.asarray(offset, dtype=float)
    points = [
        [(0, -6, 0), (0, 6, 0)],
        [(6, 0, 0), (25, 0, 0), (50, 0, 0)],
        [(0, 6, 0), (0, 20, 0), (0, 45, 0)],
        [(0, 45, 0), (12, 57, 0)],
    ]
    diameters = [[12, 12], [4, 4, 3], [4, 3.5, 3], [2.5, 2]]
    return {
        "name": name, "nseg": [1, 3, 2, 1],
        "sections": {
            "name": ["soma", "dend[0]", "apic[0]", "apic[1]"],
            "type": ["soma", "dend", "apic", "apic"],
            "parent": [-1, 0, 0, 2], "parent_x": [0.0, 0.5, 1.0, 1.0],
            "points": [np.asarray(p, dtype=float) + off for p in points],
            "diameters": diameters,
        },
    }


def toy_values(n_cells: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Rest everywhere; the soma peaks at 5 ms; distinctive first/last samples; a NaN stretch."""
    time = DT * np.arange(21)
    one = np.full((7, len(time)), REST, dtype=np.float32)
    one[SOMA_ROW, SPIKE_SAMPLE] = PEAK
    one[SOMA_ROW, SPIKE_SAMPLE + 1] = 0.0
    one[DEND_ROWS[0], 0] = -40.0  # held before the first sample
    one[DEND_ROWS[2], -1] = 10.0  # held after the last sample
    one[BRANCH_ROW, 16:] = np.nan  # 8 ms on: no data
    return time, np.concatenate([one] * n_cells)


def toy_document(n_cells: int = 1) -> dict:
    """A valid simulation document of ``n_cells`` toy cells side by side (80 um apart)."""
    time, values = toy_values(n_cells)
    cells = [toy_cell(f"toy{i}", (0.0, 0.0, 80.0 * i)) for i in range(n_cells)]
    return build_simulation_document(cells, time, values)


def use_old_frame_driver(material) -> None:
    """Rewire a playback material to NeuroBlend's mechanism before issue #14 (the reference for
    colour and speed comparisons): a ``frame`` driver on a Value node, emission sampled as a light."""
    tree = material.node_tree
    clock = tree.nodes["Frame"]
    value = tree.nodes.new("ShaderNodeValue")
    curve = value.outputs[0].driver_add("default_value")
    curve.driver.type = "SCRIPTED"
    curve.driver.expression = "frame"
    for link in list(clock.outputs["Fac"].links):
        tree.links.new(value.outputs[0], link.to_socket)
    tree.nodes.remove(clock)
    from neuroblend.blender.core import compat

    compat.set_emission_sampling(material, "AUTO")
