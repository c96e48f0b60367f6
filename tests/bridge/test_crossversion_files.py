"""Files written under numpy 1 load under numpy 2 and the reverse.

The fixtures in tests/fixtures/crossversion/ were written by ``tests/crossversion_docs.py`` under
numpy 1.26 (Blender 4.2-5.0's Python 3.11) and numpy 2 (5.1+'s Python 3.13); whichever numpy runs
this test must read both sets to the same arrays that the builders make here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.files.fileformat import load_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import crossversion_docs as cv  # noqa: E402

FORMATS = {"simulation": "neuroblend.simulation", "heightmap": "neuroblend.heightmap",
           "atlas": "neuroblend.atlas"}


def assert_same(loaded, built, where: str = "doc") -> None:
    """Equal structure, values and array dtypes (NaNs equal), ignoring provenance metadata."""
    if isinstance(built, dict):
        assert set(loaded) == set(built), where
        for key in built:
            if key not in ("meta", "path"):  # provenance: when, where from
                assert_same(loaded[key], built[key], f"{where}.{key}")
    elif isinstance(built, (list, tuple)):
        assert len(loaded) == len(built), where
        for i, (a, b) in enumerate(zip(loaded, built, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(built, np.ndarray):
        assert isinstance(loaded, np.ndarray) and loaded.dtype == built.dtype, where
        np.testing.assert_array_equal(loaded, built, err_msg=where)
    else:
        assert loaded == built, where


@pytest.fixture(scope="module")
def built():
    with pytest.warns():  # the heightmap's NaN hole is reported
        heightmap = cv.heightmap_doc()
    return {"simulation": cv.simulation_doc(), "heightmap": heightmap, "atlas": cv.atlas_doc()}


@pytest.mark.parametrize("numpy_major", [1, 2])
@pytest.mark.parametrize("kind", cv.KINDS)
def test_file_written_under_either_numpy_loads_here(built, kind, numpy_major):
    path = cv.FIXTURES / cv.fixture_name(kind, numpy_major)
    assert path.is_file(), f"missing fixture {path}: run tests/crossversion_docs.py under numpy {numpy_major}"
    doc = load_document(path, expect=FORMATS[kind])
    assert_same(doc, built[kind])
