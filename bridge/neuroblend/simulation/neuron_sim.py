"""Simulate a morphology with NEURON and record every compartment (``neuroblend simulate``).

Pipeline: compile/load ``--mechanisms``, load the morphology (SWC repaired by
:mod:`neuroblend.simulation.morphology`, Neurolucida ASC through NEURON's Import3d, ``.hoc``/``.nrn``
geometry files), default biophysics, ``nseg`` by the d_lambda rule, ``--model``, the stimulus,
then a :class:`neuroblend.simulation.recording.Recorder` on every section.

Default biophysics (so a bare run shows spikes travelling through the cell): every section has
Ra = 100 ohm cm and cm = 1 uF/cm2; soma and axon get Hodgkin-Huxley ``hh`` at its standard
densities; dendrites ("active", the default) get ``hh`` at half the sodium and potassium
densities with the leak reversal shifted so they rest at -65 mV like the soma, which makes
somatic action potentials propagate into the dendrites; with ``dendrites="passive"`` they get
``pas`` (g = 1e-4 S/cm2, e = -65 mV) and the spikes only spread electrotonically. The default
stimulus is a current pulse into the soma centre, 5-35 ms, of 10 uA/cm2 times the cell's
membrane area (about 3 nA for NEURON's pyramid.nrn: three spikes).

NEURON is imported inside functions only; ``h`` is a process-wide singleton, so run one
simulation per process (the CLI does).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.simulation.neuron_env import neuron_h
from neuroblend.simulation.neuron_morphology import first_error, load_morphology, run_hoc
from neuroblend.simulation.recording import Recorder
from neuroblend.simulation.simulation_file import section_type
from neuroblend.simulation.simulation_settings import SimulationSettings

AUTO_AMP_DENSITY = 0.01  # mA/cm2 (10 uA/cm2) times membrane area -> the default pulse amplitude
_MAX_RECORDING_BYTES = 4e9
_HH_REST_SHIFT = 10.7  # mV: hh rests at -65 mV with el = -54.3; scaled channels need el shifted
_DENDRITE_HH_SCALE = 0.5


# ----------------------------------------------------------------------------------- pipeline

def simulate(morphology: str | os.PathLike, out: str | os.PathLike,
             settings: SimulationSettings | None = None,
             progress: Callable[[str], None] = print) -> dict:
    """Run the whole pipeline on ``morphology`` and write the simulation file ``out``."""
    settings = settings or SimulationSettings()
    settings.validate()
    path = Path(morphology)
    if not path.is_file():
        raise NeuroBlendError(f"{path}: no such morphology file")
    started = time.perf_counter()
    if settings.mechanisms:
        progress(f"loaded mechanisms from {load_mechanisms(settings.mechanisms)}")
    sections = load_morphology(path, trust_code=settings.trust_code,
                               max_swc_points=settings.max_swc_points)
    apply_default_biophysics(sections, settings.dendrites)
    set_nseg_by_d_lambda(sections, settings.d_lambda)
    if settings.model:
        apply_model(settings.model, sections)
    n_comp = sum(sec.nseg for sec in sections)
    steps = int(round(settings.tstop / settings.dt)) + 1
    if n_comp * steps * 8 > _MAX_RECORDING_BYTES:
        raise NeuroBlendError(
            f"recording {n_comp} compartments x {steps} steps needs "
            f"{n_comp * steps * 8 / 1e9:.1f} GB; shorten --tstop or raise --dt")
    progress(f"{path.name}: {len(sections)} sections, {n_comp} compartments "
             f"(d_lambda {settings.d_lambda:g})")
    stimulus, keep_alive = add_stimulus(sections, settings)
    progress(f"stimulus: {stimulus['description']}")
    recorder = Recorder(sections, variable=settings.record, cell_name=path.stem)
    run(settings.tstop, settings.dt, settings.v_init, progress)
    meta = {"morphology": {"path": str(path.resolve()), "sha256": _sha256(path)},
            "stimulus": stimulus, "parameters": _parameters(settings)}
    if settings.model:
        meta["model"] = {"path": str(Path(settings.model).resolve()),
                         "sha256": _sha256(Path(settings.model))}
    doc = recorder.save(out, settings.sample_every, meta)
    assert doc is not None  # one process (no MPI): it wrote the file
    del keep_alive
    size = Path(out).stat().st_size
    progress(f"wrote {out} ({size / 1e6:.2f} MB: {doc['values'].shape[0]} compartments x "
             f"{doc['values'].shape[1]} samples of {settings.record}) in "
             f"{time.perf_counter() - started:.1f} s")
    return doc


def run(tstop: float, dt: float, v_init: float = -65.0,
        progress: Callable[[str], None] = print,
        advance: Callable[[float], object] | None = None) -> None:
    """``finitialize`` at ``v_init`` then run to ``tstop`` at fixed ``dt`` (CVode off), reporting
    progress by quarters. ``advance(t)`` runs on to time t: ``h.continuerun`` by default, a
    network's ``ParallelContext.psolve`` under MPI (call its ``set_maxstep`` first)."""
    h = neuron_h()
    h.load_file("stdrun.hoc")
    h.cvode_active(0)
    h.dt = dt
    h.steps_per_ms = 1.0 / dt
    h.tstop = tstop
    h.finitialize(v_init)
    advance = advance or h.continuerun
    started = time.perf_counter()
    for quarter in (1, 2, 3, 4):
        advance(tstop * quarter / 4)
        progress(f"simulated {h.t:g} / {tstop:g} ms ({time.perf_counter() - started:.1f} s)")


# ----------------------------------------------------------------------------------- morphology


# ----------------------------------------------------------------------------------- biophysics

def apply_default_biophysics(sections: list, dendrites: str = "active") -> None:
    """HH soma/axon; active (half-density hh, resting at -65 mV) or passive dendrites."""
    for sec in sections:
        sec.Ra = 100.0
        sec.cm = 1.0
        kind = section_type(sec.name())
        if kind in ("soma", "axon"):
            sec.insert("hh")
        elif dendrites == "active":
            sec.insert("hh")
            for seg in sec:
                seg.hh.gnabar *= _DENDRITE_HH_SCALE
                seg.hh.gkbar *= _DENDRITE_HH_SCALE
                seg.hh.el = -65.0 + _DENDRITE_HH_SCALE * _HH_REST_SHIFT
        else:
            sec.insert("pas")
            for seg in sec:
                seg.pas.g = 1e-4
                seg.pas.e = -65.0


def set_nseg_by_d_lambda(sections: list, d_lambda: float = 0.1, frequency: float = 100.0) -> None:
    """Odd ``nseg`` so no compartment is longer than ``d_lambda`` times the AC length constant
    at ``frequency`` Hz (computed along the 3D points, as NEURON's fixnseg.hoc does)."""
    for sec in sections:
        n3d = sec.n3d()
        if n3d < 2:
            continue
        arc = np.array([sec.arc3d(i) for i in range(n3d)])
        diam = np.array([sec.diam3d(i) for i in range(n3d)])
        dl = np.diff(arc)
        mean_d = np.maximum((diam[1:] + diam[:-1]) / 2, 1e-3)
        lam = 1e5 * np.sqrt(mean_d / (4 * math.pi * frequency * sec.Ra * sec.cm))  # um
        electrotonic = float(np.sum(dl / lam))
        sec.nseg = int((electrotonic / d_lambda + 0.9) / 2) * 2 + 1


def apply_model(model: str | os.PathLike, sections: list) -> None:
    """Run a ``.hoc`` file, or a ``.py`` file with ``h``, ``sections``, ``soma``, ``dendrites``
    and ``axons`` in its namespace, to set up biophysics on the loaded cell."""
    import runpy

    h = neuron_h()
    path = Path(model)
    if not path.is_file():
        raise NeuroBlendError(f"--model {path}: no such file")
    if path.suffix == ".hoc":
        ok, output = run_hoc(path)
        if not ok:
            raise NeuroBlendError(f"--model {path}: hoc error: {first_error(output)}")
        return
    if path.suffix != ".py":
        raise NeuroBlendError(f"--model {path}: expected a .hoc or .py file")
    by_type = {kind: [s for s in sections if section_type(s.name()) == kind]
               for kind in ("soma", "axon", "dend", "apic")}
    namespace = {"h": h, "sections": sections, "soma": (by_type["soma"] or [None])[0],
                 "dendrites": by_type["dend"] + by_type["apic"], "axons": by_type["axon"]}
    try:
        runpy.run_path(str(path), init_globals=namespace, run_name="__neuroblend_model__")
    except Exception as exc:  # the user's code: report it in one line
        raise NeuroBlendError(f"--model {path} failed: {type(exc).__name__}: {exc}") from None


def load_mechanisms(directory: str | os.PathLike) -> Path:
    """Compile the .mod files in ``directory`` with nrnivmodl (unless up to date) and load them."""
    h = neuron_h()
    folder = Path(directory)
    mods = sorted(folder.glob("*.mod"))
    if not mods:
        raise NeuroBlendError(f"--mechanisms {folder}: no .mod files there")
    library = _mechanism_library(folder)
    newest = max(m.stat().st_mtime for m in mods)
    if library is None or library.stat().st_mtime < newest:
        compiler = Path(sys.executable).with_name("nrnivmodl")
        command = str(compiler) if compiler.exists() else shutil.which("nrnivmodl")
        if command is None:
            raise NeuroBlendError("nrnivmodl not found (it comes with NEURON: pip install neuron)")
        try:
            done = subprocess.run([command], cwd=folder, capture_output=True, text=True,
                                  timeout=600)
        except subprocess.TimeoutExpired:
            raise NeuroBlendError(f"--mechanisms {folder}: nrnivmodl took over 10 min") from None
        library = _mechanism_library(folder)
        if done.returncode != 0 or library is None:
            lines = [ln.strip() for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
            errors = [ln for ln in lines if re.search(r"\berror\b", ln, re.IGNORECASE)
                      and "Traceback" not in ln and "CalledProcessError" not in ln]
            detail = " / ".join((errors or lines[-3:])[:2])[:400]
            raise NeuroBlendError(f"--mechanisms {folder}: nrnivmodl failed: {detail}")
    try:
        h.nrn_load_dll(str(library))
    except RuntimeError:
        raise NeuroBlendError(f"--mechanisms {folder}: NEURON could not load {library} (already "
                              "loaded, or built by another NEURON version)") from None
    return library


def _mechanism_library(folder: Path) -> Path | None:
    for pattern in ("*/libnrnmech.so", "*/.libs/libnrnmech.so", "*/libnrnmech.dylib",
                    "*/.libs/libnrnmech.dylib", "nrnmech.dll"):
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
    return None


# ----------------------------------------------------------------------------------- stimulus

def add_stimulus(sections: list, settings: SimulationSettings) -> tuple[dict, list]:
    """Attach the stimulus; returns its description (for the file's meta) and the NEURON
    objects that must stay alive during the run."""
    h = neuron_h()
    if settings.stim == "none":
        return {"kind": "none", "description": "none"}, []
    if settings.stim == "iclamp":
        sec, x = find_location(sections, settings.at)
        amp = settings.amp
        if amp is None:
            area = sum(seg.area() for s in sections for seg in s)  # um2
            amp = round(AUTO_AMP_DENSITY * area * 1e-8 * 1e6, 3)  # mA/cm2 * cm2 -> nA
        clamp = h.IClamp(sec(x))
        clamp.amp, clamp.delay, clamp.dur = amp, settings.delay, settings.dur
        description = (f"current clamp {amp:g} nA at {sec.name()}({x:g}), "
                       f"{settings.delay:g}-{settings.delay + settings.dur:g} ms")
        return {"kind": "iclamp", "section": sec.name(), "x": x, "amp": amp,
                "delay": settings.delay, "dur": settings.dur, "description": description}, [clamp]
    return _random_synapses(h, sections, settings)


def find_location(sections: list, spec: str) -> tuple[Any, float]:
    """Parse ``name(x)`` (``soma`` matches ``soma[0]``; x defaults to 0.5) among ``sections``."""
    match = re.fullmatch(r"\s*([^()\s]+)\s*(?:\(\s*([-+0-9.eE]+)\s*\))?\s*", spec)
    if not match:
        raise NeuroBlendError(f"--at {spec!r}: expected SECTION(X), e.g. soma(0.5)")
    name, x = match.group(1), float(match.group(2) or 0.5)
    if not 0 <= x <= 1:
        raise NeuroBlendError(f"--at {spec!r}: x must be between 0 and 1")
    by_name = {sec.name(): sec for sec in sections}
    for candidate in (name, f"{name}[0]"):
        if candidate in by_name:
            return by_name[candidate], x
    tail = [s for n, s in by_name.items() if n.endswith("." + name) or n.endswith("." + name + "[0]")]
    if tail:
        return tail[0], x
    names = list(by_name)
    raise NeuroBlendError(f"--at {spec!r}: no section named {name!r}; this cell has "
                          f"{', '.join(names[:5])}{' ...' if len(names) > 5 else ''}")


def _random_synapses(h: Any, sections: list, settings: SimulationSettings) -> tuple[dict, list]:
    dendrites = [s for s in sections if section_type(s.name()) in ("dend", "apic")]
    targets = dendrites or [s for s in sections if section_type(s.name()) != "soma"] or sections
    segments = [seg for sec in targets for seg in sec]
    weights = np.array([seg.sec.L / seg.sec.nseg for seg in segments])
    rng = np.random.default_rng(settings.seed)
    chosen = rng.choice(len(segments), size=settings.synapses, p=weights / weights.sum())
    keep: list = []
    for i, k in enumerate(chosen):
        syn = h.ExpSyn(segments[k])
        syn.e, syn.tau = 0.0, 2.0
        stim = h.NetStim()
        stim.interval, stim.number, stim.start, stim.noise = 1000.0 / settings.rate, 1e9, 0, 1
        stim.noiseFromRandom123(settings.seed, i, 0)
        con = h.NetCon(stim, syn)
        con.weight[0], con.delay = settings.weight, 0
        keep += [syn, stim, con]
    description = (f"{settings.synapses} random excitatory synapses on "
                   f"{'dendrites' if dendrites else 'the cell'} at {settings.rate:g} Hz "
                   f"(Poisson, {settings.weight:g} uS, seed {settings.seed})")
    return {"kind": "synapses", "n": settings.synapses, "rate_hz": settings.rate,
            "weight_us": settings.weight, "seed": settings.seed,
            "description": description}, keep


# ----------------------------------------------------------------------------------- helpers

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parameters(settings: SimulationSettings) -> dict:
    return {k: v for k, v in asdict(settings).items() if v is not None}
