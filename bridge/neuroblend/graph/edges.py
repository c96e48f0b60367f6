"""Edges drawn between neurons: a seeded random subset of the model's connections.

The branching model connects every neuron of layer l to every neuron of layer l + 1 (activity
spreads along all of them with the same probability), so the connections are the
``(layers - 1) * neurons^2`` pairs between consecutive layers; ``density`` is the fraction drawn.
"""

from __future__ import annotations

import numpy as np

from neuroblend.errors import NeuroBlendError


def connection_count(layers: int, neurons: int) -> int:
    """How many connections the model has."""
    return max(0, layers - 1) * neurons * neurons


def sample_edges(layers: int, neurons: int, density: float, seed: int = 0) -> np.ndarray:
    """int32 [E, 2] (pre, post) flat neuron indices, E = round(density * connections), sorted."""
    if not 0.0 <= density <= 1.0:
        raise NeuroBlendError(f"edge density must be a fraction of the connections (0..1), "
                              f"got {density}")
    total = connection_count(layers, neurons)
    count = int(round(density * total))
    if count == 0:
        return np.zeros((0, 2), dtype=np.int32)
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(total, size=count, replace=False))
    per_layer = neurons * neurons
    layer, rest = np.divmod(picked, per_layer)
    pre, post = np.divmod(rest, neurons)
    return np.stack([layer * neurons + pre, (layer + 1) * neurons + post],
                    axis=1).astype(np.int32)


def edges_record(layers: int, neurons: int, density: float, seed: int = 0) -> dict:
    """The ``edges`` entry of a network file: {density, seed, pairs}."""
    return {"density": float(density), "seed": int(seed),
            "pairs": sample_edges(layers, neurons, density, seed)}
