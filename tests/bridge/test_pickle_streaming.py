"""save_pickle streams arrays into the file without copying them, and writes exactly the bytes of
the plain encoding-2 form (each array a bytearray of its C-order bytes)."""

from __future__ import annotations

import pickle

import numpy as np

from neuroblend.files.safe_pickle import ENCODING, ENCODING_KEY, PROTOCOL, load_pickle, save_pickle


def _plain(obj):
    if isinstance(obj, np.ndarray):
        arr = np.ascontiguousarray(obj)
        return {"__neuroblend_array__": (arr.dtype.str, tuple(arr.shape),
                                         bytearray(arr.tobytes()))}
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def test_streamed_file_has_the_plain_encoding_bytes(tmp_path):
    frozen = np.arange(6, dtype=np.int64)
    frozen.flags.writeable = False
    doc = {"values": np.random.default_rng(0).random((40, 30)).astype(np.float32),
           "mask": np.array([True, False, True]), "fortran": np.asfortranarray(np.ones((3, 4))),
           "frozen": frozen, "empty": np.zeros((0, 3), np.float32),
           "nested": [{"big_endian": np.arange(5, dtype=">i4")}], "name": "x"}
    save_pickle(doc, tmp_path / "d.pkl")
    expected = pickle.dumps({ENCODING_KEY: ENCODING, "data": _plain(doc)}, protocol=PROTOCOL)
    assert (tmp_path / "d.pkl").read_bytes() == expected
    back = load_pickle(tmp_path / "d.pkl")
    np.testing.assert_array_equal(back["values"], doc["values"])
    np.testing.assert_array_equal(back["fortran"], doc["fortran"])
