"""Regenerate the README gallery (``docs/gallery/*.png``): ``make gallery``.

Simulates NEURON's bundled pyramid.nrn and builds synthetic reconstructions
(``neuroblend.spike.synthetic_cells``), then renders each shot through the public CLI
(``neuroblend render spike``) at 480x270, so the gallery shows exactly what users get.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bridge"))
OUT = REPO / "docs" / "gallery"
SIZE = ["--resolution", "480x270", "--samples", "16"]

# name -> (input, frame, extra render options)
SHOTS = {
    "pyramid_rest": ("pyramid", 1, []),
    "pyramid_spike": ("pyramid", 27, []),
    "pyramid_soma_closeup": ("pyramid", 24, ["--camera", "soma", "--smoothing", "1",
                                             "--no-colorbar"]),
    "projection_axon_spike": ("projection", 57, []),
    "pyramidal_and_stellate": ("pair", 49, []),
}


def neuroblend(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "neuroblend", *args], check=True)


def inputs(folder: Path) -> dict:
    from neuroblend.cli.demo import pyramid_path
    from neuroblend.files.fileformat import save_document
    from neuroblend.spike import synthetic_cells

    paths = {name: folder / f"{name}.pkl" for name in ("pyramid", "projection", "pair")}
    neuroblend("simulate", str(pyramid_path()), "--trust-code", "--out", str(paths["pyramid"]), "--tstop", "20",
               "--sample-every", "0.25")
    save_document(synthetic_cells.spiking_document(("projection",), tstop=30.0),
                  paths["projection"])
    save_document(synthetic_cells.spiking_document(("pyramidal", "stellate"), tstop=20.0),
                  paths["pair"])
    return paths


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = inputs(folder)
        for name, (source, frame, extra) in SHOTS.items():
            shot = folder / name
            neuroblend("render", "spike", str(paths[source]), "--out", str(shot), "--frames",
                       f"{frame}-{frame}", *SIZE, *extra)
            shutil.copyfile(shot / f"frame_{frame:04d}.png", OUT / f"{name}.png")
            print(f"gallery: {OUT / name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
