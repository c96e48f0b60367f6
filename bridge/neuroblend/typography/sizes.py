"""Text sizes as fractions of the frame height, so 540p, 1080p and 4K look the same.

Sizes are fractions of the height of the frame the text is seen in. Camera overlays (the time
label, the colorbar's labels) are sized by their x-height, ``OVERLAY_X_HEIGHT``, read by the
overlay layout (``neuroblend.blender.spike.overlays.place_overlays`` through
``neuroblend.blender.core.fonts.overlay_scale``), so any face meets ``MIN_X_HEIGHT``; titles
(``TITLE_STYLES``) and clips (``CLIP_EM``) give the font size (the em); :func:`x_height` gives
their x-height in a face (the bundled DejaVu Sans: 0.547 em).
"""

from __future__ import annotations

from dataclasses import dataclass

from neuroblend.typography.font_file import DEFAULT_FONT, read_metrics

MIN_X_HEIGHT = 0.012  # overlay text: x-height / frame height, at every resolution
MIN_CLIP_TEXT = 0.025  # clip text: rendered text height / frame height

# camera overlays of a render (x-height): the time label and the colorbar's range labels
OVERLAY_X_HEIGHT = {"clock": 0.0165, "label": 0.0142}
# matplotlib clips: tick labels and axis labels / legend entries
CLIP_EM = {"tick": 0.028, "label": 0.03}


@dataclass(frozen=True)
class TitleStyle:
    """A title's look: its size (em / frame height) and where it sits by default."""

    em: float
    anchor: str  # one of film.schema.ANCHORS
    position: tuple[float, float]  # frame fractions from the lower left
    box: bool = False  # a dark box behind the text


TITLE_STYLES = {
    "title": TitleStyle(0.075, "center", (0.5, 0.55)),
    "subtitle": TitleStyle(0.05, "center", (0.5, 0.42)),
    "lower_third": TitleStyle(0.045, "bottom-left", (0.06, 0.12), box=True),
    "caption": TitleStyle(0.036, "bottom", (0.5, 0.05), box=True),
}
DEFAULT_TITLE_STYLE = "title"


def x_height(em: float, font=None) -> float:
    """x-height (fraction of the frame height) of text set at ``em`` in ``font`` (default: the
    bundled face)."""
    return em * read_metrics(font or DEFAULT_FONT).x_height


def overlay_em(kind: str, font=None) -> float:
    """Font size (em / frame height) of the camera overlay ``kind`` in ``font``."""
    return OVERLAY_X_HEIGHT[kind] / read_metrics(font or DEFAULT_FONT).x_height


def text_extent(text: str, em: float, font=None) -> tuple[float, float]:
    """(width, cap height) of one line of ``text`` set at ``em``, as fractions of the frame
    height (advance widths, no kerning): what a layout reserves for it."""
    metrics = read_metrics(font or DEFAULT_FONT)
    return em * metrics.width(text), em * metrics.cap_height


def pixels(em: float, frame_height: int) -> float:
    """A size in pixels for a frame ``frame_height`` pixels high."""
    return em * frame_height
