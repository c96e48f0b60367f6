"""``neuroblend simulate-network --cells N --out net.pkl``: a spiking network, serial or MPI."""

from __future__ import annotations

import argparse

from neuroblend.cli.option_flags import ranged

HELP = "simulate a network of N cells (serially or under mpiexec) with spikes and connections"

_EPILOG = """\
N copies of the morphology (default NEURON's pyramid.nrn) stand in a slab like a cortical column,
wired with excitatory synapses; a current pulse into two seed cells starts activity that spreads.
examples:
  neuroblend simulate-network --cells 20 --out net.pkl
  mpiexec -n 2 neuroblend simulate-network --cells 20 --out net.pkl   # same spikes, 2 ranks
"""


def add_arguments(parser) -> None:
    from neuroblend.network.sim import NetworkSettings

    d = NetworkSettings
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument("--cells", required=True, **ranged(d, "cells", "number of cells",
                                                           default=None))
    parser.add_argument("--out", required=True, help="simulation file to write (.pkl)")
    parser.add_argument("--morphology", metavar="FILE",
                        help="cell morphology (.swc, .asc, .hoc, .nrn; default NEURON's pyramid); "
                        "a .hoc/.nrn file is a NEURON program (needs --trust-code)")
    parser.add_argument("--trust-code", action="store_true",
                        help="let a .hoc/.nrn --morphology run as NEURON code (only files you trust)")
    parser.add_argument("--tstop", **ranged(d, "tstop", "simulated time, ms"))
    parser.add_argument("--dt", **ranged(d, "dt", "time step, ms"))
    parser.add_argument("--sample-every", metavar="MS", **ranged(d, "sample_every", "store one "
                                                                 "sample per MS ms"))
    parser.add_argument("--seed", **ranged(d, "seed", "placement and wiring seed"))
    parser.add_argument("--fan-out", **ranged(d, "fan_out", "synapses made by each cell"))
    parser.add_argument("--weight", **ranged(d, "weight", "synaptic weight, uS"))


def run(args) -> int:
    from neuroblend.network.sim import NetworkSettings, finish_mpi, simulate_network

    settings = NetworkSettings(cells=args.cells, tstop=args.tstop, dt=args.dt,
                               sample_every=args.sample_every, seed=args.seed,
                               fan_out=args.fan_out, weight=args.weight,
                               morphology=args.morphology, trust_code=args.trust_code)
    simulate_network(args.out, settings)
    finish_mpi()
    return 0
