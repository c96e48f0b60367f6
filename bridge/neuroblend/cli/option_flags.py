"""``add_argument`` keywords of a ranged option: the type, default and help read from the one
declaration of its range and default, the options dataclass field (``neuroblend.option_ranges``)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

from neuroblend.option_ranges import range_of, shown


def ranged(cls: Any, name: str, help: str, *, syntax=None, default: Any = MISSING) -> dict:
    """Keywords for the flag of option ``name`` of ``cls``: its range's argparse type (``syntax``:
    a ``(low, high)`` type factory for a one-token pair, such as ``pixel_size``; a pair without
    one takes ``nargs=2``), its default (``default`` overrides the field's) and ``help`` ending
    with the range and the default."""
    bounds = range_of(cls, name)
    if default is MISSING:
        default = next(f.default for f in fields(cls) if f.name == name)
    kind = syntax(bounds.low, bounds.high) if syntax else bounds.argtype()
    said = f"; default {shown(default)}" if default is not None else ""
    return {"type": kind, "default": default, "help": f"{help} ({bounds.describe()}{said})"}
