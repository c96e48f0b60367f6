"""Render each kind through the ``neuroblend`` CLI and check every output exists and is not black.

    python scripts/smoke_render_matrix.py [--out DIR]

Run by ``make test-blender BPY=<version>`` after the tests, with that version's venv: spike,
surface and atlas renders of the small committed files in tests/fixtures/crossversion/ (written
under numpy 1, so a numpy-2 Blender also proves it reads them), the studio template, a colorbar
and a compose of the spike frame with the colorbar. Small and fast: 160x120, 4 samples.
Prints one line per kind (seconds, lit pixels) and exits 1 if any kind failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "crossversion"
RENDER = ["--resolution", "160x120", "--samples", "4", "--frames", "1-1"]
LIT = 16  # a pixel with a channel above this (of 255) is not black
MIN_LIT_FRACTION = 0.005


def commands(out: Path) -> dict[str, tuple[list[str], Path]]:
    """{kind: (CLI arguments after ``neuroblend``, the PNG it must write)}."""
    return {
        "spike": (["render", "spike", str(FIXTURES / "simulation-numpy1.pkl"), "--out",
                   str(out / "spike"), *RENDER], out / "spike" / "frame_0001.png"),
        "surface": (["render", "surface", str(FIXTURES / "heightmap-numpy1.pkl"), "--out",
                     str(out / "surface"), *RENDER], out / "surface" / "frame_0001.png"),
        "atlas": (["render", "atlas", str(FIXTURES / "atlas-numpy1.pkl"), "--out",
                   str(out / "atlas"), *RENDER], out / "atlas" / "frame_0001.png"),
        "studio": (["render", "studio", "--out", str(out / "studio"), *RENDER],
                   out / "studio" / "frame_0001.png"),
        "colorbar": (["colorbar", "viridis", "--out", str(out / "colorbar.png"),
                      "--size", "128x16", "--samples", "4"], out / "colorbar.png"),
        "compose": (["compose", str(out / "spike" / "frame_0001.png"),
                     f"{out / 'colorbar.png'}:y=-40,opacity=0.8", "--out", str(out / "compose"),
                     "--frames", "1-1"], out / "compose" / "frame_0001.png"),
    }


def lit_fraction(png: Path) -> float:
    """Share of pixels with any colour channel above ``LIT``."""
    rgb = np.asarray(Image.open(png).convert("RGB"))
    return float((rgb.max(axis=-1) > LIT).mean())


def run_kind(kind: str, argv: list[str], png: Path) -> tuple[bool, str]:
    """Run one CLI command; (ok, one-line report)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "neuroblend", *argv], capture_output=True,
                          text=True, timeout=600)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return False, f"{kind:9s} FAILED (exit {proc.returncode}, {seconds:.1f} s): {' | '.join(tail)}"
    if not png.is_file():
        return False, f"{kind:9s} FAILED: {png} was not written"
    lit = lit_fraction(png)
    ok = lit >= MIN_LIT_FRACTION
    verdict = "ok" if ok else "FAILED (black)"
    return ok, f"{kind:9s} {verdict:14s} {seconds:6.1f} s  {lit:6.1%} lit  {png}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the renders here (default: a temp dir)")
    args = parser.parse_args(argv)
    import bpy  # noqa: F401  (the version line below)

    print(f"render smoke test: Blender {bpy.app.version_string}, numpy {np.__version__}, "
          f"Python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="nb-smoke-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        failed = 0
        for kind, (cli, png) in commands(out).items():
            ok, line = run_kind(kind, cli, png)
            failed += not ok
            print(line, flush=True)
    print(f"render smoke test: {len(commands(out)) - failed}/{len(commands(out))} kinds ok", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
