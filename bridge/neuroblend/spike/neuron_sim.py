"""Simulate a morphology with NEURON and record every compartment (``neuroblend simulate``).

Pipeline: compile/load ``--mechanisms``, load the morphology (SWC repaired by
:mod:`neuroblend.spike.morphology`, Neurolucida ASC through NEURON's Import3d, ``.hoc``/``.nrn``
geometry files), default biophysics, ``nseg`` by the d_lambda rule, ``--model``, the stimulus,
then a :class:`neuroblend.spike.recording.Recorder` on every section.

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

import contextlib
import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_SWC_POINTS
from neuroblend.spike.neuron_env import neuron_h
from neuroblend.spike.recording import Recorder
from neuroblend.spike.simulation_file import section_type

MORPHOLOGY_SUFFIXES = (".swc", ".asc", ".hoc", ".nrn")
DENDRITE_MODES = ("active", "passive")
STIMULI = ("iclamp", "synapses", "none")
AUTO_AMP_DENSITY = 0.01  # mA/cm2 (10 uA/cm2) times membrane area -> the default pulse amplitude
_MAX_RECORDING_BYTES = 4e9
_HH_REST_SHIFT = 10.7  # mV: hh rests at -65 mV with el = -54.3; scaled channels need el shifted
_DENDRITE_HH_SCALE = 0.5


@dataclass
class SimulationSettings:
    """Every option of ``neuroblend simulate`` (times in ms, currents in nA, rates in Hz)."""

    tstop: float = 50.0
    dt: float = 0.025
    sample_every: float | None = None
    record: str = "v"
    v_init: float = -65.0
    dendrites: str = "active"
    stim: str = "iclamp"
    at: str = "soma(0.5)"
    amp: float | None = None  # None: AUTO_AMP_DENSITY x membrane area
    delay: float = 5.0
    dur: float = 30.0
    synapses: int = 50
    rate: float = 20.0
    weight: float = 0.002  # uS per synaptic event (ExpSyn, e = 0 mV, tau = 2 ms)
    seed: int = 1
    model: str | None = None
    mechanisms: str | None = None
    d_lambda: float = 0.1
    trust_code: bool = False  # run .hoc/.nrn morphologies (NEURON programs)
    max_swc_points: int = MAX_SWC_POINTS

    def validate(self) -> None:
        """Reject unit mistakes and impossible values with the reason."""
        def bad(option: str, why: str) -> NeuroBlendError:
            return NeuroBlendError(f"--{option.replace('_', '-')}: {why}")

        for name in ("tstop", "dt", "v_init", "delay", "dur", "rate", "weight", "d_lambda"):
            if not math.isfinite(getattr(self, name)):
                raise bad(name, f"must be a finite number, got {getattr(self, name)}")
        if self.tstop <= 0:
            raise bad("tstop", f"must be > 0 ms (got {self.tstop:g}); it is the simulated time "
                      "in milliseconds, e.g. --tstop 50")
        if self.tstop < 1:
            raise bad("tstop", f"{self.tstop:g} ms is shorter than one action potential; "
                      "NEURON times are in milliseconds (e.g. --tstop 50, not 0.05 s)")
        if self.dt <= 0:
            raise bad("dt", f"must be > 0 ms (got {self.dt:g}), e.g. --dt 0.025")
        if self.dt > self.tstop:
            raise bad("dt", f"{self.dt:g} ms is longer than --tstop {self.tstop:g} ms")
        if self.dt > 1:
            raise bad("dt", f"{self.dt:g} ms is too coarse for action potentials (use <= 0.1 ms; "
                      "to store fewer samples use --sample-every)")
        if self.dt < 1e-4:
            raise bad("dt", f"{self.dt:g} ms looks like seconds; NEURON's dt is in milliseconds "
                      "(e.g. --dt 0.025)")
        if self.tstop / self.dt > 5e7:
            raise bad("tstop", f"{self.tstop:g} ms at dt {self.dt:g} ms is "
                      f"{self.tstop / self.dt:.3g} steps; is --tstop in ms?")
        if self.sample_every is not None:
            if not (math.isfinite(self.sample_every) and self.sample_every > 0):
                raise bad("sample_every", f"must be > 0 ms, got {self.sample_every}")
            if self.sample_every < self.dt * (1 - 1e-9):
                raise bad("sample_every", f"{self.sample_every:g} ms is shorter than --dt "
                          f"{self.dt:g} ms")
            if self.sample_every > self.tstop / 2:
                raise bad("sample_every", f"{self.sample_every:g} ms leaves fewer than 2 samples "
                          f"in --tstop {self.tstop:g} ms")
        if self.dendrites not in DENDRITE_MODES:
            raise bad("dendrites", f"must be one of {', '.join(DENDRITE_MODES)}")
        if self.stim not in STIMULI:
            raise bad("stim", f"must be one of {', '.join(STIMULI)}")
        if not re.fullmatch(r"[A-Za-z_][\w.]*(\[\d+\])*(\.\w+(\[\d+\])*)*", self.record):
            raise bad("record", f"{self.record!r} is not a NEURON range variable name "
                      "(e.g. v, ina, cai, m_hh)")
        if self.stim == "iclamp":
            if self.delay < 0:
                raise bad("delay", f"must be >= 0 ms, got {self.delay:g}")
            if self.dur <= 0:
                raise bad("dur", f"must be > 0 ms, got {self.dur:g}")
            if self.delay >= self.tstop:
                raise bad("delay", f"the pulse starts at {self.delay:g} ms, after the simulation "
                          f"ends (--tstop {self.tstop:g} ms)")
            if self.amp is not None and not math.isfinite(self.amp):
                raise bad("amp", "must be a finite current in nA")
            if self.amp is not None and abs(self.amp) > 1000:
                raise bad("amp", f"{self.amp:g} nA is far too large; the unit is nA "
                          "(e.g. --amp 0.5)")
        if self.stim == "synapses":
            if self.synapses < 1:
                raise bad("synapses", f"need at least 1 synapse, got {self.synapses}")
            if not 0 < self.rate <= 1000:
                raise bad("rate", f"must be a firing rate in Hz between 0 and 1000, "
                          f"got {self.rate:g}")
            if self.weight <= 0:
                raise bad("weight", f"must be > 0 uS, got {self.weight:g}")
        if not 0 < self.d_lambda <= 1:
            raise bad("d_lambda", f"must be in (0, 1], got {self.d_lambda:g}")


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
    run(settings, progress)
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


def run(settings: SimulationSettings, progress: Callable[[str], None] = print) -> None:
    """``finitialize`` then run to ``tstop`` at fixed ``dt``, reporting progress by quarters."""
    h = neuron_h()
    h.load_file("stdrun.hoc")
    h.cvode_active(0)
    h.dt = settings.dt
    h.steps_per_ms = 1.0 / settings.dt
    h.tstop = settings.tstop
    h.finitialize(settings.v_init)
    started = time.perf_counter()
    for quarter in (1, 2, 3, 4):
        h.continuerun(settings.tstop * quarter / 4)
        progress(f"simulated {h.t:g} / {settings.tstop:g} ms "
                 f"({time.perf_counter() - started:.1f} s)")


# ----------------------------------------------------------------------------------- morphology

def load_morphology(path: str | os.PathLike, trust_code: bool = False,
                    max_swc_points: int = MAX_SWC_POINTS) -> list:
    """Load an SWC, Neurolucida ASC, or ``.hoc``/``.nrn`` file; returns its sections.

    A ``.hoc``/``.nrn`` file is a NEURON program that can do anything the user can (run shell
    commands, write files): it runs only with ``trust_code=True`` (``--trust-code``).
    """
    h = neuron_h()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MORPHOLOGY_SUFFIXES:
        raise NeuroBlendError(f"{path}: unsupported morphology type {suffix or '(none)'!r}; "
                              f"use one of {', '.join(MORPHOLOGY_SUFFIXES)}")
    if not path.is_file():
        raise NeuroBlendError(f"{path}: no such morphology file")
    if suffix in (".hoc", ".nrn") and not trust_code:
        raise NeuroBlendError(
            f"{path}: a {suffix} file is a NEURON program, not just geometry: it can run any "
            "command on this computer. Run it only if you trust it, with --trust-code (or "
            "convert the morphology to .swc/.asc)")
    if suffix != ".swc":
        _require_text(path)
    before = set(h.allsec())
    h.load_file("stdlib.hoc")
    output = ""
    if suffix in (".hoc", ".nrn"):
        with _captured_stdout() as captured:
            try:
                ok = h.load_file(1, str(path))
            except RuntimeError:
                ok = 0
        output = captured.text()
        if not ok:
            raise NeuroBlendError(f"{path}: NEURON could not run this geometry file: "
                                  f"{_first_error(output)}")
    elif suffix == ".swc":
        from neuroblend.spike.morphology import read_swc, write_swc

        tree = read_swc(path, max_swc_points)
        if not tree.repaired:  # NEURON reads the user's own file: its sections, its names
            output = _import3d(h, "Import3d_SWC_read", path)
        else:
            with tempfile.TemporaryDirectory(prefix="neuroblend-swc-") as tmp:
                clean = Path(tmp) / "clean.swc"
                write_swc(tree, clean, header=f"repaired copy of {path}")
                output = _import3d(h, "Import3d_SWC_read", clean)
    else:
        output = _import3d(h, "Import3d_Neurolucida3", path)
    sections = [sec for sec in h.allsec() if sec not in before]
    if not sections:
        detail = _first_error(output) if output.strip() else "it defines no sections"
        raise NeuroBlendError(f"{path}: no sections were created ({detail})")
    return sections


def _require_text(path: Path) -> None:
    """NEURON's readers (and its printing of what they read) need UTF-8 text."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except OSError as exc:
        raise NeuroBlendError(f"{path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise NeuroBlendError(f"{path}: not a text file (byte {exc.start} is not UTF-8 text); "
                              "expected a Neurolucida .asc or a NEURON .hoc/.nrn text file") \
            from None
    if b"\x00" in data:
        raise NeuroBlendError(f"{path}: not a text file (it holds NUL bytes)")


def _import3d(h: Any, reader_name: str, path: Path) -> str:
    h.load_file("import3d.hoc")
    with _captured_stdout() as captured:
        try:
            reader = getattr(h, reader_name)()
            reader.quiet = 1
            reader.input(str(path))
            h.Import3d_GUI(reader, False).instantiate(None)
        except RuntimeError:
            pass  # reported below from NEURON's own message
    return captured.text()


@contextlib.contextmanager
def _captured_stdout() -> Iterator[Any]:
    """Capture what NEURON prints to the C-level stdout (kept out of the user's terminal)."""
    class Captured:
        data = b""

        def text(self) -> str:
            return self.data.decode("utf-8", "replace")

    captured = Captured()
    sys.stdout.flush()
    _flush_c_stdout()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            yield captured
        finally:
            _flush_c_stdout()
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            tmp.seek(0)
            captured.data = tmp.read()


def _flush_c_stdout() -> None:
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None).fflush(None)


def _first_error(output: str) -> str:
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    for ln in lines:
        if re.search(r"error|line \d+", ln, re.IGNORECASE):
            return " / ".join(lines[lines.index(ln):lines.index(ln) + 3])[:300]
    return " / ".join(lines[:3])[:300] or "no message from NEURON"


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
        with _captured_stdout() as captured:
            try:
                ok = h.load_file(1, str(path))
            except RuntimeError:
                ok = 0
        if not ok:
            raise NeuroBlendError(f"--model {path}: hoc error: {_first_error(captured.text())}")
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
