"""Argument parsers shared by ``neuroblend clip`` and ``neuroblend compose`` (no heavy imports)."""

from __future__ import annotations

import argparse
import math


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x720"`` -> (1280, 720)."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected WIDTHxHEIGHT, e.g. 1280x720") from None
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise argparse.ArgumentTypeError(f"{text!r}: sides must be 16..8192 pixels")
    return width, height


def parse_frames(text: str) -> tuple[int, int]:
    """``"1-120"`` -> (1, 120); ``"5"`` -> (5, 5)."""
    try:
        first, last = (int(v) for v in text.split("-", 1)) if "-" in text[1:] else (int(text),) * 2
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected A-B, e.g. 1-120") from None
    if last < first:
        raise argparse.ArgumentTypeError(f"{text!r}: the last frame is before the first")
    return first, last


def positive(kind):
    """A parser for a positive ``kind`` (int or float)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not (value > 0 and math.isfinite(value)):
            raise argparse.ArgumentTypeError(f"{text!r}: must be a positive finite number")
        return value
    return parse
