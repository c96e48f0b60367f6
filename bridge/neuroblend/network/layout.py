"""Where the cells of a built-in network sit and how they are wired (pure numpy, seeded).

Cells stand in a horizontal slab like a cortical column seen from the side: somata on a jittered
grid in x/z, a little depth jitter in y, every cell's apical axis (+y) up and a random turn about
it. Each cell excites ``fan_out`` others, preferring near neighbours, with a synapse on a random
dendritic site and a delay that grows with distance. Every MPI rank computes the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroblend.errors import NeuroBlendError


@dataclass(frozen=True)
class NetworkPlan:
    """Placement and wiring of ``n`` cells (positions in um, delays in ms, weights in uS)."""

    placements: np.ndarray  # float64 [n, 4, 4]
    pre: np.ndarray  # int32 [K]
    post: np.ndarray  # int32 [K]
    post_section: np.ndarray  # int32 [K]
    post_x: np.ndarray  # float32 [K] (NEURON's x on the section)
    delay: np.ndarray  # float64 [K]
    weight: np.ndarray  # float64 [K]
    seeds: np.ndarray  # int32 [n_seeds]: the cells stimulated to start the activity


def slab_placements(n: int, rng: np.random.Generator, spacing: float = 250.0,
                    depth: float = 60.0) -> np.ndarray:
    """``n`` affine matrices: a jittered square grid in x/z, y jitter, random turn about +y."""
    side = int(np.ceil(np.sqrt(n)))
    ix, iz = np.arange(n) % side, np.arange(n) // side
    pos = np.column_stack([(ix - (side - 1) / 2) * spacing, np.zeros(n),
                           (iz - (side - 1) / 2) * spacing])
    pos += rng.uniform(-0.3, 0.3, (n, 3)) * np.array([spacing, 0.0, spacing])
    pos[:, 1] += rng.uniform(-depth / 2, depth / 2, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    out = np.zeros((n, 4, 4))
    c, s = np.cos(angle), np.sin(angle)
    out[:, 0, 0], out[:, 0, 2], out[:, 2, 0], out[:, 2, 2] = c, s, -s, c
    out[:, 1, 1] = out[:, 3, 3] = 1.0
    out[:, :3, 3] = pos
    return out


def plan_network(n: int, section_lengths: np.ndarray, dendritic: np.ndarray, *, seed: int = 1,
                 fan_out: int = 3, n_seeds: int = 2, weight: float = 0.04,
                 velocity: float = 300.0, min_delay: float = 1.0) -> NetworkPlan:
    """Place ``n`` copies of a cell and wire them (see the module docstring).

    ``section_lengths`` [S] and ``dendritic`` bool [S] describe the template cell: synapses land
    on dendritic sections with probability proportional to their length.
    """
    if n < 1:
        raise NeuroBlendError(f"--cells {n}: need at least one cell")
    rng = np.random.default_rng(seed)
    placements = slab_placements(n, rng)
    lengths = np.where(dendritic, section_lengths, 0.0)
    if lengths.sum() <= 0:
        lengths = np.asarray(section_lengths, dtype=np.float64)
    fan = min(fan_out, n - 1)
    pos = placements[:, :3, 3]
    pre, post = [], []
    for i in range(n):
        if fan == 0:
            break
        dist = np.linalg.norm(pos - pos[i], axis=1)
        p = np.exp(-dist / (2.0 * np.median(dist[dist > 0]) if n > 1 else 1.0))
        p[i] = 0.0
        targets = rng.choice(n, size=fan, replace=False, p=p / p.sum())
        pre += [i] * fan
        post += [int(t) for t in targets]
    pre_a, post_a = np.array(pre, np.int32), np.array(post, np.int32)
    sections = rng.choice(len(lengths), size=len(pre_a), p=lengths / lengths.sum())
    dist = np.linalg.norm(pos[post_a] - pos[pre_a], axis=1) if len(pre_a) else np.zeros(0)
    return NetworkPlan(
        placements=placements, pre=pre_a, post=post_a,
        post_section=sections.astype(np.int32),
        post_x=rng.uniform(0.2, 0.9, len(pre_a)).astype(np.float32),
        delay=np.round(min_delay + dist / velocity, 3), weight=np.full(len(pre_a), weight),
        seeds=np.arange(min(n_seeds, n), dtype=np.int32))
