"""Layer specifications for ``neuroblend compose`` and the time remapping of a layer.

A layer is ``PATH`` or ``PATH:key=value,key=value``: PATH is an MP4/MOV/MKV, a folder of PNG
frames (sorted by name), or one image (a still shown for the whole composition). Keys:

- ``blend``: ``screen`` (default), ``add``, ``alpha-over`` (``over``), ``replace``
- ``start``: output frame where the layer's first frame appears (default: the first frame)
- ``speed``: playback speed (0.5 = half speed); ``fps``: the layer's own frame rate (videos: read
  from the file; PNG folders: the output fps). Output frame j of the layer shows source frame
  ``floor(j * speed * fps / out_fps)``: a 120 fps clip at speed 0.25 in a 30 fps output shows every
  one of its frames once (no repeats); frames repeat only when the source has too few.
- ``x``, ``y``: offset of the layer's centre from the frame centre in output pixels (+y up)
- ``scale``: size factor after fitting the layer to the output frame; ``opacity``: 0..1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.option_ranges import BLENDER_MAX_FRAME, range_of, real, shown, whole

BLEND_MODES = {"screen": "SCREEN", "add": "ADD", "alpha-over": "ALPHA_OVER",
               "over": "ALPHA_OVER", "replace": "REPLACE"}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".exr", ".bmp")
VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".avi", ".webm")
_NUMBERS = ("start", "speed", "fps", "x", "y", "scale", "opacity")


@dataclass
class Layer:
    """One input of a composition."""

    path: Path
    blend: str = "screen"
    start: int | None = whole(None, -BLENDER_MAX_FRAME, BLENDER_MAX_FRAME)
    speed: float = real(1.0, 0, 1e4, above_low=True)
    fps: float | None = real(None, 0, 1e4, above_low=True)
    x: float = real(0.0, -1e5, 1e5)
    y: float = real(0.0, -1e5, 1e5)
    scale: float = real(1.0, 0, 1e4, above_low=True)
    opacity: float = real(1.0, 0, 1)

    @property
    def kind(self) -> str:
        """``"video"``, ``"sequence"`` (PNG folder) or ``"image"``."""
        if self.path.is_dir():
            return "sequence"
        return "video" if self.path.suffix.lower() in VIDEO_SUFFIXES else "image"


def parse_layer(spec: str) -> Layer:
    """Parse ``PATH[:key=value,...]`` into a checked :class:`Layer`."""
    path_text, options = spec, ""
    head, sep, tail = spec.rpartition(":")
    if sep and "=" in tail and head:
        path_text, options = head, tail
    layer = Layer(path=Path(path_text))
    for item in filter(None, (o.strip() for o in options.split(","))):
        key, eq, value = item.partition("=")
        key = key.strip().lower()
        if not eq or not value.strip():
            raise NeuroBlendError(f"layer {spec!r}: option {item!r} should be key=value")
        value = value.strip()
        if key == "blend":
            if value.lower() not in BLEND_MODES:
                raise NeuroBlendError(f"layer {spec!r}: blend {value!r} is not one of "
                                      f"{', '.join(BLEND_MODES)}")
            layer.blend = value.lower()
        elif key in _NUMBERS:
            setattr(layer, key, _number(spec, key, value))
        else:
            raise NeuroBlendError(f"layer {spec!r}: unknown option {key!r} (known: blend, "
                                  f"{', '.join(_NUMBERS)})")
    _check(layer, spec)
    return layer


def _number(spec: str, key: str, text: str) -> int | float:
    """The layer option ``key=text`` as a number in its declared range."""
    bounds = range_of(Layer, key)
    try:
        value = (int if bounds.integer else float)(text)
        problem = bounds.problem(value)
    except ValueError:
        problem = f"expected {bounds.describe()}"
    if problem:
        raise NeuroBlendError(f"layer {shown(spec)!r}: {key}={shown(text)}: {problem}")
    return value


def _check(layer: Layer, spec: str) -> None:
    if not layer.path.exists():
        raise NeuroBlendError(f"layer {spec!r}: {layer.path} does not exist")
    if layer.kind == "image" and layer.path.suffix.lower() not in IMAGE_SUFFIXES:
        raise NeuroBlendError(f"layer {spec!r}: {layer.path.name} is neither a video "
                              f"({', '.join(VIDEO_SUFFIXES)}), an image nor a folder of PNGs")
    if layer.kind == "sequence" and not sequence_files(layer.path):
        raise NeuroBlendError(f"layer {spec!r}: the folder {layer.path} holds no PNG frames")


def sequence_files(folder: Path) -> list[Path]:
    """The PNG frames of a folder, sorted by name."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() == ".png")


def remap_frames(n_source: int, step: float) -> list[int]:
    """Source frame index shown at each output frame of a layer advancing ``step`` frames per frame.

    Output frame j shows ``floor(j * step)`` until the source runs out.
    """
    if n_source < 1 or not step > 0:
        return []
    count = int(math.floor((n_source - 1) / step + 1e-9)) + 1
    return [min(n_source - 1, int(math.floor(j * step + 1e-9))) for j in range(count)]
