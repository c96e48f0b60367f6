"""The storyboard as text and tables: a bounded, regular UTF-8 file parsed as TOML, its nesting
and number of values bounded before any table is looked at.

TOML allows tables and arrays nested without limit and integers of any length; Python's parser
recurses once per level and refuses integers over 4300 digits with a ``ValueError``. Both
become one line here, as does a binary file or a FIFO/device/folder given as the storyboard.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_STORYBOARD_BYTES, MAX_STORYBOARD_NESTING
from neuroblend.files.reading import read_bounded


def read_storyboard(path) -> tuple[str, dict]:
    """(text, tables) of the storyboard file ``path``; one-line errors for anything else."""
    path = Path(path)
    raw = read_bounded(path, MAX_STORYBOARD_BYTES, "the storyboard")
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NeuroBlendError(f"{path.name}: not UTF-8 text (byte {exc.start}): a storyboard is a "
                              "TOML text file") from None
    if "\x00" in source:
        raise NeuroBlendError(f"{path.name}: holds NUL bytes: a storyboard is a TOML text file, "
                              "not a binary file")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise NeuroBlendError(f"{path.name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise NeuroBlendError(f"{path.name}: tables or arrays nested too deeply (at most "
                              f"{MAX_STORYBOARD_NESTING} levels)") from None
    except ValueError as exc:  # an integer with thousands of digits
        raise NeuroBlendError(f"{path.name}: not a usable TOML file: {str(exc)[:120]}") from None
    check_structure(data, path.name)
    return source, data


def check_structure(data, name: str) -> None:
    """Refuse tables/arrays nested over the limit (walked without recursion; cycles too)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_STORYBOARD_NESTING:
            raise NeuroBlendError(f"{name}: tables or arrays nested more than "
                                  f"{MAX_STORYBOARD_NESTING} levels deep (a fixed limit)")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list | tuple):
            stack.extend((v, depth + 1) for v in value)
