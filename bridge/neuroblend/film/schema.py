"""Storyboard validation: a parsed TOML dict -> a checked :class:`Storyboard`, or every problem.

Problems name their path in the file (``timeline[2].look.colour``), the line where the key is
written (found by scanning the source: tomllib gives lines only for syntax errors) and the valid
choices. Nothing renders until the whole file is valid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.film.easing import EASES, Curve, Key

ITEM_TYPES = ("shot", "clip", "title", "transition")
TRANSITIONS = ("fade-to-black", "fade-from-black", "crossfade")
BLENDS = ("alpha", "screen", "add")
ANCHORS = ("center", "top", "bottom", "left", "right", "top-left", "top-right", "bottom-left",
           "bottom-right")
ENGINES = ("cycles", "eevee", "workbench")
DEMO_DATA = "@demo"
TOP_KEYS = ("video", "audio", "timeline")
VIDEO_KEYS = ("size", "fps", "samples", "engine", "preview_every")
AUDIO_KEYS = ("voiceover", "markers")
COMMON_KEYS = ("name", "at", "duration", "position", "scale", "blend", "opacity", "fade_in",
               "fade_out")
TYPE_KEYS = {"shot": ("data", "look", "camera", "clock", "samples"),
             "clip": ("data", "clock", "options"),
             "title": ("font_size", "color", "anchor"),
             "transition": ()}
DEFAULT_BLEND = {"shot": "alpha", "clip": "screen", "title": "alpha", "transition": "alpha"}


@dataclass
class Video:
    size: tuple[int, int] = (1280, 720)
    fps: float = 30.0
    samples: int = 16
    engine: str = "cycles"
    preview_every: int = 3


@dataclass
class Item:
    """One timeline item: a shot, clip, title or transition (type-specific fields in ``spec``)."""

    name: str
    type: str
    index: int
    at: object = None  # seconds, or an anchor string (see neuroblend.film.timeline)
    duration: float | None = None
    position: tuple[float, float] = (0.5, 0.5)
    scale: float = 1.0
    blend: str = "alpha"
    opacity: float = 1.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    spec: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The shot/clip kind, the transition's kind, or "title"."""
        return self.spec.get("kind", self.type)


@dataclass
class Storyboard:
    video: Video
    items: list[Item]
    base: Path
    voiceover: Path | None = None
    markers: dict = field(default_factory=dict)
    source: str = ""
    name: str = "storyboard"

    def item(self, name: str) -> Item:
        """The item called ``name``."""
        return next(i for i in self.items if i.name == name)


class Problems:
    """Collects problems with their path and line; :meth:`raise_if_any` reports them all."""

    def __init__(self, name: str, source: str):
        self.name, self.lines = name, source.splitlines()
        self.found: list[str] = []

    def add(self, path: str, message: str) -> None:
        line = self.line_of(path)
        where = f"{self.name}:{line}" if line else self.name
        self.found.append(f"{where}: {path}: {message}")

    def line_of(self, path: str) -> int | None:
        """Line of the last key of ``path`` inside its [[timeline]] table (best effort)."""
        parts = path.replace("]", "").split(".")
        head, key = parts[0], parts[-1].split("[")[0]
        start, stop = 0, len(self.lines)
        if head.startswith("timeline["):
            index = int(head.split("[")[1])
            headers = [n for n, text in enumerate(self.lines) if text.strip() == "[[timeline]]"]
            if index < len(headers):
                start = headers[index]
                stop = headers[index + 1] if index + 1 < len(headers) else stop
        for n in range(start, stop):
            text = self.lines[n].strip()
            if text.startswith(f"{key} ") or text.startswith(f"{key}=") or f" {key} =" in text \
                    or f"{{{key} =" in text or text == f"[{key}]" or text.endswith(f".{key}]"):
                return n + 1
        return start + 1 if start else None

    def raise_if_any(self) -> None:
        if self.found:
            count = len(self.found)
            raise NeuroBlendError(f"{count} problem{'s' * (count > 1)} in the storyboard: "
                                  + "; ".join(self.found))


def check_keys(problems: Problems, table: dict, allowed, path: str) -> None:
    """Report keys of ``table`` that are not in ``allowed``."""
    for key in table:
        if key not in allowed:
            problems.add(f"{path}.{key}" if path else key,
                         f"unknown key (valid: {', '.join(allowed)})")


def number(problems, table, key, path, default=None, *, low=None, integer=False, positive=False):
    """A number from ``table[key]`` (or ``default``), range-checked; problems are reported."""
    value = table.get(key, default)
    if value is None:
        return None
    where = f"{path}.{key}" if path else key
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.add(where, f"{value!r} is not a {'whole ' if integer else ''}number")
        return default
    if integer and not float(value).is_integer():
        problems.add(where, f"{value!r} is not a whole number")
        return default
    if (positive and value <= 0) or (low is not None and value < low):
        problems.add(where, f"{value!r} must be {'positive' if positive else f'>= {low}'}")
        return default
    return int(value) if integer else float(value)


def choice(problems, table, key, path, choices, default=None):
    """``table[key]`` if it is one of ``choices`` (else a problem naming them)."""
    value = table.get(key, default)
    if value is not None and value not in choices:
        problems.add(f"{path}.{key}", f"{value!r} is not one of: {', '.join(map(str, choices))}")
        return default
    return value


def pair(problems, table, key, path, default, *, integer=False):
    """A two-number list such as a size or a position."""
    value = table.get(key, default)
    ok = isinstance(value, list | tuple) and len(value) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    if not ok or (integer and not all(float(v).is_integer() and v > 0 for v in value)):
        problems.add(f"{path}.{key}", f"{value!r}: expected [{'W, H' if integer else 'X, Y'}]"
                     f"{' (positive whole numbers)' if integer else ''}")
        return default
    return tuple(int(v) if integer else float(v) for v in value)


def file_path(problems, base: Path, value, where: str, *, allow_demo=False):
    """An existing file, relative to the storyboard; the demo data marker passes through."""
    if allow_demo and value == DEMO_DATA:
        return DEMO_DATA
    if not isinstance(value, str):
        problems.add(where, f"{value!r}: expected a file path")
        return None
    path = (base / value).resolve()
    if not path.exists():
        problems.add(where, f"{value}: no such file (looked for {path})")
        return None
    return path


def parse_clock(problems, value, path: str) -> Curve | None:
    """``[[video s, data value, ease?], ...]`` -> a curve from video time to data time."""
    if not isinstance(value, list) or not value:
        problems.add(path, "expected a list of [video seconds, data time, ease] keys")
        return None
    keys = []
    for i, key in enumerate(value):
        where = f"{path}[{i}]"
        ok = isinstance(key, list) and len(key) in (2, 3) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in key[:2])
        if not ok:
            problems.add(where, f"{key!r}: expected [video seconds, data time] or "
                         "[video seconds, data time, ease]")
            return None
        ease = key[2] if len(key) == 3 else "linear"
        if ease not in EASES:
            problems.add(where, f"ease {ease!r} is not one of: {', '.join(EASES)}")
            return None
        keys.append(Key(float(key[0]), (float(key[1]),), ease))
    if any(b.time <= a.time for a, b in zip(keys, keys[1:], strict=False)):
        problems.add(path, "key times must increase (two keys at one time would both own "
                     "the clock at that instant)")
        return None
    if keys[0].time < 0:
        problems.add(path, "key times are seconds from the shot's start and cannot be negative")
        return None
    return Curve(keys)


def parse_video(problems: Problems, table) -> Video:
    if not isinstance(table, dict):
        problems.add("video", "expected a table")
        return Video()
    check_keys(problems, table, VIDEO_KEYS, "video")
    d = Video()
    return Video(size=pair(problems, table, "size", "video", d.size, integer=True),
                 fps=number(problems, table, "fps", "video", d.fps, positive=True),
                 samples=number(problems, table, "samples", "video", d.samples, integer=True,
                                positive=True),
                 engine=choice(problems, table, "engine", "video", ENGINES, d.engine),
                 preview_every=number(problems, table, "preview_every", "video",
                                      d.preview_every, integer=True, positive=True))


def parse_audio(problems: Problems, table, base: Path):
    if not isinstance(table, dict):
        problems.add("audio", "expected a table")
        return None, {}
    check_keys(problems, table, AUDIO_KEYS, "audio")
    voice = table.get("voiceover")
    voice = file_path(problems, base, voice, "audio.voiceover") if voice is not None else None
    markers = table.get("markers", {})
    if not isinstance(markers, dict):
        problems.add("audio.markers", "expected a table of name = seconds")
        return voice, {}
    out = {}
    for name in markers:
        seconds = number(problems, markers, name, "audio.markers", low=0.0)
        if seconds is not None:
            out[name] = seconds
    return voice, out
