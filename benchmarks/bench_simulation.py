"""Benchmark: NEURON's pyramid.nrn, 100 ms at dt 0.025, every compartment recorded.

Targets (issue #4): simulate + write < 5 s; file size within 10% of 4 bytes x compartments x
samples; load < 0.2 s. Baselines measured in the same run: the same simulation with no
recording (NEURON alone), and a naive recorder reading every segment from Python each step.
Each measurement runs in a fresh process (NEURON's ``h`` is a singleton).

    .venv/bin/python benchmarks/bench_simulation.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

TSTOP, DT = 100.0, 0.025

SETUP = f"""
    import json, time
    from pathlib import Path
    import neuron
    from neuroblend.simulation import neuron_morphology, neuron_sim
    from neuroblend.simulation.simulation_settings import SimulationSettings
    settings = SimulationSettings(tstop={TSTOP}, dt={DT}, trust_code=True)
    pyramid = Path(neuron.__file__).parent / ".data/share/nrn/demo/pyramid.nrn"
"""

PHASES = {
    "neuron_alone": SETUP + """
    sections = neuron_morphology.load_morphology(pyramid, trust_code=True)
    neuron_sim.apply_default_biophysics(sections)
    neuron_sim.set_nseg_by_d_lambda(sections)
    keep = neuron_sim.add_stimulus(sections, settings)
    start = time.perf_counter()
    neuron_sim.run(settings.tstop, settings.dt, settings.v_init, progress=lambda s: None)
    print(json.dumps({"seconds": time.perf_counter() - start}))
    """,
    "naive_python_recorder": SETUP + """
    import numpy as np
    from neuron import h
    sections = neuron_morphology.load_morphology(pyramid, trust_code=True)
    neuron_sim.apply_default_biophysics(sections)
    neuron_sim.set_nseg_by_d_lambda(sections)
    keep = neuron_sim.add_stimulus(sections, settings)
    segments = [seg for sec in sections for seg in sec]
    start = time.perf_counter()
    h.dt = settings.dt
    h.finitialize(-65)
    rows = [[seg.v for seg in segments]]
    while h.t < settings.tstop - settings.dt / 2:
        h.fadvance()
        rows.append([seg.v for seg in segments])
    values = np.array(rows, dtype=np.float32).T
    print(json.dumps({"seconds": time.perf_counter() - start}))
    """,
    "neuroblend_simulate": SETUP + """
    start = time.perf_counter()
    doc = neuron_sim.simulate(pyramid, OUT, settings, progress=lambda s: None)
    print(json.dumps({"seconds": time.perf_counter() - start,
                      "compartments": int(doc["values"].shape[0]),
                      "samples": int(doc["values"].shape[1])}))
    """,
}


def run_phase(name: str, out: Path) -> tuple[dict, float]:
    code = textwrap.dedent(PHASES[name]).replace("OUT", repr(str(out)))
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=out.parent)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def main() -> int:
    from neuroblend.files.fileformat import load_document

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pyramid.pkl"
        results = {name: run_phase(name, out) for name in PHASES}
        size = out.stat().st_size
        loads = []
        for _ in range(5):
            start = time.perf_counter()
            load_document(out)
            loads.append(time.perf_counter() - start)
    sim, sim_wall = results["neuroblend_simulate"]
    alone = results["neuron_alone"][0]["seconds"]
    naive = results["naive_python_recorder"][0]["seconds"]
    raw = 4 * sim["compartments"] * sim["samples"]
    load = statistics.median(loads)
    print(f"pyramid.nrn, {TSTOP:g} ms at dt {DT}: {sim['compartments']} compartments x "
          f"{sim['samples']} samples")
    print(f"  NEURON alone, no recording (baseline) : {alone:6.2f} s")
    print(f"  naive per-step Python recorder        : {naive:6.2f} s  ({naive / alone:.1f}x)")
    print(f"  neuroblend simulate + write           : {sim['seconds']:6.2f} s  "
          f"({sim['seconds'] / alone:.1f}x NEURON alone)   target < 5 s: "
          f"{'OK' if sim['seconds'] < 5 else 'MISSED'}")
    print(f"  same, whole process incl. imports     : {sim_wall:6.2f} s")
    print(f"  file size {size / 1e6:.2f} MB vs 4 B x C x T = {raw / 1e6:.2f} MB: "
          f"{size / raw:.3f}   target within 10%: {'OK' if abs(size / raw - 1) <= 0.1 else 'MISSED'}")
    print(f"  load (median of 5)                    : {load * 1000:6.1f} ms   target < 200 ms: "
          f"{'OK' if load < 0.2 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
