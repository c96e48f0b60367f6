"""Voltage traces that draw themselves: one gradient LineCollection per compartment.

Each line is split into one segment per sample interval, coloured by its value through the shared
colormap; per-segment alpha reveals the segments up to the current time and a one-segment "head"
ends the line exactly at that time (interpolated between samples). The optional fill under the
line is revealed the same way, one quad per sample interval. The time of a frame comes from
:mod:`neuroblend.clock`, the same mapping the spike render uses, so frame N of both shows the
same instant. Static parts (axes, labels) are drawn once and restored each frame (blitting).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from neuroblend.clips.compartments import Compartment
from neuroblend.clips.figure import (
    TEXT_COLOR,
    ClipText,
    fit_axes,
    frame_pixels,
    new_canvas,
    style_axes,
)
from neuroblend.clips.writer import FrameWriter
from neuroblend.clock import (
    check_frames_per_ms,
    default_frames_per_ms,
    frame_range,
    frame_to_time,
)
from neuroblend.colormaps.luts import get_lut
from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_CLIP_FRAMES, check_limit

FILL_ALPHA = 0.35
NAMES = ("readable", "neuron")
LABEL_GAP = 1.15  # line-head labels sit at least this many text heights apart
TAG_ROOM = 0.5  # room right of the axes for line-head labels, in the widest label's widths


@dataclass
class TraceStyle:
    """How a trace clip looks."""

    cmap: str = "viridis"
    value_range: tuple[float, float] | None = None  # colour/axis range; default: the data's
    fill: bool = False
    axes: bool = True
    labels: bool = True  # compartment names beside the line heads, and the clock
    linewidth: float | None = None  # points; default scales with the frame height
    names: str = "readable"  # "readable" ("dendrite 1, 50%") or "neuron" (dend[1](0.5))
    clock: bool = True  # with labels: the time at the top right (off beside a shot's clock)
    text: ClipText = field(default_factory=ClipText)


@dataclass
class Timing:
    """Time -> frame mapping (see neuroblend.clock) and the frames to draw."""

    frames_per_ms: float | None = None  # default: one frame per recorded sample
    start_frame: int = 1
    frames: tuple[int, int] | None = None  # default: start_frame .. the end of the window
    window: tuple[float, float] | None = None  # ms; start_frame shows window[0] (default time[0])


class TraceAnimator:
    """Draws frames of a trace clip into one reused figure; :meth:`draw` returns the pixels."""

    def __init__(self, doc: dict, compartments: list[Compartment], size=(1280, 720),
                 timing: Timing | None = None, style: TraceStyle | None = None):
        self.size = (int(size[0]), int(size[1]))
        timing = timing or Timing()
        self.style = style = style or TraceStyle()
        self.time = np.asarray(doc["time"], dtype=np.float64)
        if self.time.size < 2:
            raise NeuroBlendError("the simulation has fewer than 2 time samples; nothing to draw")
        self.timing = timing
        self.frames_per_ms = check_frames_per_ms(
            timing.frames_per_ms or default_frames_per_ms(self.time))
        self.window = timing.window or (float(self.time[0]), float(self.time[-1]))
        if not self.window[1] > self.window[0]:
            raise NeuroBlendError(f"time window {self.window[0]:g} {self.window[1]:g}: the end "
                                  "must be after the start")
        if self.window[1] < self.time[0] or self.window[0] > self.time[-1]:
            raise NeuroBlendError(
                f"time window {self.window[0]:g} {self.window[1]:g} ms lies outside the "
                f"recording ({self.time[0]:g} to {self.time[-1]:g} ms)")
        values = np.asarray(doc["values"])[[c.row for c in compartments]].astype(np.float64)
        vmin, vmax = style.value_range or _data_range(values)
        if not vmax > vmin:
            raise NeuroBlendError(f"value range {vmin}..{vmax}: the maximum must exceed the minimum")
        self.values, self.vmin, self.vmax = values, vmin, vmax
        self.compartments = compartments
        self._build_figure(doc)

    # ---------------------------------------------------------------- set-up
    def _build_figure(self, doc: dict) -> None:
        from matplotlib.collections import LineCollection, PolyCollection

        style, size = self.style, self.size
        self.fig, self.canvas = new_canvas(size)
        ax = self.ax = self.fig.add_axes([0.02, 0.04, 0.96, 0.92])
        unit = doc.get("units", {}).get("values", "")
        variable = doc.get("variable", "v")
        style_axes(ax, size, show=style.axes, xlabel=f"time ({doc['units'].get('time', 'ms')})",
                   ylabel=f"{variable} ({unit})" if unit else variable, text=style.text)
        pad = 0.04 * (self.vmax - self.vmin)
        ax.set_xlim(*self.window)
        ax.set_ylim(self.vmin - pad, self.vmax + pad)
        self.baseline = self.vmin - pad
        lut = get_lut(style.cmap)
        lw = style.linewidth or style.text.line_width(size)
        self.lines, self.heads, self.fills = [], [], []
        self.tags: list = []
        self.colors = []
        for values in self.values:
            points = np.column_stack([self.time, values])
            segments = np.stack([points[:-1], points[1:]], axis=1)
            colors = lut[self._lut_index(0.5 * (values[:-1] + values[1:]))].copy()
            colors[:, 3] = 0.0
            line = LineCollection(segments, colors=colors, linewidths=lw, capstyle="butt",
                                  animated=True)
            head = LineCollection([segments[0]], colors=colors[:1], linewidths=lw,
                                  capstyle="butt", animated=True)
            ax.add_collection(line)
            ax.add_collection(head)
            self.lines.append(line)
            self.heads.append(head)
            self.colors.append(colors)
            if style.fill:
                # opaque, pre-darkened colours: on black this looks like alpha FILL_ALPHA, and
                # neighbouring quads overlap without seams
                shade = colors.copy()
                shade[:, :3] *= FILL_ALPHA
                quads = np.concatenate([segments, segments[:, ::-1]], axis=1)
                quads[:, 2:, 1] = self.baseline
                fill = PolyCollection(quads, facecolors=shade, edgecolors="none",
                                      antialiaseds=False, animated=True, zorder=1)
                fill_head = PolyCollection(quads[:1], facecolors=shade[:1], edgecolors="none",
                                           antialiaseds=False, animated=True, zorder=1)
                ax.add_collection(fill)
                ax.add_collection(fill_head)
                self.fills.append((fill, fill_head, shade))
        self._add_text()
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def _add_text(self) -> None:
        """Line-head labels (placed each frame by :meth:`_place_tags`) and the clock, with room
        kept for them right of and above the axes."""
        style, size, fig = self.style, self.size, self.fig
        props = style.text.props(size)
        self.clock = fig.text(0.98, 0.98, "", color=TEXT_COLOR, fontproperties=props,
                              ha="right", va="top", animated=True) \
            if style.clock and style.labels else None
        if style.labels:
            self.tags = [fig.text(0, 0, c.readable if style.names == "readable" else c.label,
                                  color=TEXT_COLOR, fontproperties=props, va="center",
                                  transform=_identity(), animated=True)
                         for c in self.compartments]
        renderer = self.canvas.get_renderer()
        self.tag_width = max((t.get_window_extent(renderer).width for t in self.tags),
                             default=0.0)
        right = self.tag_width * TAG_ROOM
        self.gap = style.text.pixels(size, 0.01)
        top = 0.0
        if self.clock is not None:
            self.clock.set_text("-000.0 ms")
            top = self.clock.get_window_extent(renderer).height * 1.2
        if self.style.axes:
            fit_axes(fig, self.canvas, self.ax, right=right + self.gap * 2 if right else 0.0,
                     top=top)
        self.text_height = max((t.get_window_extent(renderer).height for t in self.tags),
                               default=0.0)

    def _lut_index(self, values: np.ndarray) -> np.ndarray:
        scaled = (values - self.vmin) / (self.vmax - self.vmin) * 256
        return np.clip(np.nan_to_num(scaled), 0, 255).astype(np.intp)

    # ---------------------------------------------------------------- frames
    def frames(self) -> range:
        """``Timing.frames``, else the start frame to the end of the window (as the spike render)."""
        t = self.timing
        if t.frames is not None:
            return range(t.frames[0], t.frames[1] + 1)
        first, last = frame_range(*self.window, self.frames_per_ms, t.start_frame)
        return range(first, last + 1)

    def time_of(self, frame: int) -> float:
        """Simulation time (ms) shown at ``frame``."""
        t = self.timing
        return float(frame_to_time(frame, self.frames_per_ms, t.start_frame, self.window[0]))

    def draw(self, frame: int) -> np.ndarray:
        """Draw ``frame``; returns a uint8 [height, width, 4] view of the figure's pixels."""
        return self.draw_at(self.time_of(frame))

    def draw_at(self, now: float) -> np.ndarray:
        """Draw the traces up to simulation time ``now`` (ms); returns the pixels as :meth:`draw`."""
        k = int(np.searchsorted(self.time, now, side="right")) - 1  # last sample <= now
        self.canvas.restore_region(self.background)
        ax = self.ax
        heads = [self._head(values, now, k) for values in self.values]
        for (fill, fill_head, shade), head in zip(self.fills, heads, strict=False):
            self._reveal(fill, shade, k, face=True)
            ax.draw_artist(fill)
            if head is not None:
                quad = np.concatenate([head, head[::-1]])
                quad[2:, 1] = self.baseline
                fill_head.set_verts([quad])
                fill_head.set_facecolor(_with_alpha(shade[k], 1.0).tolist())
                ax.draw_artist(fill_head)
        for i in range(len(self.values)):
            self._reveal(self.lines[i], self.colors[i], k)
            ax.draw_artist(self.lines[i])
            if heads[i] is not None:
                self.heads[i].set_segments([heads[i]])
                self.heads[i].set_color(_with_alpha(self.colors[i][k], 1.0).tolist())
                ax.draw_artist(self.heads[i])
        if self.tags and k >= 0:
            self._place_tags(min(now, self.time[-1]))
            for tag in self.tags:
                self.fig.draw_artist(tag)
        if self.clock is not None:
            self.clock.set_text(f"{min(max(now, self.time[0]), self.time[-1]):.1f} ms")
            self.fig.draw_artist(self.clock)
        return frame_pixels(self.canvas)

    def _place_tags(self, now: float) -> None:
        """Each label beside its line's head, moved apart vertically (in pixels) so no two
        overlap, inside the figure."""
        to_pixels = self.ax.transData.transform
        heads = to_pixels(np.column_stack([np.full(len(self.values), now),
                                           [np.interp(now, self.time, v) for v in self.values]]))
        step = self.text_height * LABEL_GAP
        half = self.text_height * 0.6
        y = spread(heads[:, 1], step, half, self.fig.bbox.height - half)
        x = min(heads[0, 0] + self.gap, self.fig.bbox.width - self.tag_width - self.gap)
        for tag, ty in zip(self.tags, y, strict=True):
            tag.set_position((x, ty))

    def _head(self, values: np.ndarray, now: float, k: int):
        """The partial segment from the last sample before ``now`` to the line at ``now``."""
        if k < 0 or k >= len(self.time) - 1 or now <= self.time[k]:
            return None
        v_now = np.interp(now, self.time[k:k + 2], values[k:k + 2])
        return np.array([[self.time[k], values[k]], [now, v_now]])

    @staticmethod
    def _reveal(collection, colors: np.ndarray, k: int, face: bool = False) -> None:
        """Segments (or fill quads) before ``k`` opaque, the rest invisible."""
        colors[:, 3] = 0.0
        colors[:max(k, 0), 3] = 1.0
        (collection.set_facecolor if face else collection.set_edgecolor)(colors)


def spread(wanted: np.ndarray, step: float, low: float, high: float) -> np.ndarray:
    """Positions as near ``wanted`` as they can be with every two at least ``step`` apart,
    inside [low, high] when they fit (order kept)."""
    order = np.argsort(wanted, kind="stable")
    y = np.clip(np.asarray(wanted, dtype=float)[order], low, high)
    for k in range(1, len(y)):  # push up...
        y[k] = max(y[k], y[k - 1] + step)
    if len(y) and y[-1] > high:  # ...then down from the top, into the figure
        y[-1] = high
        for k in range(len(y) - 2, -1, -1):
            y[k] = min(y[k], y[k + 1] - step)
    out = np.empty_like(y)
    out[order] = y
    return out


def _identity():
    from matplotlib.transforms import IdentityTransform

    return IdentityTransform()


def _data_range(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        raise NeuroBlendError("the chosen compartments hold no finite values")
    lo, hi = float(finite.min()), float(finite.max())
    return (lo, hi) if hi > lo else (lo - 1.0, hi + 1.0)


def _with_alpha(rgba: np.ndarray, alpha: float) -> np.ndarray:
    out = np.array(rgba, dtype=float)
    out[3] = alpha
    return out


def render_trace_clip(doc: dict, compartments: list[Compartment], out, *, fps: float = 30.0,
                      size=(1280, 720), timing: Timing | None = None,
                      style: TraceStyle | None = None, progress: bool = True,
                      max_frames: int = MAX_CLIP_FRAMES) -> Path:
    """Render a trace clip of ``compartments`` to ``out`` (MP4 or PNG folder); returns ``out``."""
    animator = TraceAnimator(doc, compartments, size, timing, style)
    frames = animator.frames()
    if len(frames) == 0:
        raise NeuroBlendError("the frame range is empty")
    check_limit("the number of frames", len(frames), max_frames, "--max-frames")
    with FrameWriter(out, animator.size, fps, first_frame=frames[0], total=len(frames),
                     progress=progress) as writer:
        for frame in frames:
            writer.write(animator.draw(frame))
    return Path(out)
