"""Pickles that are safe to load: a restricted unpickler admitting only data.

Every NeuroBlend load goes through :func:`load_pickle`. It admits plain containers, numbers,
strings, bytes and numpy arrays/scalars/dtypes; a pickle naming any other global (a class, a
function such as ``os.system``) is refused before anything in it runs.
"""

from __future__ import annotations

import importlib
import io
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.atomic import atomic_path
from neuroblend.errors import FileFormatError

PROTOCOL = 5

# (module, name) pairs a data pickle legitimately needs. numpy moved ``numpy.core`` to
# ``numpy._core`` in 2.0; both spellings are admitted and resolved to whichever exists.
_ALLOWED = {
    ("builtins", "complex"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "slice"),
    ("builtins", "bytearray"),
    ("collections", "OrderedDict"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"),
}
# Legacy python-2 era pickles encode bytes through _codecs.encode(str, "latin1").
_ALLOWED_CODECS = {("_codecs", "encode")}


class RefusedGlobal(pickle.UnpicklingError):
    """The pickle names something other than plain data."""


class _DataOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED or (module, name) in _ALLOWED_CODECS:
            return _resolve(module, name)
        raise RefusedGlobal(
            f"it refers to {module}.{name}, which is not plain data "
            "(NeuroBlend only loads containers, numbers, strings and numpy arrays)"
        )


def _resolve(module: str, name: str) -> Any:
    candidates = [module]
    if module.startswith("numpy._core"):
        candidates.append(module.replace("numpy._core", "numpy.core", 1))
    elif module.startswith("numpy.core"):
        candidates.append(module.replace("numpy.core", "numpy._core", 1))
    if module.startswith("numpy"):  # this numpy's own spelling first (numpy 2 warns on .core)
        own = "numpy._core" if int(np.__version__.split(".")[0]) >= 2 else "numpy.core"
        candidates.sort(key=lambda mod: not mod.startswith(own + "."))
    for mod in candidates:
        try:
            return getattr(importlib.import_module(mod), name)
        except (ImportError, AttributeError):
            continue
    raise RefusedGlobal(f"{module}.{name} is not available in this numpy")


def loads_pickle(data: bytes, source: str = "<bytes>") -> Any:
    """Unpickle ``data`` with the restricted unpickler; errors name ``source``."""
    try:
        return _DataOnlyUnpickler(io.BytesIO(data)).load()
    except RefusedGlobal as exc:
        raise FileFormatError(source, f"refused to load pickle: {exc}") from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError,
            MemoryError, UnicodeDecodeError, OverflowError) as exc:
        raise FileFormatError(
            source, f"not a readable pickle (truncated or corrupt: {type(exc).__name__}: {exc})"
        ) from None


def load_pickle(path: str | os.PathLike) -> Any:
    """Load a pickle file safely, with one-line errors for missing, empty or corrupt files."""
    p = Path(path)
    if not p.exists():
        raise FileFormatError(p, "no such file")
    if p.is_dir():
        raise FileFormatError(p, "is a directory, expected a file")
    data = p.read_bytes()
    if not data:
        raise FileFormatError(p, "file is empty")
    if data[:1] != b"\x80":
        raise FileFormatError(p, "not a pickle file (it does not start with a pickle header)")
    return loads_pickle(data, str(p))


def save_pickle(obj: Any, path: str | os.PathLike) -> None:
    """Pickle ``obj`` to ``path`` atomically (temp file + rename)."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=PROTOCOL)
