"""The range of every numeric option, declared once as its dataclass field's default.

``tube_resolution: int = whole(16, 3, 64)`` gives the default and the range together. The flag's
argparse type (``neuroblend.cli.ranged``), the options' constructor (:class:`RangeChecked`: every
job's options, however made: flags, ``--options-json``, a film shot's look) and a storyboard's
look/options (``neuroblend.film.kinds``) all read that one declaration, so a value one refuses,
all refuse, naming the flag (or the storyboard key) and the range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from neuroblend import argtypes
from neuroblend.errors import NeuroBlendError

KEY = "range"  # the field metadata key holding its Range
BLENDER_MAX_FRAME = 1_048_574  # Blender's frame limit (scene frame_start/frame_end 0..this)
SEED_MAX = 2**32 - 1
BIG = 1e9  # a bound for values with no natural one (data values, times in ms)


@dataclass(frozen=True)
class Range:
    """Bounds of one option: ``count`` numbers (1, or 2 for a WxH / A-B / START END pair), each
    in ``low..high``; ``order`` ("<" or "<=") between the two of a pair; ``below``: another
    option this one must be below (vmin < vmax); ``flag``: the flag when it is not --NAME."""

    low: float
    high: float
    integer: bool = False
    above_low: bool = False
    below_high: bool = False
    count: int = 1
    order: str = ""
    below: str = ""
    flag: str = ""

    def describe(self) -> str:
        """``"a whole number 3..64"``, ``"a number above 0 and at most 10000"``..."""
        low, high = (str(int(v)) if self.integer else argtypes.number_text(v)
                     for v in (self.low, self.high))
        bounds = f"above {low} and at most {high}" if self.above_low else f"{low}..{high}"
        bounds += f" (excluding {high})" if self.below_high else ""
        kind = "a whole number" if self.integer else "a number"
        if self.count > 1:
            kind = f"{self.count} {'whole numbers' if self.integer else 'numbers'}"
            bounds += {"<": ", the second above the first", "<=": ", the second not below the "
                       "first"}.get(self.order, "") if self.count == 2 else ""
        return f"{kind} {bounds}"

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is out of this range (None: it is in)."""
        values = list(value) if isinstance(value, list | tuple) else [value]
        if (self.count > 1) != isinstance(value, list | tuple) or len(values) != self.count \
                or not all(self._fits(v) for v in values):
            return f"expected {self.describe()}"
        first, second = values[0], values[-1]
        if self.order and not (first < second if self.order == "<" else first <= second):
            return f"expected {self.describe()}"
        return None

    def _fits(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if isinstance(value, float) and not (math.isfinite(value)
                                             and (value.is_integer() or not self.integer)):
            return False
        above = self.low < value if self.above_low else self.low <= value
        return above and (value < self.high if self.below_high else value <= self.high)

    def convert(self, value: Any) -> Any:
        """A checked value as the option's type (int or float; a pair as a list)."""
        kind = int if self.integer else float
        return [kind(v) for v in value] if isinstance(value, list | tuple) else kind(value)

    def argtype(self):
        """The argparse type of one value (a pair's flag takes ``nargs=2`` of these)."""
        if self.integer:
            return argtypes.int_range(int(self.low), int(self.high))
        return argtypes.float_range(self.low, self.high, above_low=self.above_low,
                                    below_high=self.below_high)


def whole(default: Any, low: int, high: int, **bounds: Any) -> Any:
    """A dataclass field: whole numbers ``low..high`` (see :class:`Range` for ``bounds``)."""
    return field(default=default, metadata={KEY: Range(low, high, integer=True, **bounds)})


def real(default: Any, low: float, high: float, **bounds: Any) -> Any:
    """A dataclass field: finite numbers ``low..high`` (see :class:`Range` for ``bounds``)."""
    return field(default=default, metadata={KEY: Range(float(low), float(high), **bounds)})


def range_of(cls: Any, name: str) -> Range:
    """The declared range of option ``name`` of the options dataclass ``cls``."""
    for f in fields(cls):
        if f.name == name and KEY in f.metadata:
            return f.metadata[KEY]
    raise KeyError(f"{getattr(cls, '__name__', cls)}.{name} declares no range")


def ranges_of(cls: Any, *names: str) -> dict[str, Range]:
    """``{name: range}`` of several options (a storyboard kind's numeric look keys)."""
    return {name: range_of(cls, name) for name in names}


def shown(value: Any) -> str:
    """A value as the user typed it, cut short (a 400-digit number stays readable)."""
    try:
        text = " ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    except ValueError:  # an integer past Python's digit limit for str()
        text = "a number of over 4300 digits"
    return text if len(text) <= 40 else text[:37] + "..."


def order_problem(values: dict, name: str, bounds: Range, other_as: str = "") -> str | None:
    """Why ``values[name]`` is not below the option it must be below (``bounds.below``, called
    ``other_as`` in the message if given)."""
    other = values.get(bounds.below) if bounds.below else None
    value = values.get(name)
    if other is None or value is None or value < other:
        return None
    return f"must be below {other_as or bounds.below} ({shown(other)})"


def _flag(options: Any, name: str) -> str:
    bounds = next(f.metadata.get(KEY) for f in fields(options) if f.name == name)
    return (bounds.flag if bounds else "") or "--" + name.replace("_", "-")


def check_ranges(options: Any) -> None:
    """Raise a one-line error naming the flag and its range for the first option out of it."""
    values = {f.name: getattr(options, f.name) for f in fields(options)}
    for f in fields(options):
        bounds = f.metadata.get(KEY)
        value = values[f.name]
        if bounds is None or value is None:
            continue
        message = bounds.problem(value) or order_problem(
            values, f.name, bounds, bounds.below and _flag(options, bounds.below))
        if message:
            raise NeuroBlendError(f"{_flag(options, f.name)} {shown(value)}: {message}")


class RangeChecked:
    """Options whose constructor checks every declared range (a dataclass base)."""

    def __post_init__(self) -> None:
        check_ranges(self)
