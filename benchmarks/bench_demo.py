"""The demo's video against the code before issue #14, measured in the same run.

    .venv/bin/python benchmarks/bench_demo.py [--baseline a73394f] [--runs 2]

Runs ``python -m neuroblend demo`` (NEURON's pyramid.nrn, 91 frames at 640x360, 8 samples, bloom,
time label and colorbar) in turn for:
- baseline: the ``--baseline`` commit, checked out into a temporary git worktree;
- whole frames: this tree with the render region switched off (``NEUROBLEND_RENDER_REGION=0``);
- this tree as it ships.
``--runs`` rounds, each running the three once, so machine load hits them alike. Reported: the
video's seconds per frame (from Blender's "Video append frame" timestamps), the demo's whole wall
and CPU time, and each one's median ratio to the baseline. Target (#14): the video >= 2x faster.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPEND = re.compile(r"^(\d+):(\d+\.\d+)\s+render\s+\| Video append frame (\d+)", re.M)


def video_seconds_per_frame(log: str) -> float:
    """Mean seconds between Blender's first and last "Video append frame" lines."""
    stamps = [(int(frame), int(minutes) * 60 + float(seconds))
              for minutes, seconds, frame in APPEND.findall(log)]
    if len(stamps) < 2:
        raise SystemExit(f"no video progress in the demo's output:\n{log[-2000:]}")
    (first, t0), (last, t1) = stamps[0], stamps[-1]
    return (t1 - t0) / (last - first)


def run_demo(bridge: Path, out: Path, region: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(bridge), "NEUROBLEND_RENDER_REGION": "1" if region else "0"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "neuroblend", "demo", "--out", str(out)],
                          env=env, capture_output=True, text=True, cwd=out.parent)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"demo failed ({bridge}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "video": video_seconds_per_frame(proc.stdout + proc.stderr)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="a73394f", help="commit to compare with")
    parser.add_argument("--runs", type=int, default=2, help="rounds of the three demos")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nb-bench-demo-") as tmp:
        tmp = Path(tmp)
        baseline = tmp / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(baseline),
                        args.baseline], check=True, capture_output=True)
        try:
            kinds = {"baseline": (baseline / "bridge", True),
                     "whole frames": (ROOT / "bridge", False),
                     "render region": (ROOT / "bridge", True)}
            results: dict[str, list[dict]] = {kind: [] for kind in kinds}
            for round_ in range(args.runs):
                for kind, (bridge, region) in kinds.items():
                    result = run_demo(bridge, tmp / f"{kind.replace(' ', '_')}_{round_}", region)
                    results[kind].append(result)
                    print(f"run {round_ + 1} {kind:14s} video {result['video']:.3f} s/frame, "
                          f"demo {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                           capture_output=True)
    base = {key: statistics.median(r[key] for r in results["baseline"]) for key in ("video", "wall", "cpu")}
    print(f"\nmedians of {args.runs} runs (baseline {args.baseline}):")
    for kind, runs in results.items():
        med = {key: statistics.median(r[key] for r in runs) for key in ("video", "wall", "cpu")}
        print(f"  {kind:14s} video {med['video']:.3f} s/frame ({base['video'] / med['video']:.2f}x), "
              f"demo {med['wall']:.1f} s wall ({base['wall'] / med['wall']:.2f}x), "
              f"{med['cpu']:.1f} s CPU ({base['cpu'] / med['cpu']:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
