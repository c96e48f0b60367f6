"""Pickles that are safe to load: a restricted unpickler admitting only data.

Every NeuroBlend load goes through :func:`load_pickle`. It admits plain containers, numbers,
strings, bytes and numeric (bool/int/float) arrays; a pickle naming any other global (a class, a
function such as ``os.system``) is refused before anything in it runs.

Container encoding (independent of each format's own ``version``):

- encoding 2 (written since NeuroBlend 0.x, see :mod:`neuroblend.files.pickle_arrays`): the pickle holds
  ``{ENCODING_KEY: 2, "data": document}`` and arrays as plain (dtype string, shape, bytes) triples,
  so the file names no numpy global; a file claiming encoding 2 that names one is refused;
- encoding 1 (older NeuroBlend files, BlenderSpike pickles): numpy's own pickling, rebuilt only
  through the checked stand-ins of :mod:`neuroblend.files.pickle_arrays`.

Both are bounded: nesting depth, string length, and the array memory a file may claim
(:mod:`neuroblend.files.limits`).
"""

from __future__ import annotations

import io
import os
import pickle
from collections import OrderedDict
from typing import Any

from neuroblend.errors import FileFormatError
from neuroblend.files import pickle_arrays as pa
from neuroblend.files.atomic import atomic_path, check_readable_file
from neuroblend.files.limits import MAX_NESTING, MAX_STRING, MAX_VALUES, MEMORY_FACTOR, MEMORY_SLACK

PROTOCOL = 5
ENCODING_KEY = "__neuroblend_encoding__"
ENCODING = 2

_PLAIN = {
    ("builtins", "complex"): complex,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "bytearray"): bytearray,
    ("builtins", "bytes"): pa.empty_bytes,
    ("collections", "OrderedDict"): OrderedDict,
    ("_codecs", "encode"): pa.codecs_encode,
}
_NDARRAY = pa.NdarrayClass()
_NUMPY = {
    "ndarray": _NDARRAY,
    "dtype": pa.PendingDtype,
    "_reconstruct": pa.PendingArray,
    "scalar": pa.PendingScalar,
    "_frombuffer": pa.PendingFromBuffer,
}
_NUMPY_MODULES = {"numpy", "numpy.core.multiarray", "numpy._core.multiarray",
                  "numpy.core.numeric", "numpy._core.numeric"}
_ATOMS = (type(None), bool, int, float, complex, bytes, bytearray)


class RefusedGlobal(pickle.UnpicklingError):
    """The pickle names something other than plain data."""


class _DataOnlyUnpickler(pickle.Unpickler):
    uses_numpy = False

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return _PLAIN[(module, name)]
        if module in _NUMPY_MODULES and name in _NUMPY:
            self.uses_numpy = True
            return _NUMPY[name]
        raise RefusedGlobal(
            f"it refers to {module}.{name}, which is not plain data "
            "(NeuroBlend only loads containers, numbers, strings and numeric arrays)"
        )


class _Finisher:
    """Turns the raw unpickled object into the document: checks depth and string sizes, builds
    pending arrays under the memory budget, decodes encoding-2 markers. Shared objects are
    finished once, cycles are refused, and the tree as its readers see it (shared parts counted
    each time) is bounded, so a "billion laughs" of nested shared lists is refused."""

    def __init__(self, budget: pa.Budget, markers: bool):
        self.budget = budget
        self.markers = markers
        self.done: dict[int, tuple[Any, int, int]] = {}
        self.busy: set[int] = set()
        self.keep: list[Any] = []

    def finish(self, obj: Any, depth: int = 0) -> tuple[Any, int, int]:
        """(finished object, height of its tree, number of values in its tree)."""
        if isinstance(obj, str):
            if len(obj) > MAX_STRING:
                raise pa.ArrayRefused(f"a string of {len(obj):,} characters (limit "
                                      f"{MAX_STRING:,})")
            return obj, 0, 1
        if isinstance(obj, _ATOMS):
            return obj, 0, 1
        key = id(obj)
        if key in self.done:
            result, height, size = self.done[key]
        else:
            if key in self.busy:
                raise pa.ArrayRefused("a container holds itself")
            self.busy.add(key)
            result, height, size = self._build(obj, depth)
            self.busy.discard(key)
            self.done[key] = (result, height, size)
            self.keep.append(obj)
        if depth + height > MAX_NESTING:
            raise pa.ArrayRefused(f"containers nested more than {MAX_NESTING} deep")
        if size > MAX_VALUES:
            raise pa.ArrayRefused(f"it expands to more than {MAX_VALUES:,} values (shared "
                                  "references repeated)")
        return result, height, size

    def _build(self, obj: Any, depth: int) -> tuple[Any, int, int]:
        if depth > MAX_NESTING:
            raise pa.ArrayRefused(f"containers nested more than {MAX_NESTING} deep")
        if isinstance(obj, pa.Pending):
            return obj.resolve(self.budget), 0, 1
        if isinstance(obj, dict):
            if self.markers and (pa.ARRAY_KEY in obj or pa.SCALAR_KEY in obj):
                return pa.decode_marker(obj), 1, 1
            items = [(self.finish(k, depth + 1), self.finish(v, depth + 1))
                     for k, v in obj.items()]
            height = 1 + max((max(k[1], v[1]) for k, v in items), default=0)
            size = 1 + sum(k[2] + v[2] for k, v in items)
            try:
                return type(obj)((k[0], v[0]) for k, v in items), height, size
            except TypeError:
                raise pa.ArrayRefused("a dict key that cannot be a key") from None
        if isinstance(obj, (list, tuple, set, frozenset)):
            parts = [self.finish(v, depth + 1) for v in obj]
            height = 1 + max((p[1] for p in parts), default=0)
            size = 1 + sum(p[2] for p in parts)
            try:
                return type(obj)(p[0] for p in parts), height, size
            except TypeError:
                raise pa.ArrayRefused("a set member that cannot be in a set") from None
        raise pa.ArrayRefused(f"unexpected object of type {type(obj).__name__}")


def loads_pickle(data: bytes, source: str = "<bytes>") -> Any:
    """Unpickle ``data`` with the restricted unpickler; errors name ``source``."""
    unpickler = _DataOnlyUnpickler(io.BytesIO(data))
    try:
        raw = unpickler.load()
        envelope = isinstance(raw, dict) and ENCODING_KEY in raw
        if envelope:
            if raw.get(ENCODING_KEY) != ENCODING or set(raw) != {ENCODING_KEY, "data"}:
                raise pa.ArrayRefused(f"unknown container encoding {raw.get(ENCODING_KEY)!r} "
                                      f"(this NeuroBlend reads encodings 1 and {ENCODING})")
            if unpickler.uses_numpy:
                raise pa.ArrayRefused("an encoding-2 file may not name numpy globals")
            raw = raw["data"]
        budget = pa.Budget(len(data) * MEMORY_FACTOR + MEMORY_SLACK)
        return _Finisher(budget, markers=envelope).finish(raw)[0]
    except (RefusedGlobal, pa.ArrayRefused) as exc:
        raise FileFormatError(source, f"refused to load pickle: {exc}") from None
    except MemoryError:
        raise FileFormatError(source, "refused to load pickle: it needs more memory than "
                              "is available") from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError, KeyError,
            AttributeError, UnicodeDecodeError, OverflowError, RecursionError) as exc:
        if data[:1] != b"\x80":
            raise FileFormatError(source, "not a pickle file (it has no protocol 2+ header and "
                                  "does not read as a protocol 0/1 pickle)") from None
        raise FileFormatError(
            source, f"not a readable pickle (truncated or corrupt: {type(exc).__name__}: "
            f"{str(exc)[:200]})") from None


def load_pickle(path: str | os.PathLike) -> Any:
    """Load a pickle file safely, with one-line errors for missing, empty or corrupt files."""
    p = check_readable_file(path)
    data = p.read_bytes()
    if not data:
        raise FileFormatError(p, "file is empty")
    return loads_pickle(data, str(p))


def dumps_pickle(obj: Any) -> bytes:
    """``obj`` pickled in container encoding 2 (arrays as plain dtype/shape/bytes)."""
    return pickle.dumps({ENCODING_KEY: ENCODING, "data": pa.encode(obj)}, protocol=PROTOCOL)


def save_pickle(obj: Any, path: str | os.PathLike) -> None:
    """Pickle ``obj`` (encoding 2) to ``path`` atomically."""
    payload = {ENCODING_KEY: ENCODING, "data": pa.encode(obj)}
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            pickle.dump(payload, fh, protocol=PROTOCOL)  # streamed: no copy of the whole file

