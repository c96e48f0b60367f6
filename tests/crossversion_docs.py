"""Small simulation, heightmap and atlas documents, built the same way under any numpy.

``python tests/crossversion_docs.py`` writes them to ``tests/fixtures/crossversion/`` as
``<kind>-numpy<major>.pkl``: run it once under numpy 1 and once under numpy 2 (e.g. with
``.venv-bpy-4.2.23/bin/python`` and ``.venv-bpy-5.3.0/bin/python``) and commit both sets;
``tests/bridge/test_crossversion_files.py`` then loads every file under whichever numpy runs it.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "crossversion"
KINDS = ("simulation", "heightmap", "atlas")


def simulation_doc() -> dict:
    """The toy cell of the Blender tests (7 compartments, a spike at 5 ms)."""
    sys.path.insert(0, str(HERE / "blender"))
    try:
        from spike_docs import toy_document
    finally:
        sys.path.remove(str(HERE / "blender"))
    return toy_document(1)


def heightmap_doc() -> dict:
    """Two 12x16 frames of a tilted bump, with one NaN hole."""
    from neuroblend.surface.heightmap import make_heightmap

    y, x = np.mgrid[-1:1:12j, -1:1:16j]
    z = np.stack([np.exp(-(x**2 + y**2) * 3) + 0.1 * x, np.exp(-(x**2 + y**2) * 2) - 0.1 * y])
    z[0, 3, 4] = np.nan
    return make_heightmap(z, extent=(-1.0, 1.0, -0.75, 0.75), source="crossversion fixture")


def atlas_doc() -> dict:
    """Regions CA3 and RO of the synthetic v2-layout atlas."""
    sys.path.insert(0, str(HERE))
    try:
        import atlas_fixtures
    finally:
        sys.path.remove(str(HERE))
    from neuroblend.atlas import atlas_export
    from neuroblend.atlas import brainglobe as atlas

    with tempfile.TemporaryDirectory() as tmp:
        name = atlas_fixtures.build_v2_atlas(Path(tmp))
        doc, _warnings = atlas_export.export_regions(atlas.open_atlas(name, Path(tmp)), ["CA3", "RO"])
    return doc


BUILDERS = {"simulation": simulation_doc, "heightmap": heightmap_doc, "atlas": atlas_doc}


def fixture_name(kind: str, numpy_major: int) -> str:
    return f"{kind}-numpy{numpy_major}.pkl"


def main() -> int:
    from neuroblend.files.fileformat import save_document

    FIXTURES.mkdir(parents=True, exist_ok=True)
    major = int(np.__version__.split(".")[0])
    for kind, build in BUILDERS.items():
        if kind == "heightmap":
            warnings.simplefilter("ignore")  # the NaN hole is on purpose
        path = FIXTURES / fixture_name(kind, major)
        save_document(build(), path)
        print(f"{path} ({path.stat().st_size} bytes, numpy {np.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
