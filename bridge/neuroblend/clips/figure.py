"""One reusable Agg figure per clip: black background, fixed pixel size, text scaled to it."""

from __future__ import annotations

import numpy as np

TEXT_COLOR = "#d0d0d0"
AXIS_COLOR = "#808080"
DPI = 100


def new_canvas(size: tuple[int, int]):
    """A black ``Figure`` of exactly ``size`` = (width, height) pixels and its Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="black")
    canvas = FigureCanvasAgg(fig)
    return fig, canvas


def font_size(size: tuple[int, int]) -> float:
    """Label font size in points for a frame of ``size`` (14 pt at 720 px high)."""
    return max(6.0, 14.0 * size[1] / 720)


def style_axes(ax, size: tuple[int, int], *, show: bool, xlabel: str = "", ylabel: str = "") -> None:
    """Dark, thin, grey axes with labels (``show``), or no axes at all."""
    ax.set_facecolor("black")
    if not show:
        ax.set_axis_off()
        return
    fs = font_size(size)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS_COLOR)
        ax.spines[side].set_linewidth(max(0.5, fs / 12))
    ax.tick_params(colors=AXIS_COLOR, labelcolor=TEXT_COLOR, labelsize=fs * 0.85)
    ax.set_xlabel(xlabel, color=TEXT_COLOR, fontsize=fs)
    ax.set_ylabel(ylabel, color=TEXT_COLOR, fontsize=fs)


def frame_pixels(canvas) -> np.ndarray:
    """The canvas's current pixels as a uint8 [height, width, 4] view (no copy)."""
    return np.asarray(canvas.buffer_rgba())
