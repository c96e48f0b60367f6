"""Options of the network graph render job (``neuroblend render network``) and the graph's look:
the one home of their defaults (the graph animation flags of ``clip network`` share them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuroblend.argtypes import rgb_color
from neuroblend.files.limits import (
    MAX_CLIP_CELLS,
    MAX_CLIP_FRAMES,
    MAX_GRAPH_EDGES,
    MAX_GRAPH_NEURONS,
)
from neuroblend.option_ranges import BLENDER_MAX_FRAME, SEED_MAX, real, whole
from neuroblend.render_options import RenderOptions
from neuroblend.settings_table import setting
from neuroblend.spike.playback_settings import SpikeLook


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
    # white added to the activity colour (linear), so resting neurons read on black (the low end
    # of most colormaps is nearly black), and a Fresnel rim outlining each sphere
    rest_lift: float = SpikeLook.rest_lift  # the cells' own: graph and cells rest alike
    rim: float = 0.5


def rest_lifted_lut(lut_srgb: np.ndarray, rest_lift: float) -> np.ndarray:
    """An sRGB colormap LUT [n, 3|4] with ``rest_lift`` white added in linear light, as the
    render's neuron material does (so the clip's discs match the spheres)."""
    from neuroblend.colormaps.luts import linear_to_srgb, srgb_to_linear

    out = np.array(lut_srgb, dtype=np.float64)
    out[:, :3] = np.clip(linear_to_srgb(srgb_to_linear(out[:, :3]) + float(rest_lift)), 0.0, 1.0)
    return out


@dataclass(kw_only=True)
class NetworkRenderOptions(RenderOptions):
    """A network file rendered as a graph whose neurons fly into their layers."""

    input: Path
    # graph animation (see neuroblend.graph.options)
    # START-END frames of the move
    rearrange: tuple[int, int] | None = whole(None, -BLENDER_MAX_FRAME, BLENDER_MAX_FRAME,
                                              count=2, order="<")
    stagger: float = real(0.5, 0, 1, below_high=True)
    edges: float | None = real(None, 0, 1)  # fraction of the connections drawn
    depth: int = whole(1, 1, 1000)
    layout_seed: int = whole(0, 0, SEED_MAX)
    frames_per_step: float = real(1.0, 0, 1e4, above_low=True)
    start_frame: int = whole(1, -BLENDER_MAX_FRAME, BLENDER_MAX_FRAME)
    # size limits (neuroblend.graph.budget)
    max_neurons: int = whole(MAX_GRAPH_NEURONS, 1, 100_000_000)
    max_edges: int = whole(MAX_GRAPH_EDGES, 0, 100_000_000)
    max_cells: int = whole(MAX_CLIP_CELLS, 1, 2_000_000_000)
    max_frames: int = whole(MAX_CLIP_FRAMES, 1, 10_000_000)
    # look: settings rows (the flags of `render network`, the film's graph look keys)
    colormap: str = setting(GraphLook.colormap, "matplotlib colormap name")
    brightness: float = setting(real(GraphLook.brightness, 0, 1e4), "emission at rest")
    glow: float = setting(real(GraphLook.glow, 0, 1e4), "extra emission at full activity")
    edge_color: tuple[float, float, float] = setting(
        GraphLook.edge_color, "edge colour, linear RGB", argtype=rgb_color, metavar="R,G,B")
    edge_strength: float = setting(real(GraphLook.edge_strength, 0, 1e4),
                                   "edge emission strength")
    rest_lift: float = setting(real(GraphLook.rest_lift, 0, 1e4), "white added at rest so "
                               "resting neurons show on black (0: off)")
    rim: float = setting(real(GraphLook.rim, 0, 1e4), "Fresnel rim outlining each neuron "
                         "(0: off)")
    bloom: bool = setting(True, "compositor glow around bright neurons", look=False)

    def look(self) -> GraphLook:
        """The graph's look from these options."""
        return GraphLook(colormap=self.colormap, brightness=self.brightness, glow=self.glow,
                         edge_color=self.edge_color, edge_strength=self.edge_strength,
                         rest_lift=self.rest_lift, rim=self.rim)
