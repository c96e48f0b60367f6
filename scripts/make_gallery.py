"""Regenerate the README gallery (``docs/gallery/*.png``, ``*.jpg``): ``make gallery``.

Simulates NEURON's bundled pyramid.nrn and builds synthetic reconstructions
(``neuroblend.spike.synthetic_cells``), then renders each shot through the public CLI
(``neuroblend render spike``) at 480x270, so the gallery shows exactly what users get.
The units still goes the NWB way: a synthetic BrainGlobe atlas and an NWB session (the tests'
fixtures: two shanks through CA3 and DG), ``import nwb --atlas``, ``atlas export``,
``render units``. The network, graph and atlas shots are 1920x1080 stills of ``simulate-network``
+ ``render spike``, ``clip network --save-data`` + ``render network`` and the synthetic atlas's
``render atlas``; the film still is a frame of ``examples/storyboard.toml`` at 1920x1080.
``python scripts/make_gallery.py network graph atlas film`` makes only those.
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
FULL_HD = ["--resolution", "1920x1080", "--samples", "16"]

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
    from neuroblend.files.fileformat import save_document
    from neuroblend.simulation.demo_cell import pyramid_path
    from neuroblend.spike import synthetic_cells

    paths = {name: folder / f"{name}.pkl" for name in ("pyramid", "projection", "pair")}
    neuroblend("simulate", str(pyramid_path()), "--trust-code", "--out", str(paths["pyramid"]), "--tstop", "20",
               "--sample-every", "0.25")
    save_document(synthetic_cells.spiking_document(("projection",), tstop=30.0),
                  paths["projection"])
    save_document(synthetic_cells.spiking_document(("pyramidal", "stellate"), tstop=20.0),
                  paths["pair"])
    return paths


def units_still(folder: Path) -> None:
    """``docs/gallery/units_in_atlas.png``: recorded units flashing in a synthetic atlas."""
    import numpy as np

    sys.path.insert(0, str(REPO / "tests"))
    import atlas_fixtures
    import nwb_fixtures

    atlas = atlas_fixtures.build_synthetic_atlas(folder / "brainglobe")
    half = 24
    depth = np.linspace(650, 1350, half)
    pos = np.vstack([np.column_stack([np.full(half, a), depth, np.full(half, 1300.0)])
                     for a in (2200.0, 2650.0)])
    nwb = nwb_fixtures.write_units_nwb(folder / "session.nwb", n_units=2 * half, max_spikes=300,
                                       positions=pos, shanks=[0] * half + [1] * half,
                                       space_note=f"coordinates in {atlas} space")
    bg = ["--brainglobe-dir", str(folder / "brainglobe")]
    neuroblend("import", "nwb", str(nwb), "--atlas", atlas, *bg, "--out", str(folder / "u.pkl"))
    neuroblend("atlas", "export", atlas, "--regions", "root", "HPF", "CA3", "DG", "--hemisphere",
               "right", *bg, "--out", str(folder / "hippo.pkl"))
    shot = folder / "units"
    neuroblend("render", "units", str(folder / "u.pkl"), "--atlas-file", str(folder / "hippo.pkl"),
               "--region-activity", "--view", "1,-0.4,0.3", "--out", str(shot), *SIZE)
    shutil.copyfile(next(shot.glob("frame_*.png")), OUT / "units_in_atlas.png")
    print(f"gallery: {OUT / 'units_in_atlas'}.png")


def _keep(shot: Path, name: str) -> None:
    """The shot's frame as ``docs/gallery/NAME.jpg`` (a 1080p PNG of fine lines is ~3 MB)."""
    from PIL import Image

    Image.open(next(shot.glob("frame_*.png"))).convert("RGB").save(
        OUT / f"{name}.jpg", quality=90, optimize=True)
    print(f"gallery: {OUT / name}.jpg")


def network_still(folder: Path) -> None:
    """``docs/gallery/network.jpg``: 20 pyramidal cells, their connections and the spreading
    activity (``simulate-network`` + ``render spike``)."""
    net = folder / "cells.pkl"
    neuroblend("simulate-network", "--cells", "20", "--out", str(net))
    neuroblend("render", "spike", str(net), "--out", str(folder / "network"), *FULL_HD)
    _keep(folder / "network", "network")


def graph_still(folder: Path) -> None:
    """``docs/gallery/graph.jpg``: the rearranging graph as its layers settle (the README's
    ``clip network --save-data`` + ``render network``)."""
    net = folder / "graph.pkl"
    neuroblend("clip", "network", "--layers", "10", "--neurons", "100", "--steps", "300",
               "--save-data", str(net), "--edges", "0.02", "--layout", "graph", "--rearrange",
               "30-90", "--frames", "1-1", "--quiet", "--out", str(folder / "graph_clip"))
    neuroblend("render", "network", str(net), "--rearrange", "30-90", "--frames", "80-80",
               "--out", str(folder / "graph"), *FULL_HD)
    _keep(folder / "graph", "graph")


def atlas_still(folder: Path) -> None:
    """``docs/gallery/atlas.jpg``: regions of the synthetic atlas inside the glass brain."""
    sys.path.insert(0, str(REPO / "tests"))
    import atlas_fixtures

    atlas = atlas_fixtures.build_synthetic_atlas(folder / "brainglobe")
    regions = folder / "regions.pkl"
    neuroblend("atlas", "export", atlas, "--regions", "root", "HPF", "RO", "MID",
               "--descendants", "--brainglobe-dir", str(folder / "brainglobe"), "--out",
               str(regions))
    neuroblend("render", "atlas", str(regions), "--out", str(folder / "atlas"), *FULL_HD)
    _keep(folder / "atlas", "atlas")


def film_still(folder: Path, at: float = 2.2) -> None:
    """``docs/gallery/film.jpg``: a frame of the example film (``examples/storyboard.toml``)
    at 1920x1080, ``at`` seconds in: the dolly, the trace clip and the title together (built
    at 10 fps to keep it short; the frame is the one a 30 fps film shows then)."""
    from neuroblend.video_encode import ffmpeg_exe

    board = (REPO / "examples" / "storyboard.toml").read_text()
    board = board.replace("size = [960, 540]", "size = [1920, 1080]").replace("fps = 30",
                                                                          "fps = 10")
    (folder / "film.toml").write_text(board)
    neuroblend("film", str(folder / "film.toml"), "--out", str(folder / "film.mp4"))
    subprocess.run([ffmpeg_exe(), "-v", "error", "-ss", f"{at}", "-i", str(folder / "film.mp4"),
                    "-frames:v", "1", str(folder / "film_frame.png")], check=True)
    (folder / "film_still").mkdir()
    shutil.move(folder / "film_frame.png", folder / "film_still" / "frame_0001.png")
    _keep(folder / "film_still", "film")


STILLS = {"atlas": atlas_still, "graph": graph_still, "network": network_still,
          "film": film_still}


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, still in STILLS.items():
            if not only or name in only:
                still(folder)
        if only:
            return 0
        paths = inputs(folder)
        for name, (source, frame, extra) in SHOTS.items():
            shot = folder / name
            neuroblend("render", "spike", str(paths[source]), "--out", str(shot), "--frames",
                       f"{frame}-{frame}", *SIZE, *extra)
            shutil.copyfile(shot / f"frame_{frame:04d}.png", OUT / f"{name}.png")
            print(f"gallery: {OUT / name}.png")
        units_still(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
