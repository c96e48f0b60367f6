"""Hostile inputs for the loader and the CLI: forged dtypes, zero-stride and shape bombs,
nesting bombs, huge strings, decompression bombs and classic code payloads at every protocol.

Each builder returns the bytes of a file; :func:`pickle_payloads` lists them all by name.
"""

from __future__ import annotations

import codecs
import io
import os
import pickle
import struct
import subprocess
import zipfile
import zlib

import numpy as np

try:
    from numpy._core.multiarray import _reconstruct
    from numpy._core.numeric import _frombuffer
except ImportError:  # numpy 1
    from numpy.core.multiarray import _reconstruct
    from numpy.core.numeric import _frombuffer

from neuroblend.files.pickle_arrays import ARRAY_KEY
from neuroblend.files.safe_pickle import ENCODING, ENCODING_KEY
from neuroblend.simulation.simulation_build import build_simulation_document


class Reduce:
    """Pickles as ``fn(*args)`` (+ BUILD ``state``): any call an attacker can write."""

    def __init__(self, fn, args, state=None):
        self.fn, self.args, self.state = fn, args, state

    def __reduce__(self):
        return (self.fn, self.args) if self.state is None else (self.fn, self.args, self.state)


def forged_object_dtype():
    """A structured dtype with an object field whose flags claim it holds no objects."""
    return Reduce(np.dtype, ("V16", False, True),
                  (3, "|", None, ("a",), {"a": (np.dtype("O"), 0)}, 16, 1, 0))


def forged_float_dtype():
    """'f8' with a state adding an object field."""
    return Reduce(np.dtype, ("f8", False, True),
                  (3, "<", None, ("a",), {"a": (np.dtype("O"), 0)}, 8, 1, 0))


def array_with(dtype, shape=(2,), raw=b"\x41" * 16):
    return Reduce(_reconstruct, (np.ndarray, (0,), b"b"), (1, shape, dtype, False, raw))


def zero_stride_bomb(n=10**12):
    return Reduce(np.ndarray, ((n,), np.dtype("f8"), b"\0" * 8, 0, (0,)))


def shape_bomb(n=10**10):
    return array_with(np.dtype("f8"), (n,), b"\0" * 8)


def frombuffer_bomb(n=10**10):
    return Reduce(_frombuffer, (b"\0" * 8, np.dtype("f8"), (n,), "C"))


def small_simulation() -> dict:
    cell = {"name": "c", "nseg": [2], "sections": {
        "name": ["soma"], "type": ["soma"], "parent": [-1], "parent_x": [0.0],
        "points": [np.array([[0, 0, 0], [10, 0, 0]], float)], "diameters": [np.ones(2)]}}
    return build_simulation_document([cell], np.arange(5.0), np.zeros((2, 5)))


def in_document(place: str, value) -> dict:
    """The small simulation with ``value`` at ``place`` (version, note, units, time)."""
    doc = small_simulation()
    if place == "version":
        doc["version"] = value
    elif place == "note":
        doc["meta"]["note"] = value
    elif place == "units":
        doc["units"]["values"] = value
    elif place == "time":
        doc["time"] = value
    return doc


def nesting_bomb(depth=200_000) -> bytes:
    """Lists nested ``depth`` deep, built by opcodes (no recursion needed to write it)."""
    return b"\x80\x04" + b"]" * depth + b"a" * (depth - 1) + b"."


def billion_laughs(levels=40):
    x: list = []
    for _ in range(levels):
        x = [x] * 10
    return x


def blenderspike(x_value):
    return [{"ID": 0, "type": "soma", "X": x_value, "Y": [0.0, 1.0], "Z": [0.0, 0.0],
             "DIAM": [1.0, 1.0], "Voltage": {0: [0.0], 1: [1.0]}}]


def code_payloads(marker: str) -> dict:
    """Classic payloads; each would create ``marker`` (or worse) if it ran."""
    return {
        "os.system": Reduce(os.system, (f"touch {marker}",)),
        "subprocess": Reduce(subprocess.Popen, (["touch", marker],)),
        "eval": Reduce(eval, (f"open({marker!r}, 'w')",)),
        "exec": Reduce(exec, (f"open({marker!r}, 'w')",)),
        "getattr": Reduce(getattr, (Reduce(__import__, ("os",)), "system")),
        "numpy.load": Reduce(np.load, (marker,)),
        "codecs-rot13": Reduce(codecs.encode, ("abc", "rot13")),
        "codecs-zlib": Reduce(codecs.encode, ("abc", "zlib_codec")),
    }


def pickle_payloads(marker: str) -> dict[str, bytes]:
    """Every hostile pickle by name."""
    out = {}
    for place in ("version", "note", "units", "time"):
        out[f"forged-object-dtype-in-{place}"] = pickle.dumps(
            in_document(place, array_with(forged_object_dtype())), 4)
        out[f"forged-float-dtype-in-{place}"] = pickle.dumps(
            in_document(place, array_with(forged_float_dtype(), (2,), b"\x41" * 16)), 4)
    out["forged-dtype-blenderspike-X"] = pickle.dumps(blenderspike(array_with(forged_object_dtype())), 2)
    out["zero-stride-bomb"] = pickle.dumps(in_document("time", zero_stride_bomb()), 4)
    out["shape-bomb"] = pickle.dumps(in_document("time", shape_bomb()), 4)
    out["frombuffer-bomb"] = pickle.dumps(in_document("time", frombuffer_bomb()), 5)
    out["encoding2-shape-bomb"] = pickle.dumps(
        {ENCODING_KEY: ENCODING, "data": {"format": "neuroblend.simulation",
                                          "time": {ARRAY_KEY: ("<f8", (10**12,), bytearray(8))}}}, 5)
    out["encoding2-object-dtype"] = pickle.dumps(
        {ENCODING_KEY: ENCODING, "data": {ARRAY_KEY: ("|O", (2,), bytearray(16))}}, 5)
    out["encoding2-naming-numpy"] = pickle.dumps(
        {ENCODING_KEY: ENCODING, "data": np.arange(3.0)}, 5)
    out["nesting-bomb"] = nesting_bomb()
    out["billion-laughs"] = pickle.dumps(in_document("note", billion_laughs()), 4)
    out["huge-units-string"] = pickle.dumps(in_document("units", "x" * 50_000), 4)
    out["huge-string"] = pickle.dumps(in_document("note", "x" * 3_000_000), 4)
    out["format-as-list"] = pickle.dumps(dict(small_simulation(), format=["a"]), 4)
    for name, payload in code_payloads(marker).items():
        for protocol in range(6):
            out[f"{name}-protocol{protocol}"] = pickle.dumps({"format": payload}, protocol)
    return out


# ------------------------------------------------------------------------ other file types

def npz_bomb(cells=300_000_000) -> bytes:
    """A small .npz whose member inflates to ``cells`` bytes of zeros (uint8)."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|u1", "fortran_order": False,
                                                  "shape": (cells // 1000, 1000)})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("z.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            chunk = bytes(1 << 24)
            for _ in range(cells // len(chunk)):
                member.write(chunk)
            member.write(bytes(cells % len(chunk)))
    return buf.getvalue()


def npy_forged_header(cells=10**10) -> bytes:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (cells // 10, 10)})
    return header.getvalue() + bytes(80)


def png_bomb(side=20_000) -> bytes:
    """A PNG header declaring side x side greyscale pixels with a tiny compressed body."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = zlib.compress(bytes(side + 1) * 64, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
