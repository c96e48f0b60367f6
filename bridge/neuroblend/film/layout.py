"""One layout for the frame: clips and titles placed where they cover no lit pixel of the shots.

A low-resolution pre-pass renders every shot as it will look (its own overlays included: the
time label, colorbar and scale bar, which sit on backings in the shot) and gives, per output
frame, the mask of its lit pixels. Each clip and title is then placed, in timeline order, over
the frames it is on screen: at its own position if nothing lit is under it, else at the nearest
free place of the frame's safe area, else smaller (down to half its size) at those places. What
no place and size resolves stays where the storyboard put it and is reported (``film --check``
and the build name the items and the seconds). Placed items count as lit for the items after
them, so titles and clips do not cover each other either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LIT = 0.25  # a pixel brighter than this (0..1, any channel) shows something
SAFE = 0.03  # margin of the safe area, a fraction of each side
MARGIN = 0.012  # kept between an item and lit pixels, a fraction of the frame width
SHRINK = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)  # sizes tried, relative to the storyboard's
LINE_HEIGHT = 1.25  # a title's line, x font size


@dataclass(frozen=True)
class Box:
    """A rectangle in fractions of the frame, from the lower left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> tuple[float, float]:
        return self.x1 - self.x0, self.y1 - self.y0

    def moved_to(self, cx: float, cy: float, factor: float = 1.0) -> Box:
        """The same box, scaled by ``factor`` about its centre, centred at (cx, cy)."""
        w, h = (v * factor / 2 for v in self.size)
        return Box(cx - w, cy - h, cx + w, cy + h)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


def clip_box(position, scale: float) -> Box:
    """A clip layer: the frame scaled by ``scale``, centred at ``position``."""
    return Box(0, 0, scale, scale).moved_to(*position)


def title_pixels(spec: dict, height: int, video_height: int) -> float:
    """A title's font size in pixels of a ``height``-pixel frame: its ``font_size`` (pixels of
    the full-size video) scaled, else its style's em (a fraction of the frame height)."""
    if spec["font_size"] is not None:
        return spec["font_size"] * height / video_height
    return spec["em"] * height


def title_box(text: str, font_px: float, size, anchor: str, position, font=None) -> Box:
    """The box a title's text covers in ``font`` (default: the bundled face): ``anchor`` (e.g.
    "top", "bottom-left") at ``position``."""
    from neuroblend.typography.sizes import text_extent

    lines = text.splitlines() or [""]
    em = font_px / size[1]
    w = max(text_extent(line, em, font)[0] for line in lines) * size[1] / size[0]
    h = LINE_HEIGHT * font_px * len(lines) / size[1]
    x, y = position
    parts = anchor.split("-")
    x0 = x if "left" in parts else x - w if "right" in parts else x - w / 2
    y0 = y - h if "top" in parts else y if "bottom" in parts else y - h / 2
    return Box(x0, y0, x0 + w, y0 + h)


def lit_mask(pixels: np.ndarray) -> np.ndarray:
    """Lit pixels of an RGB(A) frame (uint8 or float 0..1, row 0 at the top) -> bool [H, W]."""
    values = np.asarray(pixels)[..., :3].astype(np.float32)
    if values.max(initial=0.0) > 1.0:
        values = values / 255.0
    return values.max(axis=-1) > LIT


def grown(masks: np.ndarray, fraction: float = MARGIN) -> np.ndarray:
    """``masks`` [n, H, W] with every lit pixel grown by ``fraction`` of the width (a margin
    around what shows, and room for the pre-pass's coarser pixels)."""
    r = max(1, round(fraction * masks.shape[-1]))
    padded = np.pad(masks, ((0, 0), (r, r), (r, r)))
    out = np.zeros_like(masks)
    h, w = masks.shape[1:]
    for dy in range(2 * r + 1):
        for dx in range(2 * r + 1):
            out |= padded[:, dy:dy + h, dx:dx + w]
    return out


def _pixels(box: Box, shape) -> tuple[slice, slice]:
    """Rows and columns of a mask (row 0 at the top) a box touches (clipped to the frame)."""
    h, w = shape
    cols = slice(max(0, int(np.floor(box.x0 * w))), max(0, min(w, int(np.ceil(box.x1 * w)))))
    rows = slice(max(0, int(np.floor((1 - box.y1) * h))), max(0, min(h, int(np.ceil((1 - box.y0)
                                                                                  * h)))))
    return rows, cols


def lit_under(masks: np.ndarray, box: Box) -> np.ndarray:
    """Lit pixels under ``box`` in each mask of ``masks`` [n, H, W] -> int [n]."""
    rows, cols = _pixels(box, masks.shape[1:])
    return masks[:, rows, cols].sum(axis=(1, 2))


def _inside(box: Box) -> bool:
    return box.x0 >= SAFE - 1e-9 and box.y0 >= SAFE - 1e-9 and box.x1 <= 1 - SAFE + 1e-9 \
        and box.y1 <= 1 - SAFE + 1e-9


def candidates(box: Box, factor: float) -> list[Box]:
    """Places for ``box`` at ``factor`` of its size: where it is, then the safe area's corners,
    edge middles and a grid between them, nearest first."""
    w, h = (v * factor for v in box.size)
    xs = np.linspace(SAFE + w / 2, 1 - SAFE - w / 2, 9) if w < 1 - 2 * SAFE else [0.5]
    ys = np.linspace(SAFE + h / 2, 1 - SAFE - h / 2, 9) if h < 1 - 2 * SAFE else [0.5]
    cx, cy = box.centre
    places = sorted(((float(x), float(y)) for x in xs for y in ys),
                    key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
    return [box.moved_to(cx, cy, factor)] + [box.moved_to(x, y, factor) for x, y in places]


def place(masks: np.ndarray, box: Box) -> tuple[Box, float] | None:
    """The first free place of ``box`` over all ``masks`` (its own place first, then the safe
    area, then smaller): ``(box, size factor)``, or None if nothing lit is ever free of it."""
    for factor in SHRINK:
        for option in candidates(box, factor):
            if (factor == 1.0 and option == box or _inside(option)) and \
                    not lit_under(masks, option).any():
                return option, factor
    return None


def paint(masks: np.ndarray, box: Box) -> None:
    """Mark ``box`` lit in every mask (an item placed: later items keep off it)."""
    rows, cols = _pixels(box, masks.shape[1:])
    masks[:, rows, cols] = True


# a spike shot's own overlays (neuroblend.blender.spike.overlays): their boxes at their usual
# places, and the moves (frame fractions) to the other corners/edges the layout may try
OVERLAYS = {
    "colorbar": (Box(0.30, 0.02, 0.70, 0.145),
                 ((0, 0), (-0.26, 0), (0.26, 0), (0, 0.83), (-0.26, 0.83), (0.26, 0.83))),
    "time": (Box(0.02, 0.88, 0.23, 0.975), ((0, 0), (0.75, 0), (0, -0.85), (0.75, -0.85))),
    "scale bar": (Box(0.015, 0.03, 0.27, 0.145), ((0, 0), (0.71, 0), (0, 0.83), (0.71, 0.83))),
}


def place_overlay(masks: np.ndarray, group: str) -> tuple[Box, list[float]]:
    """Where a shot's own overlay ``group`` goes over all the shot's ``masks``: the first of its
    places with nothing lit under it (``[dx, dy, 0]``: no backing needed), else its usual
    place on its black backing (``[0, 0, 1]``)."""
    box, moves = OVERLAYS[group]
    for dx, dy in moves:
        moved = Box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)
        if not lit_under(masks, moved).any():
            return moved, [float(dx), float(dy), 0.0]
    return box, [0.0, 0.0, 1.0]


def seconds_of(frames: np.ndarray, start: float, fps: float) -> str:
    """``"1.2-2.9 s"``: the span of output frames (indices into the item) in video seconds."""
    return f"{start + frames.min() / fps:.1f}-{start + (frames.max() + 1) / fps:.1f} s"
