"""Storyboard validation: a parsed TOML dict -> a checked :class:`Storyboard`, or every problem.

Problems name their path in the file (``timeline[2].look.colour``), the line where the key is
written (found by scanning the source: tomllib gives lines only for syntax errors) and the valid
choices. Nothing renders until the whole file is valid.
"""

from __future__ import annotations

import bisect
import math
import numbers
import re
from dataclasses import dataclass, field
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import check_readable_file
from neuroblend.files.limits import (
    MAX_FILM_FRAMES,
    MAX_FILM_SECONDS,
    MAX_FILM_SIZE,
    MAX_NAME,
)
from neuroblend.film.easing import EASES, Curve, Key
from neuroblend.render_device import DEVICES

ITEM_TYPES = ("shot", "clip", "title", "transition")
TRANSITIONS = ("fade-to-black", "fade-from-black", "crossfade")
BLENDS = ("alpha", "screen", "add")
ANCHORS = ("center", "top", "bottom", "left", "right", "top-left", "top-right", "bottom-left",
           "bottom-right")
ENGINES = ("cycles", "eevee", "workbench")
DEMO_DATA = "@demo"
TOP_KEYS = ("font", "video", "audio", "timeline")
VIDEO_KEYS = ("size", "fps", "samples", "engine", "device", "preview_every")
AUDIO_KEYS = ("voiceover", "markers")
COMMON_KEYS = ("name", "at", "duration", "position", "scale", "blend", "opacity", "fade_in",
               "fade_out")
TYPE_KEYS = {"shot": ("data", "look", "camera", "clock", "samples"),
             "clip": ("data", "clock", "options"),
             "title": ("style", "font_size", "color", "anchor"),
             "transition": ()}
DEFAULT_BLEND = {"shot": "alpha", "clip": "screen", "title": "alpha", "transition": "alpha"}
MIN_SIZE, MAX_FPS, MAX_SAMPLES, MAX_PREVIEW_EVERY = 16, 240.0, 4096, 100
MAX_MAGNITUDE = 1e15  # any number in a storyboard (data times, options): no 1e300
NAME = re.compile(r"[^\W][\w]*")  # letters, digits, _ (any script): no separators, no dot
MAX_PROBLEMS = 20  # problems listed in one message (the rest are counted)


@dataclass(frozen=True)
class FilmLimits:
    """Limits a film may raise with flags: pixels per side, frames rendered and composed."""

    max_size: int = MAX_FILM_SIZE
    max_frames: int = MAX_FILM_FRAMES


@dataclass
class Video:
    size: tuple[int, int] = (1280, 720)
    fps: float = 30.0
    samples: int = 16
    engine: str = "cycles"
    preview_every: int = 3
    device: str = "auto"  # Cycles device (neuroblend.render_device.DEVICES)


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
    path: Path | None = None  # the storyboard file (None: built in code)
    font: Path | None = None  # every text's font file (None: the bundled face)

    def item(self, name: str) -> Item:
        """The item called ``name``."""
        return next(i for i in self.items if i.name == name)


class Problems:
    """Collects problems with their path and line; :meth:`raise_if_any` reports them all."""

    def __init__(self, name: str, source: str):
        self.name, self.lines = name, source.splitlines()
        self.found: list[str] = []
        self.count = 0
        self.keyed: list[tuple[int, str]] | None = None
        self.headers: list[int] = []

    def add(self, path: str, message: str) -> None:
        self.count += 1
        if self.count > MAX_PROBLEMS:  # the line search is per problem: list a few
            return
        line = self.line_of(path)
        where = f"{self.name}:{line}" if line else self.name
        path, message = _cut(path, 120), _cut(message, 400)  # a huge key stays one short line
        self.found.append(f"{where}: {path}: {message}")

    def line_of(self, path: str) -> int | None:
        """Line of the last key of ``path`` inside its [[timeline]] table (best effort)."""
        parts = path.replace("]", "").split(".")
        head, key = parts[0], parts[-1].split("[")[0]
        if self.keyed is None:  # once: the lines that may hold a key, and the item headers
            self.keyed = [(n, text) for n, line in enumerate(self.lines)
                          if (text := line.strip()) and not text.startswith("#")]
            self.headers = [n for n, text in self.keyed if text == "[[timeline]]"]
        start, stop = 0, len(self.lines)
        if head.startswith("timeline["):
            index = int(head.split("[")[1])
            if index < len(self.headers):
                start = self.headers[index]
                stop = self.headers[index + 1] if index + 1 < len(self.headers) else stop
        first = bisect.bisect_left(self.keyed, (start, ""))
        for n, text in self.keyed[first:]:
            if n >= stop:
                break
            if text.startswith(f"{key} ") or text.startswith(f"{key}=") or f" {key} =" in text \
                    or f"{{{key} =" in text or text == f"[{key}]" or text.endswith(f".{key}]"):
                return n + 1
        return start + 1 if start else None

    def raise_if_any(self) -> None:
        if self.found:
            count = self.count
            more = f"; and {count - len(self.found)} more" if count > len(self.found) else ""
            raise NeuroBlendError(f"{count} problem{'s' * (count > 1)} in the storyboard: "
                                  + "; ".join(self.found) + more)


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else f"{text[:most - 3]}..."


def check_keys(problems: Problems, table: dict, allowed, path: str) -> None:
    """Report keys of ``table`` that are not in ``allowed``."""
    for key in table:
        if key not in allowed:
            problems.add(f"{path}.{key}" if path else key,
                         f"unknown key (valid: {', '.join(allowed)})")


def real(value) -> float | None:
    """``value`` as a float if it is a finite number of usable size (no bool, NaN, inf, or a
    400-digit integer, which TOML allows), else None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral) and abs(int(value)) > MAX_MAGNITUDE:
        return None
    value = float(value)
    return value if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE else None


def show(value) -> str:
    """A value for a message, cut short (a 400-digit number or a huge string stays readable)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def listing(names, most: int = 10) -> str:
    """``a, b, c`` (the first ``most`` names, then how many more), or ``none``."""
    names = list(names)
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(map(str, names[:most])) + more if names else "none"


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _bounds(low, high, positive) -> str:
    if high is None:
        return "positive" if positive else f">= {_num(low)}"
    return f"above 0 and at most {_num(high)}" if positive else f"in {_num(low or 0)}..{_num(high)}"


def number(problems, table, key, path, default=None, *, low=None, high=None, integer=False,
           positive=False):
    """A number from ``table[key]`` (or ``default``), finite and range-checked; problems are
    reported."""
    value = table.get(key, default)
    if value is None:
        return None
    where = f"{path}.{key}" if path else key
    x = real(value)
    if x is None:
        problems.add(where, f"{show(value)} is not a {'whole ' if integer else ''}number "
                     f"(finite, at most {MAX_MAGNITUDE:.0e} in size)")
        return default
    if integer and not x.is_integer():
        problems.add(where, f"{show(value)} is not a whole number")
        return default
    if (positive and x <= 0) or (low is not None and x < low) or (high is not None and x > high):
        problems.add(where, f"{show(value)} must be {_bounds(low, high, positive)}")
        return default
    return int(x) if integer else x


def choice(problems, table, key, path, choices, default=None):
    """``table[key]`` if it is one of ``choices`` (else a problem naming them)."""
    value = table.get(key, default)
    if value is not None and (not isinstance(value, str | int | float) or value not in choices):
        problems.add(f"{path}.{key}", f"{show(value)} is not one of: "
                     f"{', '.join(map(str, choices))}")
        return default
    return value


def pair(problems, table, key, path, default, *, integer=False, low=-1e6, high=1e6):
    """A two-number list such as a size or a position, each in ``low..high``."""
    value = table.get(key, default)
    numbers_ = [real(v) for v in value] if isinstance(value, list | tuple) else []
    ok = len(numbers_) == 2 and all(v is not None and low <= v <= high for v in numbers_)
    if not ok or (integer and not all(float(v).is_integer() for v in numbers_)):
        what = "W, H] (whole numbers" if integer else "X, Y] (numbers"
        problems.add(f"{path}.{key}", f"{show(value)}: expected [{what} in "
                     f"{_num(low)}..{_num(high)})")
        return default
    return tuple(int(v) if integer else float(v) for v in numbers_)


def plain_name(problems, name, where: str) -> bool:
    """Whether ``name`` is a plain name (letters, digits, _; at most MAX_NAME characters): it
    names cache folders and anchors, so no path separator, dot, or anything else."""
    if isinstance(name, str) and len(name) <= MAX_NAME and NAME.fullmatch(name):
        return True
    problems.add(where, f"{show(name)}: a name is a word of letters, digits and _ (at most "
                 f"{MAX_NAME} characters; no . : + - / or spaces)")
    return False


def file_path(problems, base: Path, value, where: str, *, allow_demo=False):
    """An existing regular file (or a link to one), relative to the storyboard; the demo data
    marker passes through. FIFOs, devices and folders are refused before anything opens them."""
    if allow_demo and value == DEMO_DATA:
        return DEMO_DATA
    if not isinstance(value, str) or not value or len(value) > 4096:
        problems.add(where, f"{show(value)}: expected a file path")
        return None
    try:
        path = (base / value).resolve()
        if not path.exists():
            problems.add(where, f"{value}: no such file (looked for {path})")
            return None
        check_readable_file(path)
    except (OSError, RuntimeError, ValueError, NeuroBlendError) as exc:
        problems.add(where, f"{show(value)}: {getattr(exc, 'problem', None) or exc}")
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
        ok = isinstance(key, list) and len(key) in (2, 3)
        seconds, data = (real(v) for v in key[:2]) if ok else (None, None)
        if seconds is None or data is None:
            problems.add(where, f"{show(key)}: expected [video seconds, data time] or "
                         "[video seconds, data time, ease] (finite numbers)")
            return None
        if not 0 <= seconds <= MAX_FILM_SECONDS:
            problems.add(where, f"{seconds:g}: video seconds from the shot's start must be in "
                         f"0..{MAX_FILM_SECONDS:g}")
            return None
        ease = key[2] if len(key) == 3 else "linear"
        if not isinstance(ease, str) or ease not in EASES:
            problems.add(where, f"ease {show(ease)} is not one of: {', '.join(EASES)}")
            return None
        keys.append(Key(seconds, (data,), ease))
    if any(b.time <= a.time for a, b in zip(keys, keys[1:], strict=False)):
        problems.add(path, "key times must increase (two keys at one time would both own "
                     "the clock at that instant)")
        return None
    return Curve(keys)


def parse_video(problems: Problems, table, limits: FilmLimits) -> Video:
    if not isinstance(table, dict):
        problems.add("video", "expected a table")
        return Video()
    check_keys(problems, table, VIDEO_KEYS, "video")
    d = Video()
    size = pair(problems, table, "size", "video", d.size, integer=True, low=MIN_SIZE,
                high=1_000_000)
    if max(size) > limits.max_size:
        problems.add("video.size", f"{list(size)}: at most {limits.max_size} pixels per side "
                     "(raise it with --max-size)")
        size = d.size
    return Video(size=size,
                 fps=number(problems, table, "fps", "video", d.fps, low=1.0, high=MAX_FPS),
                 samples=number(problems, table, "samples", "video", d.samples, integer=True,
                                low=1, high=MAX_SAMPLES),
                 engine=choice(problems, table, "engine", "video", ENGINES, d.engine),
                 device=choice(problems, table, "device", "video", DEVICES, d.device),
                 preview_every=number(problems, table, "preview_every", "video",
                                      d.preview_every, integer=True, low=1,
                                      high=MAX_PREVIEW_EVERY))


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
        if not plain_name(problems, name, "audio.markers"):
            continue
        seconds = number(problems, markers, name, "audio.markers", low=0.0,
                         high=MAX_FILM_SECONDS)
        if seconds is not None:
            out[name] = seconds
    return voice, out
