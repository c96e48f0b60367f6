"""Numeric arrays in pickles without trusting numpy's own reconstruction.

Encoding 2 (what NeuroBlend writes) stores each array as ``{ARRAY_KEY: (dtype_str, shape,
bytearray)}`` and each numpy scalar as ``{SCALAR_KEY: (dtype_str, bytes)}``, so the file names no
numpy global at all. Older pickles (NeuroBlend encoding 1, BlenderSpike) name ``numpy.dtype``,
``numpy.ndarray`` and numpy's reconstruct helpers: the unpickler maps them to the checked
stand-ins below, which accept only bool/int/float dtypes, C- or Fortran-ordered data whose size
matches its shape, and turn into real arrays after loading (:class:`Pending`).
"""

from __future__ import annotations

import math
import pickle
from typing import Any

import numpy as np

from neuroblend.files.limits import MAX_NDIM

ARRAY_KEY = "__neuroblend_array__"
SCALAR_KEY = "__neuroblend_scalar__"

ALLOWED_DTYPES = frozenset(
    np.dtype(code).newbyteorder(order).str for code in "?bBhHiIlLqQefd"
    for order in ("<", ">")
)
_BASE_CODES = frozenset({"b1", "?", "f2", "f4", "f8", "i1", "i2", "i4", "i8",
                         "u1", "u2", "u4", "u8", "e", "f", "d", "b", "B", "h", "H", "i", "I", "l",
                         "L", "q", "Q", "bool", "float16", "float32", "float64", "int8", "int16",
                         "int32", "int64", "uint8", "uint16", "uint32", "uint64"})


class ArrayRefused(ValueError):
    """A pickled array or dtype that NeuroBlend will not build."""


def allowed_dtype(spec: Any) -> np.dtype:
    """The numpy dtype for an encoding-2 dtype string, if it is an allowed numeric dtype."""
    if not isinstance(spec, str) or spec not in ALLOWED_DTYPES:
        raise ArrayRefused(f"array dtype {str(spec)[:40]!r} is not allowed "
                           "(only bool, integer and float dtypes)")
    return np.dtype(spec)


def checked_shape(shape: Any) -> tuple[int, ...]:
    """``shape`` as a tuple of non-negative ints, or ArrayRefused."""
    if not isinstance(shape, (tuple, list)) or len(shape) > MAX_NDIM:
        raise ArrayRefused(f"array shape must be a tuple of at most {MAX_NDIM} sizes")
    if not all(type(n) is int and 0 <= n < 1 << 62 for n in shape):
        raise ArrayRefused("array shape must hold non-negative integers")
    return tuple(shape)


def array_from_buffer(dtype: np.dtype, shape: Any, buf: Any, order: str = "C") -> np.ndarray:
    """An array over ``buf`` after checking that its size is exactly ``shape`` x itemsize."""
    shape = checked_shape(shape)
    if not isinstance(buf, (bytes, bytearray)):
        raise ArrayRefused(f"array data must be bytes, not {type(buf).__name__}")
    need = math.prod(shape) * dtype.itemsize
    if need != len(buf):
        raise ArrayRefused(f"array of shape {shape} and dtype {dtype.str} needs {need} bytes, "
                           f"the file holds {len(buf)}")
    if order == "F":
        return np.frombuffer(buf, dtype=dtype).reshape(shape, order="F")
    if order != "C":
        raise ArrayRefused("array order must be 'C' or 'F'")
    return np.frombuffer(buf, dtype=dtype).reshape(shape)


# ------------------------------------------------------------------------------ encoding 2

def encode(obj: Any) -> Any:
    """``obj`` with every numpy array/scalar replaced by its plain encoding-2 form."""
    if isinstance(obj, np.ndarray):
        arr = np.ascontiguousarray(obj)
        allowed_dtype(arr.dtype.str)
        # a writable array pickles (protocol 5, in band) to the same bytearray, without a copy
        raw = (pickle.PickleBuffer(arr.data) if arr.flags.writeable
               else bytearray(arr.tobytes()))
        return {ARRAY_KEY: (arr.dtype.str, tuple(int(n) for n in arr.shape), raw)}
    if isinstance(obj, np.generic):
        allowed_dtype(obj.dtype.str)
        return {SCALAR_KEY: (obj.dtype.str, obj.tobytes())}
    if isinstance(obj, dict):
        if ARRAY_KEY in obj or SCALAR_KEY in obj:
            raise ValueError(f"a dict key {ARRAY_KEY!r}/{SCALAR_KEY!r} is reserved")
        return type(obj)((k, encode(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(encode(v) for v in obj)
    if isinstance(obj, (set, frozenset)):
        return type(obj)(encode(v) for v in obj)
    return obj


def decode_marker(value: dict) -> Any:
    """The array or scalar an encoding-2 marker dict stands for (ArrayRefused if malformed)."""
    if len(value) != 1:
        raise ArrayRefused("an array marker must have exactly one key")
    if ARRAY_KEY in value:
        parts = value[ARRAY_KEY]
        if not (isinstance(parts, tuple) and len(parts) == 3):
            raise ArrayRefused("an array must be (dtype, shape, data)")
        dtype, shape, buf = parts
        return array_from_buffer(allowed_dtype(dtype), shape, buf)
    parts = value[SCALAR_KEY]
    if not (isinstance(parts, tuple) and len(parts) == 2):
        raise ArrayRefused("a scalar must be (dtype, data)")
    dtype = allowed_dtype(parts[0])
    return array_from_buffer(dtype, (), parts[1])[()]


# ------------------------------------------------------------------- legacy (encoding 1)

class Pending:
    """Something an old pickle asked numpy to build; :meth:`resolve` builds it once checked."""

    def resolve(self, budget: Budget) -> Any:
        raise NotImplementedError


class Budget:
    """Bytes that arrays of one file may still claim (a document may not claim much more
    memory than its file holds)."""

    def __init__(self, limit: int):
        self.left = limit

    def take(self, nbytes: int) -> None:
        if nbytes > self.left:
            raise ArrayRefused("its arrays claim much more memory than the file holds")
        self.left -= nbytes


class PendingDtype(Pending):
    """``numpy.dtype(code, align, copy)`` + BUILD state, admitted for plain numeric codes only."""

    def __init__(self, code: Any = None, align: Any = False, copy: Any = True, *rest: Any):
        if rest or not isinstance(code, str) or code not in _BASE_CODES:
            raise ArrayRefused(f"dtype {str(code)[:40]!r} is not allowed "
                               "(only bool, integer and float dtypes)")
        self.dtype = np.dtype(code)
        self.order = "="

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) not in (8, 9) or state[0] not in (3, 4):
            raise ArrayRefused("unsupported numpy dtype state")
        _version, order, subarray, names, fields, elsize, alignment, flags = state[:8]
        extra = state[8:]
        if order not in ("<", ">", "|", "=") or subarray is not None or names is not None \
                or fields is not None or any(x is not None for x in extra):
            raise ArrayRefused("structured, subarray and metadata dtypes are not allowed")
        if elsize not in (-1, self.dtype.itemsize) or alignment not in (-1, self.dtype.alignment) \
                or flags != 0:
            raise ArrayRefused("dtype state does not match a plain numeric dtype")
        self.order = order

    def resolve(self, budget: Budget | None = None) -> np.dtype:
        if self.order == "<":
            return self.dtype.newbyteorder("<")
        if self.order == ">":
            return self.dtype.newbyteorder(">")
        return self.dtype


class NdarrayClass:
    """Stands for the ``numpy.ndarray`` class: only ``_reconstruct`` may use it."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise ArrayRefused("it calls numpy.ndarray(...) directly (buffer/strides construction "
                           "is not allowed)")


class PendingArray(Pending):
    """``_reconstruct(ndarray, ...)`` + BUILD ``(version, shape, dtype, fortran, raw)``."""

    def __init__(self, subtype: Any = None, *args: Any):
        if not isinstance(subtype, NdarrayClass):
            raise ArrayRefused("only plain numpy.ndarray arrays are allowed")
        self.state: tuple | None = None

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) not in (4, 5):
            raise ArrayRefused("unsupported numpy array state")
        self.state = state[-4:]

    def resolve(self, budget: Budget) -> np.ndarray:
        if self.state is None:
            raise ArrayRefused("a numpy array without data")
        shape, dtype, fortran, raw = self.state
        if not isinstance(dtype, PendingDtype):
            raise ArrayRefused("a numpy array without a plain dtype")
        if isinstance(raw, str):
            raw = raw.encode("latin1")
        if not isinstance(raw, (bytes, bytearray)):
            raise ArrayRefused("a numpy array whose data is not raw bytes (object arrays are "
                               "not allowed)")
        dt = dtype.resolve()
        shape = checked_shape(shape)
        budget.take(math.prod(shape) * dt.itemsize)
        arr = array_from_buffer(dt, shape, bytearray(raw), "F" if fortran else "C")
        return arr


class PendingFromBuffer(Pending):
    """numpy's protocol-5 ``_frombuffer(buffer, dtype, shape, order)``."""

    def __init__(self, buf: Any = None, dtype: Any = None, shape: Any = None, order: Any = "C",
                 *rest: Any):
        if rest or not isinstance(dtype, PendingDtype):
            raise ArrayRefused("a numpy buffer array without a plain dtype")
        self.args = (buf, dtype, shape, order)

    def resolve(self, budget: Budget) -> np.ndarray:
        buf, dtype, shape, order = self.args
        dt = dtype.resolve()
        budget.take(math.prod(checked_shape(shape)) * dt.itemsize)
        return array_from_buffer(dt, shape, buf, order)


class PendingScalar(Pending):
    """numpy's ``scalar(dtype, bytes)``."""

    def __init__(self, dtype: Any = None, data: Any = None, *rest: Any):
        if rest or not isinstance(dtype, PendingDtype):
            raise ArrayRefused("a numpy scalar without a plain dtype")
        self.args = (dtype, data)

    def resolve(self, budget: Budget) -> Any:
        dtype, data = self.args
        if isinstance(data, str):
            data = data.encode("latin1")
        return array_from_buffer(dtype.resolve(), (), data)[()]


def codecs_encode(text: Any = None, encoding: Any = "utf-8", *rest: Any) -> bytes:
    """Python-2-era pickles spell bytes as ``_codecs.encode(str, "latin1")``: only that."""
    if rest or not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise ArrayRefused("_codecs.encode is only allowed as encode(str, 'latin1')")
    return text.encode("latin1")


def empty_bytes(*args: Any) -> bytes:
    """``bytes()`` (how protocols 0-2 spell empty bytes); any argument is refused."""
    if args:
        raise ArrayRefused("bytes(...) with arguments is not allowed")
    return b""
