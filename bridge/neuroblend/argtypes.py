"""argparse value types that refuse what a float() accepts but no option means: nan, inf, 0.

The bounded types carry their bounds as ``.bounds`` (low, high), so a test can walk every parser
and check that no numeric flag is unbounded.
"""

from __future__ import annotations

import argparse
import math


def finite_float(text: str) -> float:
    """A finite number (``nan``/``inf`` refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text[:40]!r}: expected a finite number")
    return value


def number_text(value: float) -> str:
    """A bound as people write it: ``10000``, ``0.025``, ``1e9`` (no ``e+09``)."""
    if float(value).is_integer() and abs(value) < 1e5:
        return str(int(value))
    return f"{value:g}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def _bounded(parse, low, high):
    parse.bounds = (low, high)
    return parse


def int_range(low: int, high: int):
    """An argparse type for a whole number in ``low..high`` (both included)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text[:40]}: expected a whole number {low}..{high}")
        return value
    return _bounded(parse, low, high)


def float_range(low: float, high: float, *, above_low: bool = False, below_high: bool = False):
    """An argparse type for a finite number in ``low..high`` (``above_low``: ``low`` excluded,
    ``below_high``: ``high`` excluded)."""
    def parse(text: str) -> float:
        value = finite_float(text)
        if not (low < value if above_low else low <= value) or \
                not (value < high if below_high else value <= high):
            lo, hi = number_text(low), number_text(high)
            bound = f"above {lo} and at most {hi}" if above_low else f"{lo}..{hi}"
            bound += f" (excluding {hi})" if below_high else ""
            raise argparse.ArgumentTypeError(f"{text[:40]}: expected a number {bound}")
        return value
    return _bounded(parse, low, high)


def pixel_size(low: int, high: int, example: str = "1280x720"):
    """An argparse type for ``WIDTHxHEIGHT`` with both sides in ``low..high`` pixels."""
    def parse(text: str) -> tuple[int, int]:
        try:
            width, height = (int(v) for v in text.lower().split("x"))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text[:40]!r}: expected WIDTHxHEIGHT, e.g. {example}") from None
        if not (low <= width <= high and low <= height <= high):
            raise argparse.ArgumentTypeError(f"{text[:40]!r}: sides must be {low}..{high} pixels")
        return width, height
    return _bounded(parse, low, high)


def frame_range(low: int, high: int):
    """An argparse type for ``"12"`` -> (12, 12) or ``"1-90"`` -> (1, 90), frames in
    ``low..high`` (the one frame-range grammar)."""
    def parse(text: str) -> tuple[int, int]:
        try:
            first, last = ((int(v) for v in text.split("-", 1)) if "-" in text[1:]
                           else (int(text),) * 2)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text[:40]!r}: expected N or A-B, e.g. 1-90") from None
        if not (low <= first <= high and low <= last <= high):
            raise argparse.ArgumentTypeError(f"{text[:40]!r}: frames must be {low}..{high}")
        if last < first:
            raise argparse.ArgumentTypeError(f"{text[:40]!r}: the last frame is before the first")
        return first, last
    return _bounded(parse, low, high)


def rgb_color(text: str) -> tuple[float, float, float]:
    """``"0.35,0.55,1"`` (or spaces) -> an RGB triple, each in 0..1."""
    try:
        values = tuple(float(v) for v in text.replace(",", " ").split())
    except ValueError:
        values = ()
    if len(values) != 3 or not all(0.0 <= v <= 1.0 for v in values):
        raise argparse.ArgumentTypeError(f"{text[:40]!r}: expected R,G,B in 0..1, e.g. 0.35,0.55,1")
    return values  # type: ignore[return-value]


rgb_color.bounds = (0.0, 1.0)  # type: ignore[attr-defined]


def direction(low: float, high: float):
    """An argparse type for ``X,Y,Z``: a direction (not 0,0,0), each in ``low..high``."""
    def parse(text: str) -> tuple[float, float, float]:
        try:
            x, y, z = (float(v) for v in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r}: expected X,Y,Z") from None
        if not all(math.isfinite(v) and low <= v <= high for v in (x, y, z)):
            raise argparse.ArgumentTypeError(
                f"{text[:40]!r}: expected X,Y,Z each {low:g}..{high:g}")
        if x == y == z == 0:
            raise argparse.ArgumentTypeError(f"{text[:40]!r}: a direction must not be 0,0,0")
        return x, y, z
    parse.bounds = (low, high)  # type: ignore[attr-defined]
    return parse


def auto_off_or(low: float, high: float):
    """An argparse type for ``auto``, ``off`` or a number above ``low`` and at most ``high``
    (``--scale-bar``): the word in lower case, or the number."""
    number = float_range(low, high, above_low=True)

    def parse(text: str) -> str | float:
        if text.lower() in ("auto", "off"):
            return text.lower()
        try:
            return number(text)
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(f"{exc}, or auto or off") from None
    return _bounded(parse, low, high)
