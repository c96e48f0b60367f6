"""Benchmark: `neuroblend film` caching on the example storyboard.

Runs examples/storyboard.toml (the demo cell, simulated on first use) four ways in a fresh cache,
in the same process: the first build (baseline), an unchanged re-run (cache hit: nothing renders,
the video is reused), a re-run with one clip option changed (only that clip and the composition),
and prints each as a fraction of the first.

    .venv/bin/python benchmarks/bench_film.py [--preview] [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bridge"))

from neuroblend.film import build_film, load_storyboard  # noqa: E402


def timed(board_path: Path, out: Path, preview: bool):
    started = time.perf_counter()
    report = build_film(load_storyboard(board_path), out, preview=preview, log=lambda _: None)
    return time.perf_counter() - started, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preview", action="store_true")
    parser.add_argument("--out", type=Path, help="keep the work here (default: a temp folder)")
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="bench-film-"))
    work.mkdir(parents=True, exist_ok=True)
    board = work / "storyboard.toml"
    shutil.copy(REPO / "examples" / "storyboard.toml", board)
    out = work / ("film_preview.mp4" if args.preview else "film.mp4")
    first, report = timed(board, out, args.preview)
    hit, hit_report = timed(board, out, args.preview)
    board.write_text(board.read_text().replace('cmap = "plasma"', 'cmap = "magma"'))
    changed, changed_report = timed(board, out, args.preview)
    mode = "preview" if args.preview else "final"
    print(f"\nexample storyboard, {mode}: {report.frames} frames -> {out}")
    print(f"  first build (baseline)   {first:8.1f} s   rendered {', '.join(report.rendered)}")
    print(f"  unchanged re-run         {hit:8.2f} s   {hit / first:6.1%} of the first; rendered "
          f"{', '.join(hit_report.rendered) or 'nothing'}, composed: {hit_report.composed}")
    print(f"  one clip option changed  {changed:8.1f} s   {changed / first:6.1%} of the first; "
          f"rendered {', '.join(changed_report.rendered)}")
    if args.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
