"""The branching network's smoothed activity as a clip: a colormapped grid, layers left to right
(the model and its smoothing: :mod:`neuroblend.graph.branching`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.clips.figure import (
    TEXT_COLOR,
    ClipText,
    fit_axes,
    frame_pixels,
    new_canvas,
    style_axes,
)
from neuroblend.clips.writer import FrameWriter
from neuroblend.colormaps.luts import get_lut


class NetworkAnimator:
    """Colormapped grid of smoothed activity (layers left to right, neurons top to bottom)."""

    def __init__(self, smoothed: np.ndarray, size=(1280, 720), cmap: str = "inferno",
                 vmax: float | None = None, labels: bool = True, text: ClipText | None = None,
                 clock: bool = True):
        from matplotlib.colors import ListedColormap

        self.smoothed = smoothed
        self.size = (int(size[0]), int(size[1]))
        steps, layers, neurons = smoothed.shape
        if vmax is None:
            vmax = float(np.percentile(smoothed, 99.9)) or float(smoothed.max()) or 1.0
        text = text or ClipText()
        self.fig, self.canvas = new_canvas(self.size)
        ax = self.ax = self.fig.add_axes([0, 0, 1, 1])
        style_axes(ax, self.size, show=labels, xlabel="layer", ylabel="neuron", text=text)
        self.image = ax.imshow(smoothed[0].T, cmap=ListedColormap(get_lut(cmap)), vmin=0.0,
                               vmax=vmax, aspect="auto", interpolation="nearest",
                               extent=(0.5, layers + 0.5, neurons + 0.5, 0.5), animated=True)
        self.clock = (self.fig.text(0.98, 0.98, "", color=TEXT_COLOR, ha="right", va="top",
                                    fontproperties=text.props(self.size), animated=True)
                      if labels and clock else None)
        if labels:
            ax.set_xticks(range(1, layers + 1, max(1, layers // 5)))
            top = 0.0
            if self.clock is not None:
                self.clock.set_text(f"step {steps}")
                top = self.clock.get_window_extent(self.canvas.get_renderer()).height * 1.2
            fit_axes(self.fig, self.canvas, ax, top=top)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def draw(self, step: int) -> np.ndarray:
        """Draw time step ``step``; returns a uint8 [height, width, 4] view of the pixels."""
        self.canvas.restore_region(self.background)
        self.image.set_data(self.smoothed[step].T)
        self.ax.draw_artist(self.image)
        if self.clock is not None:
            self.clock.set_text(f"step {step}")
            self.fig.draw_artist(self.clock)
        return frame_pixels(self.canvas)


def render_network_clip(smoothed: np.ndarray, out, *, fps: float = 30.0, size=(1280, 720),
                        cmap: str = "inferno", labels: bool = True,
                        progress: bool = True, text: ClipText | None = None) -> Path:
    """One frame per smoothed time step to ``out`` (MP4 or PNG folder); returns ``out``."""
    animator = NetworkAnimator(smoothed, size, cmap, labels=labels, text=text)
    with FrameWriter(out, animator.size, fps, total=len(smoothed), progress=progress) as writer:
        for step in range(len(smoothed)):
            writer.write(animator.draw(step))
    return Path(out)
