"""Benchmark: wall time and peak memory of the worst hostile inputs, each refused by the CLI
under a 4 GiB address-space limit, against a baseline measured in the same run: `inspect` of a
valid simulation file (the cost of starting the CLI and loading a file at all); render rows
compare with `render spike --no-render` of the valid file (bpy start-up included).

    .venv/bin/python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bridge"), str(ROOT / "tests")]

import hostile_payloads as hp  # noqa: E402
from cli_runner import run_cli  # noqa: E402

from neuroblend.files.fileformat import save_document  # noqa: E402

WORST = {  # name -> (file name, bytes or None for the builder below, command)
    "valid file (baseline)": ("sim.pkl", None, "inspect"),
    "zero-stride bomb (10^12 x f8)": ("zs.pkl", pickle.dumps(hp.in_document(
        "time", hp.zero_stride_bomb()), 4), "inspect"),
    "shape bomb (10^10 x f8)": ("sb.pkl", pickle.dumps(hp.in_document(
        "time", hp.shape_bomb()), 4), "inspect"),
    "forged object dtype": ("fd.pkl", pickle.dumps(hp.in_document(
        "note", hp.array_with(hp.forged_object_dtype())), 4), "inspect"),
    "nesting bomb (200k lists)": ("nb.pkl", hp.nesting_bomb(), "inspect"),
    "billion laughs (10^40 leaves)": ("bl.pkl", pickle.dumps(hp.in_document(
        "note", hp.billion_laughs()), 4), "inspect"),
    "3 M-character string": ("hs.pkl", pickle.dumps(hp.in_document("note", "x" * 3_000_000),
                                                     4), "inspect"),
    ".npz inflating to 300 MB": ("bomb.npz", hp.npz_bomb(), "heightmap"),
    ".npy header of 10^10 cells": ("forged.npy", hp.npy_forged_header(), "heightmap"),
    "PNG of 400 Mpixel": ("bomb.png", hp.png_bomb(), "heightmap"),
    "render: valid file (--no-render)": ("sim.pkl", None, "render"),
    "render: zero-stride bomb": ("zs.pkl", None, "render"),
    "render: 50 k-character units": ("hu.pkl", pickle.dumps(hp.in_document(
        "units", "x" * 50_000), 4), "render"),
}
COMMANDS = {
    "inspect": lambda name: ["inspect", name],
    "heightmap": lambda name: ["heightmap", name, "--out", "h.pkl"],
    "render": lambda name: ["render", "spike", name, "--out", "r", "--no-render"],
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        save_document(hp.small_simulation(), work / "sim.pkl")
        rows = []
        for label, (name, data, command) in WORST.items():
            if data is not None:
                (work / name).write_bytes(data)
            run = run_cli(COMMANDS[command](name), work, timeout=60)
            rows.append((label, (work / name).stat().st_size, run))
        base = rows[0][2]
        print(f"{'input':34} {'file':>10} {'exit':>4} {'seconds':>8} {'x base':>7} "
              f"{'peak MB':>8} {'x base':>7}")
        for label, size, run in rows:
            print(f"{label:34} {size:>10,} {run.returncode:>4} {run.seconds:>8.2f} "
                  f"{run.seconds / base.seconds:>7.2f} {run.peak_rss_mb:>8.0f} "
                  f"{run.peak_rss_mb / base.peak_rss_mb:>7.2f}")


if __name__ == "__main__":
    main()
