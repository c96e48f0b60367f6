"""Generate ``bridge/neuroblend/data/colormaps.npz`` from matplotlib's registered colormaps.

Run with the dev environment (matplotlib needed): ``python scripts/generate_colormaps.py``.
Stores every forward colormap (names ending in ``_r`` are derived at load time by reversing) as a
256-entry float32 sRGB RGBA lookup table: entry ``i`` is the colormap at the texel centre
``(i + 0.5) / 256``, which reproduces matplotlib's own lookup exactly for 256-colour maps, plus
the ColorRamp stops ``neuroblend.colormaps.luts.fit_ramp`` fits for each (so fitting is a lookup).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bridge"))
DEFAULT_OUT = REPO / "bridge" / "neuroblend" / "data" / "colormaps.npz"


def collect() -> dict[str, np.ndarray]:
    """Arrays for the data file: names, sRGB LUTs, each map's own colour count and its fitted
    ColorRamp stops for 2..32 stops (``fit_nodes[map, stops - 2]``, padded with -1)."""
    import matplotlib

    from neuroblend.colormaps.luts import LUT_SIZE, MAX_STOPS, MIN_STOPS, interpolation_for
    from neuroblend.colormaps.ramp_fit import optimal_stop_nodes

    registered = set(matplotlib.colormaps)
    names = sorted(n for n in registered if not (n.endswith("_r") and n[:-2] in registered))
    centres = (np.arange(LUT_SIZE) + 0.5) / LUT_SIZE
    luts = np.stack([matplotlib.colormaps[n](centres) for n in names]).astype(np.float32)
    n_colors = np.array([matplotlib.colormaps[n].N for n in names], dtype=np.int32)
    fit_nodes = np.full((len(names), MAX_STOPS - MIN_STOPS + 1, MAX_STOPS), -1, dtype=np.int16)
    for i, lut in enumerate(luts):
        for j, nodes in enumerate(optimal_stop_nodes(lut, interpolation_for(n_colors[i]))):
            fit_nodes[i, j, :len(nodes)] = nodes
    return {
        "names": np.array(names),
        "luts_srgb": luts,
        "n_colors": n_colors,
        "fit_nodes": fit_nodes,
        "matplotlib_version": np.array(matplotlib.__version__),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output .npz (default: %(default)s)")
    args = parser.parse_args(argv)
    from neuroblend.files.atomic import atomic_path

    arrays = collect()
    with atomic_path(args.out) as tmp:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
    size_kb = Path(args.out).stat().st_size / 1024
    print(f"wrote {len(arrays['names'])} colormaps (+ their _r reverses) to {args.out} "
          f"({size_kb:.0f} KB, matplotlib {arrays['matplotlib_version']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
