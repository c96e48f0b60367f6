"""The rearranging network graph drawn with matplotlib on black (screen-blend it over renders).

Neurons are discs coloured by smoothed activity (with a faint halo), lifted off black at rest as
the render's spheres are (:func:`~neuroblend.graph.render_options.rest_lifted_lut`), edges thin
lines between their neurons' current positions; everything comes from
:class:`neuroblend.graph.model.NetworkGraph`, so frame N shows what frame N of ``neuroblend render network`` shows. The view looks down +y
(the render's camera direction): world x to the right, world z up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuroblend.clips.figure import DPI, new_canvas
from neuroblend.clips.writer import FrameWriter
from neuroblend.colormaps.luts import get_lut
from neuroblend.graph.model import NetworkGraph
from neuroblend.graph.render_options import GraphLook, rest_lifted_lut

MARGIN = 1.1


@dataclass(frozen=True)
class GraphStyle:
    """How the graph clip looks."""

    cmap: str = "inferno"
    edge_color: tuple[float, float, float] = (0.35, 0.55, 1.0)
    edge_alpha: float = 0.3
    edge_width: float | None = None  # points; None: a fifth of the sphere diameter (>= 0.5)
    halo: bool = True
    rest_lift: float = GraphLook.rest_lift  # white added (linear) so resting neurons read


def view_limits(graph: NetworkGraph, size: tuple[int, int]) -> tuple[tuple, tuple]:
    """(x limits, z limits) framing the whole move with a margin, at the frame's aspect."""
    lo, hi = graph.bounds()
    centre = (lo + hi) / 2
    half_x, half_z = (hi[0] - lo[0]) / 2 * MARGIN, (hi[2] - lo[2]) / 2 * MARGIN
    aspect = size[0] / size[1]
    half_x, half_z = max(half_x, half_z * aspect), max(half_z, half_x / aspect)
    return ((centre[0] - half_x, centre[0] + half_x), (centre[2] - half_z, centre[2] + half_z))


class GraphAnimator:
    """Draws frames of a :class:`NetworkGraph` into one reusable Agg figure."""

    def __init__(self, graph: NetworkGraph, size=(1280, 720), style: GraphStyle | None = None):
        from matplotlib.collections import LineCollection
        from matplotlib.colors import ListedColormap

        self.graph, self.style = graph, style or GraphStyle()
        self.size = (int(size[0]), int(size[1]))
        self.fig, self.canvas = new_canvas(self.size)
        ax = self.ax = self.fig.add_axes([0, 0, 1, 1])
        ax.set_axis_off()
        ax.set_facecolor("black")
        xlim, zlim = view_limits(graph, self.size)
        ax.set_xlim(*xlim)
        ax.set_ylim(*zlim)
        px_per_unit = self.size[0] / (xlim[1] - xlim[0])
        diameter_pt = 2 * graph.radius * px_per_unit * 72 / DPI
        width = self.style.edge_width or max(0.5, diameter_pt / 5)
        self.edges = LineCollection([], colors=[(*self.style.edge_color, self.style.edge_alpha)],
                                    linewidths=width, animated=True)
        ax.add_collection(self.edges)
        lut = rest_lifted_lut(get_lut(self.style.cmap), self.style.rest_lift)
        cmap, (vmin, vmax) = ListedColormap(lut), graph.activity_range()
        start, colors = graph.shuffled[:, [0, 2]], np.zeros(len(graph.shuffled))
        self.halo = (ax.scatter(start[:, 0], start[:, 1], s=(2.2 * diameter_pt) ** 2, c=colors,
                                cmap=cmap,
                                vmin=vmin, vmax=vmax, alpha=0.18, linewidths=0, animated=True)
                     if self.style.halo else None)
        self.discs = ax.scatter(start[:, 0], start[:, 1], s=diameter_pt ** 2, c=colors, cmap=cmap,
                                vmin=vmin, vmax=vmax, linewidths=0, animated=True)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def project(self, points) -> np.ndarray:
        """Pixel (column, row from the top) of world ``points`` [n, 3] in this clip's frames."""
        xy = self.ax.transData.transform(np.asarray(points, dtype=float)[:, [0, 2]])
        return np.column_stack([xy[:, 0], self.size[1] - xy[:, 1]])

    def draw(self, frame) -> np.ndarray:
        """Draw ``frame``; returns a uint8 [height, width, 4] view of the pixels."""
        graph = self.graph
        xz = graph.positions_at(frame)[:, [0, 2]]
        activity = graph.activity_at(frame)
        self.canvas.restore_region(self.background)
        self.edges.set_segments(xz[graph.edges])
        self.ax.draw_artist(self.edges)
        for artist in (self.halo, self.discs):
            if artist is not None:
                artist.set_offsets(xz)
                artist.set_array(activity)
                self.ax.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())


def render_graph_clip(graph: NetworkGraph, out, *, frames: tuple[int, int] | None = None,
                      fps: float = 30.0, size=(1280, 720), style: GraphStyle | None = None,
                      progress: bool = True) -> Path:
    """Frames ``frames`` (default: the start frame to the end of activity and move) to ``out``."""
    first, last = frames or (graph.options.start_frame, graph.last_frame())
    animator = GraphAnimator(graph, size, style)
    with FrameWriter(out, animator.size, fps, total=last - first + 1, progress=progress,
                     first_frame=first) as writer:
        for frame in range(first, last + 1):
            writer.write(animator.draw(frame))
    return Path(out)
