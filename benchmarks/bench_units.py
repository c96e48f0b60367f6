"""Recorded units: building the render of 1,000 units with 1,000,000 spikes, and what a frame
of its playback costs against a static frame of the same scene.

    .venv/bin/python benchmarks/bench_units.py [--frames 20] [--nwb]

The units file (tests/units_docs.py ``random_units``: 1,000 units in a 2 mm cube, 1,000,000
spikes over 100 s) is saved, then ``units_scene.build_units_scene`` loads it, bakes the flashes (real time
at 30 fps: 3,001 frames) and builds the scene; its wall time is the build figure (target < 20 s).
Then, Cycles CPU 320x240, 16 samples, persistent data: consecutive frames against re-rendering
one frame (target: consecutive <= 1.5x static). ``--nwb`` also writes the same units to an NWB
file and times ``neuroblend import nwb`` of the whole session and of a 1 s window (lazy reads).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import units_docs  # noqa: E402

from neuroblend.blender.core import studio  # noqa: E402
from neuroblend.blender.jobs import render_units  # noqa: E402
from neuroblend.blender.units import units_scene  # noqa: E402
from neuroblend.files.fileformat import save_document  # noqa: E402
from neuroblend.nwb.render_options import UnitsRenderOptions  # noqa: E402

N_UNITS, N_SPIKES, SPAN_MS = 1000, 1_000_000, 100_000.0


def render_frames(scene, frames) -> float:
    """Median wall seconds per rendered frame of ``frames`` (frame_set excluded)."""
    walls = []
    for frame in frames:
        scene.frame_set(frame)
        start = time.perf_counter()
        bpy.ops.render.render(scene=scene.name)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def build(path: Path, out: Path):
    options = UnitsRenderOptions(input=path, out=out)
    start = time.perf_counter()
    scene = render_units.studio_scene(options)
    _built, plan = units_scene.build_units_scene(options, scene)
    return time.perf_counter() - start, scene, plan


def frame_costs(scene, n_frames: int) -> tuple[float, float]:
    studio.setup_studio_scene(scene, resolution=(320, 240), samples=16, denoise=False,
                              bloom=False)
    scene.render.use_persistent_data = True
    first = scene.frame_current
    render_frames(scene, [first])  # warm-up: first sync, kernels
    consecutive = render_frames(scene, range(first + 1, first + 1 + n_frames))
    static = render_frames(scene, [first + n_frames] * 5)
    return consecutive, static


def nwb_imports(doc: dict, folder: Path) -> None:
    """Write the units to NWB (pynwb) and time the import, whole and windowed."""
    from pynwb import NWBHDF5IO
    from pynwb.testing.mock.ecephys import mock_ElectrodeGroup
    from pynwb.testing.mock.file import mock_NWBFile

    nwb = mock_NWBFile()
    group = mock_ElectrodeGroup(nwbfile=nwb)
    for x, y, z in doc["electrodes"]["position_um"]:
        nwb.add_electrode(x=float(x), y=float(y), z=float(z), location="CA3", group=group,
                          group_name=group.name)
    o = doc["spike_offsets"]
    for u in range(len(o) - 1):
        nwb.add_unit(spike_times=doc["spike_times"][o[u]:o[u + 1]] / 1000.0, electrodes=[u])
    path = folder / "bench.nwb"
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    bridge = Path(__file__).resolve().parents[1] / "bridge"
    for label, extra in (("whole session", []), ("1 s window", ["--time-window", "50", "51"])):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "neuroblend", "import", "nwb", str(path), "--out",
                        str(folder / "u.pkl"), *extra], check=True, cwd=folder,
                       env={"PYTHONPATH": str(bridge)})
        print(f"  import nwb, {label}: {time.perf_counter() - start:.2f} s "
              f"(file {path.stat().st_size / 1e6:.1f} MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--nwb", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        doc = units_docs.random_units(N_UNITS, N_SPIKES, SPAN_MS)
        save_document(doc, folder / "units.pkl")
        seconds, scene, plan = build(folder / "units.pkl", folder)
        print(f"{N_UNITS:,} units, {N_SPIKES:,} spikes, {plan.frames:,} frames baked: "
              f"scene built in {seconds:.2f} s (target < 20 s)")
        consecutive, static = frame_costs(scene, args.frames)
        print(f"Cycles CPU 320x240, 16 samples: consecutive {consecutive:.3f} s/frame, static "
              f"frame {static:.3f} s/frame, ratio {consecutive / static:.2f}x (target <= 1.5x)")
        if args.nwb:
            nwb_imports(doc, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
