"""Benchmark: a 1080p, 64-sample spike frame on the CPU against the GPU (`render --device`).

    .venv/bin/python benchmarks/bench_device.py [--samples 64] [--resolution 1920x1080]

Simulates NEURON's pyramidal cell once (`neuroblend demo`, which also renders its own small
video), then renders its peak frame with `neuroblend render spike` on `--device cpu` (the
baseline, every core) and on every GPU backend Cycles lists here, each in its own process, and
prints the seconds and the speed-up. Target (issue 24): the GPU at least 10x the CPU. On a
machine without a GPU it says so and reports the CPU alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEUROBLEND = [sys.executable, "-m", "neuroblend"]


def gpu_backends() -> dict:
    """What Cycles lists here, by backend (in a fresh process, as a render sees it)."""
    code = (f"import json, sys; sys.path.insert(0, {str(REPO / 'bridge')!r}); "
            "from neuroblend.blender.core.devices import gpu_devices; "
            "print(json.dumps(gpu_devices()))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    import json

    return json.loads(run.stdout.strip().splitlines()[-1])


def render_seconds(sim: Path, out: Path, device: str, resolution: str, samples: int) -> float:
    started = time.perf_counter()
    subprocess.run([*NEUROBLEND, "render", "spike", str(sim), "--out", str(out), "--device",
                    device, "--resolution", resolution, "--samples", str(samples)],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--resolution", default="1920x1080")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-device-"))
    subprocess.run([*NEUROBLEND, "demo", "--out", str(work), "--resolution", "64x36",
                    "--samples", "1"], check=True, capture_output=True)
    sim = work / "pyramid_sim.pkl"
    backends = gpu_backends()
    print(f"a {args.resolution}, {args.samples}-sample peak frame of pyramid.nrn "
          "(`neuroblend render spike`, one process each, scene build included)")
    cpu = render_seconds(sim, work / "cpu", "cpu", args.resolution, args.samples)
    print(f"  cpu (baseline, every core)  {cpu:7.2f} s")
    if not any(backends.values()):
        print("  no GPU: Cycles lists only the CPU on this machine; run this where a GPU is "
              "(the target is 10x the CPU)")
        return 0
    for backend, names in backends.items():
        if names:
            seconds = render_seconds(sim, work / backend, backend, args.resolution, args.samples)
            print(f"  {backend:5s} ({', '.join(names)})  {seconds:7.2f} s   "
                  f"{cpu / seconds:5.1f}x the CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
