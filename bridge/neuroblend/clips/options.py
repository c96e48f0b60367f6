"""Argument parsers shared by ``neuroblend clip`` and ``neuroblend compose`` (no heavy imports)."""

from __future__ import annotations

import argparse
import math


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
