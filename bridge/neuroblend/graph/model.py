"""The animated graph of a network file: what every frame shows, for Blender and matplotlib.

:meth:`NetworkGraph.positions_at` and :meth:`NetworkGraph.activity_at` are the single source of
truth; the Blender scene bakes the same layouts, delays, edges and activity (read back there by
geometry and shader nodes), so the render and the clip are frame-synced by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.graph.budget import (
    GraphLimits,
    check_graph_frames,
    check_graph_size,
    smoothed_steps,
)
from neuroblend.graph.edges import connection_count, sample_edges
from neuroblend.graph.layout import (
    DEFAULT_SIZE,
    layered_layout,
    neuron_spacing,
    shuffled_layout,
    shuffled_spacing,
)
from neuroblend.graph.motion import (
    MAX_SEED,
    Rearrange,
    morph_factor,
    neuron_progress,
    stagger_delays,
)

DEFAULT_DENSITY = 0.02


@dataclass(frozen=True)
class GraphOptions:
    """Layout, timing and edges of the graph animation (the same for render and clip)."""

    rearrange: Rearrange
    size: tuple[float, float] = DEFAULT_SIZE
    depth: int = 1
    seed: int = 0  # shuffled layout and stagger
    density: float | None = None  # None: the file's edges, else DEFAULT_DENSITY
    frames_per_step: float = 1.0
    start_frame: int = 1  # frame that shows step 0
    limits: GraphLimits = GraphLimits()


@dataclass(frozen=True)
class NetworkGraph:
    """Everything needed to draw any frame (arrays are per neuron, in flat order)."""

    layers: int
    neurons: int
    layered: np.ndarray  # float32 [n, 3]
    shuffled: np.ndarray  # float32 [n, 3]
    delays: np.ndarray  # float32 [n]
    edges: np.ndarray  # int32 [E, 2]
    activity: np.ndarray  # float32 [samples, n] smoothed activity per step
    radius: float  # sphere radius
    options: GraphOptions

    def factor(self, frame) -> float:
        """The one animated morph factor at ``frame``."""
        return float(morph_factor(frame, self.options.rearrange))

    def progress(self, frame) -> np.ndarray:
        """Each neuron's eased progress at ``frame`` (0 shuffled, 1 layered)."""
        return neuron_progress(self.factor(frame), self.delays, self.options.rearrange)

    def positions_at(self, frame) -> np.ndarray:
        """float64 [n, 3] neuron positions at ``frame``."""
        t = self.progress(frame)[:, None]
        shuffled = self.shuffled.astype(np.float64)
        return shuffled + (self.layered.astype(np.float64) - shuffled) * t

    def step_at(self, frame) -> float:
        """The (fractional) time step shown at ``frame``, held inside the data."""
        opts = self.options
        step = (float(frame) - opts.start_frame) / opts.frames_per_step
        return min(max(step, 0.0), len(self.activity) - 1.0)

    def activity_at(self, frame) -> np.ndarray:
        """float64 [n] smoothed activity at ``frame`` (linear between steps)."""
        step = self.step_at(frame)
        low = min(int(np.floor(step)), max(len(self.activity) - 2, 0))
        high = min(low + 1, len(self.activity) - 1)
        frac = step - low
        return (self.activity[low] * (1.0 - frac) + self.activity[high] * frac).astype(np.float64)

    def activity_range(self) -> tuple[float, float]:
        """Colour range: 0 to the 99.9th percentile of the activity (as the grid clip)."""
        top = float(np.percentile(self.activity, 99.9)) or float(self.activity.max()) or 1.0
        return 0.0, top

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Corners of the box holding both layouts (spheres included): the whole move."""
        both = np.concatenate([self.layered, self.shuffled]).astype(np.float64)
        return both.min(axis=0) - self.radius, both.max(axis=0) + self.radius

    def last_frame(self) -> int:
        """The frame after which the activity and the move are over."""
        opts = self.options
        end_of_data = opts.start_frame + (len(self.activity) - 1) * opts.frames_per_step
        return int(np.ceil(max(end_of_data, opts.rearrange.end)))


def graph_edge_count(doc: Mapping, density: float | None) -> int:
    """How many edges :func:`graph_edges` gives (counted, nothing sampled)."""
    model = doc["model"]
    if density is None and doc.get("edges") is not None:
        return int(len(doc["edges"]["pairs"]))
    density = DEFAULT_DENSITY if density is None else density
    return int(round(density * connection_count(int(model["layers"]), int(model["neurons"]))))


def graph_edges(doc: Mapping, density: float | None) -> np.ndarray:
    """The file's edges, unless ``density`` asks for a fresh sample (seeded by the model's seed)."""
    model = doc["model"]
    stored = doc.get("edges")
    if density is None and stored is not None:
        return np.asarray(stored["pairs"], dtype=np.int32)
    density = DEFAULT_DENSITY if density is None else density
    return sample_edges(int(model["layers"]), int(model["neurons"]), density,
                        int(model["seed"]))


def build_graph(doc: Mapping, options: GraphOptions) -> NetworkGraph:
    """The animated graph of a network document (its size checked against ``options.limits``
    before anything is allocated)."""
    from neuroblend.graph.branching import smooth_activity

    options.rearrange.check()
    if not 0 < options.frames_per_step < float("inf"):
        raise NeuroBlendError(f"frames per step must be positive, got {options.frames_per_step}")
    if not 0 <= options.seed <= MAX_SEED:
        raise NeuroBlendError(f"layout seed must be 0..{MAX_SEED}, got {options.seed}")
    check_graph_size(doc, options.limits, graph_edge_count(doc, options.density))
    last_step = options.start_frame + (smoothed_steps(doc) - 1) * options.frames_per_step
    check_graph_frames(min(options.start_frame, options.rearrange.start),
                       max(last_step, options.rearrange.end), options.limits)
    layers, neurons = int(doc["model"]["layers"]), int(doc["model"]["neurons"])
    count = layers * neurons
    layered = layered_layout(layers, neurons, options.size, options.depth)
    depth_extent = float(np.ptp(layered[:, 1]))
    shuffled = shuffled_layout(count, options.size, depth_extent, options.seed)
    radius = 0.35 * min(neuron_spacing(layers, neurons, options.size, options.depth),
                        shuffled_spacing(count, options.size))
    smoothed = smooth_activity(doc["active"], doc["kernel"]["values"]).reshape(-1, count)
    return NetworkGraph(layers, neurons, layered, shuffled,
                        stagger_delays(count, options.rearrange),
                        graph_edges(doc, options.density), smoothed, radius, options)
