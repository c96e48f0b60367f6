"""The options of a NEURON simulation (``neuroblend simulate``), checked with the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_SWC_POINTS
from neuroblend.option_ranges import SEED_MAX, RangeChecked, real, whole

DENDRITE_MODES = ("active", "passive")
STIMULI = ("iclamp", "synapses", "none")


def bad(option: str, why: str) -> NeuroBlendError:
    """The error for a bad ``--option`` value."""
    return NeuroBlendError(f"--{option.replace('_', '-')}: {why}")


@dataclass
class SimulationSettings(RangeChecked):
    """Every option of ``neuroblend simulate`` (times in ms, currents in nA, rates in Hz); the
    constructor checks each range, :meth:`validate` the units and combinations."""

    tstop: float = real(50.0, 0, 1e7, above_low=True)
    dt: float = real(0.025, 0, 1e3, above_low=True)
    sample_every: float | None = real(None, 0, 1e7, above_low=True)
    record: str = "v"
    v_init: float = real(-65.0, -1e3, 1e3)
    dendrites: str = "active"
    stim: str = "iclamp"
    at: str = "soma(0.5)"
    amp: float | None = real(None, -1e6, 1e6)  # None: AUTO_AMP_DENSITY x membrane area
    delay: float = real(5.0, 0, 1e7)
    dur: float = real(30.0, 0, 1e7, above_low=True)
    synapses: int = whole(50, 1, 100_000)
    rate: float = real(20.0, 0, 1e3, above_low=True)
    # uS per synaptic event (ExpSyn, e = 0 mV, tau = 2 ms)
    weight: float = real(0.002, 0, 1e3, above_low=True)
    seed: int = whole(1, 0, SEED_MAX)
    model: str | None = None
    mechanisms: str | None = None
    d_lambda: float = real(0.1, 0, 1, above_low=True)
    trust_code: bool = False  # run .hoc/.nrn morphologies (NEURON programs)
    max_swc_points: int = whole(MAX_SWC_POINTS, 1, 10**9)

    def validate(self) -> None:
        """Reject unit mistakes and impossible values with the reason."""
        self._validate_times()
        self._validate_choices()

    def _validate_times(self) -> None:
        if self.tstop < 1:
            raise bad("tstop", f"{self.tstop:g} ms is shorter than one action potential; "
                      "NEURON times are in milliseconds (e.g. --tstop 50, not 0.05 s)")
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
            if self.delay >= self.tstop:
                raise bad("delay", f"the pulse starts at {self.delay:g} ms, after the simulation "
                          f"ends (--tstop {self.tstop:g} ms)")
            if self.amp is not None and abs(self.amp) > 1000:
                raise bad("amp", f"{self.amp:g} nA is far too large; the unit is nA "
                          "(e.g. --amp 0.5)")
