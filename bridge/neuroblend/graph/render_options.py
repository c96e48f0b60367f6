"""Options of the network graph render job (``neuroblend render network``) and the graph's look:
the one home of their defaults (the graph animation flags of ``clip network`` share them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.files.limits import (
    MAX_CLIP_CELLS,
    MAX_CLIP_FRAMES,
    MAX_GRAPH_EDGES,
    MAX_GRAPH_NEURONS,
)
from neuroblend.render_options import RenderOptions


@dataclass(frozen=True)
class GraphLook:
    """Colours and glow of the graph (editable later on the root Empty / edge material)."""

    colormap: str = "inferno"
    brightness: float = 1.0
    glow: float = 4.0
    edge_darkening: float = 0.3
    edge_color: tuple[float, float, float] = (0.35, 0.55, 1.0)
    edge_strength: float = 0.35
    edge_radius: float | None = None  # None: a tenth of the neuron radius


@dataclass(kw_only=True)
class NetworkRenderOptions(RenderOptions):
    """A network file rendered as a graph whose neurons fly into their layers."""

    input: Path
    # graph animation (see neuroblend.graph.options)
    rearrange: tuple[int, int] | None = None  # START-END frames of the move
    stagger: float = 0.5
    edges: float | None = None  # fraction of the connections drawn
    depth: int = 1
    layout_seed: int = 0
    frames_per_step: float = 1.0
    start_frame: int = 1
    # size limits (neuroblend.graph.budget)
    max_neurons: int = MAX_GRAPH_NEURONS
    max_edges: int = MAX_GRAPH_EDGES
    max_cells: int = MAX_CLIP_CELLS
    max_frames: int = MAX_CLIP_FRAMES
    # look
    colormap: str = GraphLook.colormap
    brightness: float = GraphLook.brightness
    glow: float = GraphLook.glow
    edge_color: tuple[float, float, float] = GraphLook.edge_color
    edge_strength: float = GraphLook.edge_strength
    bloom: bool = True

    def look(self) -> GraphLook:
        """The graph's look from these options."""
        return GraphLook(colormap=self.colormap, brightness=self.brightness, glow=self.glow,
                         edge_color=self.edge_color, edge_strength=self.edge_strength)
