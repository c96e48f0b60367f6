"""The storyboard as text and tables: a bounded, regular UTF-8 file parsed as TOML, its nesting
and number of values bounded before any table is looked at.

TOML allows tables and arrays nested without limit and integers of any length; Python's parser
recurses once per level and refuses integers over 4300 digits with a ``ValueError``. Both
become one line here, as does a binary file or a FIFO/device/folder given as the storyboard.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_STORYBOARD_BYTES, MAX_STORYBOARD_NESTING
from neuroblend.files.reading import read_bounded

TOKEN = re.compile(r'"""|\'\'\'|["\'#\[\]{}=,.\n]')
STRING_ENDS = {  # the rest of a string, matched once from its opening quote (no backtracking)
    '"': re.compile(r'(?:[^"\\\n]|\\.)*+"'),
    "'": re.compile(r"[^'\n]*+'"),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*+"""', re.S),
    "'''": re.compile(r"(?:[^']|'(?!''))*+'''"),
}
SCAN_LIMIT = 4 * MAX_STORYBOARD_NESTING  # generous: the exact limit is checked after parsing


def read_storyboard(path) -> tuple[str, dict]:
    """(text, tables) of the storyboard file ``path``; one-line errors for anything else (the
    tables are checked by :func:`neuroblend.film.storyboard.check_storyboard`)."""
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
    scanned = nesting_of(source)
    if scanned > SCAN_LIMIT:
        raise NeuroBlendError(f"{path.name}: tables, arrays or dotted keys nested too deeply "
                              f"(at most {MAX_STORYBOARD_NESTING} levels)")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise NeuroBlendError(f"{path.name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise NeuroBlendError(f"{path.name}: tables or arrays nested too deeply (at most "
                              f"{MAX_STORYBOARD_NESTING} levels)") from None
    except ValueError as exc:  # an integer with thousands of digits
        raise NeuroBlendError(f"{path.name}: not a usable TOML file: {str(exc)[:120]}") from None
    return source, data


def nesting_of(text: str) -> int:
    """The deepest bracket nesting or dotted-key chain of TOML ``text``, outside strings and
    comments, in one linear pass (Python's parser is quadratic in a dotted key's length: a
    20,000-part key costs it 10 s and 1.6 GB). An unclosed string ends the scan: the parser then
    reports it."""
    depth = deepest = dots = 0
    pos = 0
    while match := TOKEN.search(text, pos):
        token, pos = match.group(), match.end()
        if token in STRING_ENDS:
            end = STRING_ENDS[token].match(text, pos)
            if end is None:
                break
            pos = end.end()
        elif token == "#":
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline
        elif token == ".":
            dots += 1
        else:
            depth += (token in "[{") - (token in "]}")
            dots = 0
        deepest = max(deepest, depth, dots)
        if deepest > SCAN_LIMIT:
            break
    return deepest


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
