"""One reusable Agg figure per clip: black background, fixed pixel size, text sized for the
frame the clip is seen in (:class:`ClipText`), in the bundled face or a chosen font file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuroblend.typography.font_file import DEFAULT_FONT, font_path
from neuroblend.typography.sizes import CLIP_EM

TEXT_COLOR = "#d0d0d0"
AXIS_COLOR = "#808080"
DPI = 100
LINE_WIDTH = 0.005  # a trace's width, as a fraction of the frame height
SPINE_WIDTH = 0.0015


@dataclass(frozen=True)
class ClipText:
    """A clip's type: its font file and the height (pixels) of the frame it is seen in: the
    video's in a film (a clip drawn at a fraction of the video's size keeps the video's text
    size), else the clip's own (``None``)."""

    font: Path = DEFAULT_FONT
    frame_height: int | None = None

    @classmethod
    def of(cls, font=None, frame_height: int | None = None) -> ClipText:
        """The type for a ``font`` file (checked; None: the bundled face)."""
        return cls(font_path(font), frame_height)

    def pixels(self, size: tuple[int, int], fraction: float) -> float:
        """``fraction`` of the viewing frame's height, in pixels of a clip of ``size``."""
        return fraction * (self.frame_height or size[1])

    def points(self, size: tuple[int, int], role: str = "label") -> float:
        """Font size in points of a ``role`` text (``typography.sizes.CLIP_EM``)."""
        return self.pixels(size, CLIP_EM[role]) * 72 / DPI

    def props(self, size: tuple[int, int], role: str = "label"):
        """matplotlib FontProperties of a ``role`` text in this font."""
        from matplotlib.font_manager import FontProperties

        return FontProperties(fname=self.font, size=self.points(size, role))

    def family(self) -> str:
        """The font's family name, registered with matplotlib (for tick labels)."""
        from matplotlib.font_manager import FontProperties, fontManager

        fontManager.addfont(str(self.font))
        return FontProperties(fname=self.font).get_name()

    def line_width(self, size: tuple[int, int], fraction: float = LINE_WIDTH) -> float:
        """A line width in points: ``fraction`` of the viewing frame's height."""
        return max(0.5, self.pixels(size, fraction) * 72 / DPI)


def new_canvas(size: tuple[int, int]):
    """A black ``Figure`` of exactly ``size`` = (width, height) pixels and its Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="black")
    canvas = FigureCanvasAgg(fig)
    return fig, canvas


def style_axes(ax, size: tuple[int, int], *, show: bool, xlabel: str = "", ylabel: str = "",
               text: ClipText | None = None) -> None:
    """Dark, thin, grey axes with labels (``show``), or no axes at all."""
    ax.set_facecolor("black")
    if not show:
        ax.set_axis_off()
        return
    text = text or ClipText()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS_COLOR)
        ax.spines[side].set_linewidth(text.line_width(size, SPINE_WIDTH))
    ax.tick_params(colors=AXIS_COLOR, labelcolor=TEXT_COLOR, labelsize=text.points(size, "tick"),
                   labelfontfamily=text.family(), width=text.line_width(size, SPINE_WIDTH),
                   length=text.pixels(size, 0.008) * 72 / DPI)
    ax.locator_params(nbins=4)
    ax.set_xlabel(xlabel, color=TEXT_COLOR, fontproperties=text.props(size))
    ax.set_ylabel(ylabel, color=TEXT_COLOR, fontproperties=text.props(size))


def fit_axes(fig, canvas, ax, *, right: float = 0.0, top: float = 0.0) -> None:
    """Place ``ax`` so its tick and axis labels just fit the figure, keeping ``right`` and
    ``top`` pixels free (for line-head labels and a clock); measured with the renderer."""
    width, height = fig.bbox.width, fig.bbox.height
    pad = 0.02 * height
    canvas.draw()
    renderer = canvas.get_renderer()
    tight, box = ax.get_tightbbox(renderer), ax.get_window_extent(renderer)
    left = (box.x0 - tight.x0) + pad
    bottom = (box.y0 - tight.y0) + pad
    x1 = width - max(right, tight.x1 - box.x1) - pad
    y1 = height - max(top, tight.y1 - box.y1) - pad
    ax.set_position([left / width, bottom / height, max(x1 - left, 1.0) / width,
                     max(y1 - bottom, 1.0) / height])


def frame_pixels(canvas) -> np.ndarray:
    """The canvas's current pixels as a uint8 [height, width, 4] view (no copy)."""
    return np.asarray(canvas.buffer_rgba())
