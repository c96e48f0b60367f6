"""The restricted unpickler and `neuroblend inspect`'s handling of files that are not ours."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import OrderedDict

import numpy as np
import pytest

from neuroblend.errors import FileFormatError
from neuroblend.files.fileformat import check_document, load_document
from neuroblend.files.safe_pickle import load_pickle, save_pickle


class _CreatesFile:
    """A malicious payload: unpickling it would create a file."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (os.system, (f"touch {self.target}",))


class _SomeProgramsObject:
    pass


def test_plain_data_round_trips(tmp_path):
    data = {
        "f32": np.arange(12, dtype=np.float32).reshape(3, 4),
        "f64": np.linspace(0, 1, 5),
        "ints": np.array([1, -2], dtype=np.int32),
        "strs": ["soma", "dend[0]"],
        "scalar": np.float64(2.5),
        "nested": {"t": (1, 2.0, "x", None, True), "s": {1, 2}, "c": 1 + 2j},
        "od": OrderedDict(a=1),
        "bytes": b"\x00\x01",
        "fortran": np.asfortranarray(np.ones((3, 2), dtype=np.float32)),
    }
    path = tmp_path / "plain.pkl"
    save_pickle(data, path)
    loaded = load_pickle(path)
    assert loaded["strs"] == data["strs"] and loaded["nested"] == data["nested"]
    np.testing.assert_array_equal(loaded["f32"], data["f32"])
    assert loaded["f32"].dtype == np.float32
    np.testing.assert_array_equal(loaded["fortran"], data["fortran"])
    assert loaded["scalar"] == 2.5


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_numpy_arrays_load_from_every_protocol(tmp_path, protocol):
    path = tmp_path / "p.pkl"
    path.write_bytes(pickle.dumps({"a": np.arange(4.0)}, protocol=protocol))
    np.testing.assert_array_equal(load_pickle(path)["a"], np.arange(4.0))


def test_malicious_pickle_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"format": "x", "payload": _CreatesFile(marker)}))
    with pytest.raises(FileFormatError, match=r"refused to load pickle: it refers to posix\.system"):
        load_pickle(path)
    assert not marker.exists()


def test_malicious_pickle_via_cli_exit_code_2(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(_CreatesFile(marker)))
    proc = _inspect(path)
    assert proc.returncode == 2
    assert "refused to load pickle" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not marker.exists()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "file is empty"),
        (lambda p: p.write_text("x,y\n1,2\n"), "not a pickle file"),
        (lambda p: p.write_bytes(pickle.dumps({"a": np.arange(1000.0)})[:200]), "truncated or corrupt"),
        (lambda p: p.write_bytes(pickle.dumps(_SomeProgramsObject())), "_SomeProgramsObject"),
        (lambda p: p.write_bytes(pickle.dumps({"a": 1})), "missing format, version"),
        (lambda p: p.write_bytes(pickle.dumps([1, 2, 3])), "holds a list"),
    ],
    ids=["missing", "directory", "empty", "text", "truncated", "other-program", "no-header", "list"],
)
def test_bad_files_get_one_clear_line(tmp_path, make, message):
    path = tmp_path / "input.pkl"
    make(path)
    with pytest.raises(FileFormatError, match=message):
        load_document(path)
    proc = _inspect(path)
    assert proc.returncode == 2, proc.stderr
    assert message.split(",")[0] in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_document_header_checks():
    with pytest.raises(FileFormatError, match="unknown format 'neuroblend.banana'"):
        check_document({"format": "neuroblend.banana", "version": 1, "units": {}, "meta": {}})


def _inspect(path):
    return subprocess.run([sys.executable, "-m", "neuroblend", "inspect", str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("protocol", [0, 1, 2, 5])
def test_legacy_arrays_of_every_allowed_kind_load(protocol):
    from neuroblend.files.safe_pickle import loads_pickle

    data = {"be": np.arange(4, dtype=">f4"), "b": np.array([True, False]),
            "u16": np.arange(3, dtype=np.uint16), "f16": np.ones(2, np.float16),
            "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)), "s": np.int64(7)}
    loaded = loads_pickle(pickle.dumps(data, protocol))
    for key, value in data.items():
        np.testing.assert_array_equal(loaded[key], value)
        assert np.asarray(loaded[key]).dtype == np.asarray(value).dtype


def test_shared_array_data_may_not_multiply_memory():
    """One 1 MiB byte string reused by 64 legacy arrays would claim 64 MiB from a 1 MiB file."""
    import hostile_payloads as hp

    from neuroblend.files.safe_pickle import loads_pickle

    raw = bytes(1 << 20)
    arrays = [hp.array_with(np.dtype("u1"), (1 << 20,), raw) for _ in range(64)]
    with pytest.raises(FileFormatError, match="claim much more memory than the file holds"):
        loads_pickle(pickle.dumps(arrays, 4))


def test_encoding2_round_trip_keeps_dtypes_and_byte_order():
    from neuroblend.files.safe_pickle import dumps_pickle, loads_pickle

    data = {"be": np.arange(3, dtype=">i4"), "empty": np.zeros((0, 3), np.float32),
            "scalar": np.float32(1.5), "t": (1, "a"), "set": {1, 2}}
    loaded = loads_pickle(dumps_pickle(data))
    assert loaded["be"].dtype == np.dtype(">i4") and loaded["empty"].shape == (0, 3)
    assert loaded["scalar"] == np.float32(1.5) and loaded["t"] == (1, "a")
    assert loaded["set"] == {1, 2}
