"""The options of a NEURON simulation (``neuroblend simulate``), checked with the reason."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_SWC_POINTS

DENDRITE_MODES = ("active", "passive")
STIMULI = ("iclamp", "synapses", "none")


def bad(option: str, why: str) -> NeuroBlendError:
    """The error for a bad ``--option`` value."""
    return NeuroBlendError(f"--{option.replace('_', '-')}: {why}")


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
        self._validate_times()
        self._validate_choices()

    def _validate_times(self) -> None:
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

    def _validate_choices(self) -> None:
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
