"""``neuroblend simulate MORPHOLOGY --out sim.pkl``: NEURON simulation of every compartment."""

from __future__ import annotations

import argparse

from neuroblend.cli.option_flags import ranged

HELP = "simulate a morphology (SWC, ASC, .hoc/.nrn) with NEURON and record every compartment"

_EPILOG = """\
defaults: Hodgkin-Huxley soma/axon, active dendrites (half-density hh), nseg by the d_lambda
rule, and a soma current pulse (5-35 ms, 10 uA/cm2 x membrane area) that fires action
potentials travelling into the dendrites. Times are in ms, currents in nA.
.hoc/.nrn files (and --model) are NEURON programs that can run any command: a .hoc/.nrn
morphology runs only with --trust-code. SWC and ASC files are data and never run code.
examples:
  neuroblend simulate cell.swc --out sim.pkl
  neuroblend simulate pyramid.nrn --trust-code --out sim.pkl --tstop 100 --sample-every 0.1
  neuroblend simulate cell.asc --out sim.pkl --stim synapses --synapses 100 --rate 30
  neuroblend simulate cell.swc --out ca.pkl --mechanisms mods/ --model biophys.hoc --record cai
"""


def add_arguments(parser) -> None:
    from neuroblend.simulation.simulation_settings import (
        DENDRITE_MODES,
        STIMULI,
        SimulationSettings,
    )

    d = SimulationSettings
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument("morphology", help="morphology file: .swc, .asc (data), or a .hoc/.nrn "
                        "NEURON program (needs --trust-code)")
    parser.add_argument("--max-swc-points", metavar="N", **ranged(
        d, "max_swc_points", "refuse SWC files with more than N points"))
    parser.add_argument("--trust-code", action="store_true",
                        help="allow a .hoc/.nrn morphology to run: it is a program that can do "
                        "anything you can")
    parser.add_argument("--out", required=True, help="simulation file to write (.pkl)")
    run = parser.add_argument_group("run")
    run.add_argument("--tstop", **ranged(d, "tstop", "simulated time, ms"))
    run.add_argument("--dt", **ranged(d, "dt", "time step, ms"))
    run.add_argument("--sample-every", metavar="MS", **ranged(
        d, "sample_every", "store one sample per MS ms, keeping spike peaks (default: every "
        "step)"))
    run.add_argument("--record", default=d.record, metavar="VAR",
                     help="range variable to record in every compartment: v, ina, cai, m_hh... "
                     f"(default {d.record})")
    run.add_argument("--v-init", **ranged(d, "v_init", "initial potential, mV"))
    cell = parser.add_argument_group("cell")
    cell.add_argument("--dendrites", choices=DENDRITE_MODES, default=d.dendrites,
                      help="default dendritic biophysics (default %(default)s)")
    cell.add_argument("--d-lambda", **ranged(d, "d_lambda", "nseg rule: compartment length / AC "
                                             "length constant at 100 Hz"))
    cell.add_argument("--model", metavar="FILE", help=".hoc or .py run on the loaded cell to set "
                      "up biophysics (a .py sees h, sections, soma, dendrites, axons)")
    cell.add_argument("--mechanisms", metavar="DIR", help="folder of .mod files to compile with "
                      "nrnivmodl and load")
    stim = parser.add_argument_group("stimulus")
    stim.add_argument("--stim", choices=STIMULI, default=d.stim,
                      help="current clamp, random synaptic input, or none (default %(default)s)")
    stim.add_argument("--at", default=d.at, metavar="SECTION(X)",
                      help=f"current clamp location (default {d.at})")
    stim.add_argument("--amp", **ranged(d, "amp", "current clamp amplitude, nA (default: 10 "
                                        "uA/cm2 x the cell's membrane area)"))
    stim.add_argument("--delay", **ranged(d, "delay", "pulse start, ms"))
    stim.add_argument("--dur", **ranged(d, "dur", "pulse duration, ms"))
    stim.add_argument("--synapses", metavar="N", **ranged(d, "synapses", "number of random "
                                                          "dendritic synapses"))
    stim.add_argument("--rate", **ranged(d, "rate", "Poisson rate per synapse, Hz"))
    stim.add_argument("--weight", **ranged(d, "weight", "synaptic weight, uS"))
    stim.add_argument("--seed", **ranged(d, "seed", "random seed for synapses"))


def run(args) -> int:
    import sys
    import warnings

    from neuroblend.simulation.neuron_sim import simulate
    from neuroblend.simulation.simulation_settings import SimulationSettings

    settings = SimulationSettings(
        tstop=args.tstop, dt=args.dt, sample_every=args.sample_every, record=args.record,
        v_init=args.v_init, dendrites=args.dendrites, stim=args.stim, at=args.at, amp=args.amp,
        delay=args.delay, dur=args.dur, synapses=args.synapses, rate=args.rate,
        weight=args.weight, seed=args.seed, model=args.model, mechanisms=args.mechanisms,
        d_lambda=args.d_lambda, trust_code=args.trust_code,
        max_swc_points=args.max_swc_points)
    settings.validate()

    def one_line(message, category, *rest, **kwargs):
        print(f"neuroblend simulate: warning: {message}", file=sys.stderr, flush=True)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = one_line
        simulate(args.morphology, args.out, settings,
                 progress=lambda text: print(f"neuroblend simulate: {text}", flush=True))
    return 0
