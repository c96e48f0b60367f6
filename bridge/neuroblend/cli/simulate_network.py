"""``neuroblend simulate-network --cells N --out net.pkl``: a spiking network, serial or MPI."""

from __future__ import annotations

import argparse

from neuroblend.argtypes import finite_float, positive_float

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

    d = NetworkSettings()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument("--cells", type=int, required=True, help="number of cells")
    parser.add_argument("--out", required=True, help="simulation file to write (.pkl)")
    parser.add_argument("--morphology", metavar="FILE",
                        help="cell morphology (.swc, .asc, .hoc, .nrn; default NEURON's pyramid); "
                        "a .hoc/.nrn file is a NEURON program (needs --trust-code)")
    parser.add_argument("--trust-code", action="store_true",
                        help="let a .hoc/.nrn --morphology run as NEURON code (only files you trust)")
    parser.add_argument("--tstop", type=positive_float, default=d.tstop,
                        help=f"simulated time, ms (default {d.tstop:g})")
    parser.add_argument("--dt", type=positive_float, default=d.dt, help=f"time step, ms (default {d.dt:g})")
    parser.add_argument("--sample-every", type=positive_float, default=d.sample_every, metavar="MS",
                        help=f"store one sample per MS ms (default {d.sample_every:g})")
    parser.add_argument("--seed", type=int, default=d.seed, help="placement and wiring seed")
    parser.add_argument("--fan-out", type=int, default=d.fan_out,
                        help=f"synapses made by each cell (default {d.fan_out})")
    parser.add_argument("--weight", type=finite_float, default=d.weight,
                        help=f"synaptic weight, uS (default {d.weight:g})")


def run(args) -> int:
    from neuroblend.network.sim import NetworkSettings, finish_mpi, simulate_network

    settings = NetworkSettings(cells=args.cells, tstop=args.tstop, dt=args.dt,
                               sample_every=args.sample_every, seed=args.seed,
                               fan_out=args.fan_out, weight=args.weight,
                               morphology=args.morphology, trust_code=args.trust_code)
    simulate_network(args.out, settings)
    finish_mpi()
    return 0
