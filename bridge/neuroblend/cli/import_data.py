"""``neuroblend import sonata CONFIG --out sim.pkl``: other tools' data -> NeuroBlend files.

One subcommand per standard (``sonata`` today); each adds its parser in ``_SUBCOMMANDS`` and a
``run_<name>`` function, so ``import nwb`` is one more entry.
"""

from __future__ import annotations

import argparse

from neuroblend.cli.option_flags import ranged
from neuroblend.sonata.to_simulation import SonataImportOptions as D

HELP = "import a simulation written by another tool (SONATA: BMTK, neurodamus, NetPyNE)"

_SONATA_EPILOG = """\
CONFIG is a SONATA simulation config (BMTK's simulation_config.json or config.json); its
manifest, network (circuit_config.json) and components are resolved as the standard defines them.
examples:
  neuroblend import sonata sim_ch01/simulation_config.json --out sim.pkl
  neuroblend import sonata simulation_config.json --report v_report --time-window 0 500 \\
      --sample-every 1 --node-set bio --out sim.pkl
"""


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="import_kind", metavar="{sonata}")
    sub.required = True
    sonata = sub.add_parser("sonata", help="a SONATA simulation (nodes, edges, spikes, reports)",
                            description="a SONATA simulation -> a neuroblend.simulation file",
                            epilog=_SONATA_EPILOG,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    _sonata_arguments(sonata)


def _sonata_arguments(parser) -> None:
    parser.add_argument("config", help="SONATA simulation (or circuit) config .json")
    parser.add_argument("--out", required=True, help="simulation file to write (.pkl)")
    parser.add_argument("--population", action="append", default=[], metavar="NAME",
                        help="node population to import (repeat for several; default every "
                        "non-virtual population)")
    parser.add_argument("--node-set", metavar="NAME",
                        help="import only this node set (from the config's node_sets_file)")
    parser.add_argument("--report", metavar="NAME",
                        help="report to play back (default the first whose file exists)")
    parser.add_argument("--time-window", nargs=2, metavar=("A", "B"), **ranged(
        D, "time_window", "import only the report frames from A to B ms"))
    parser.add_argument("--sample-every", metavar="MS", **ranged(
        D, "sample_every", "keep one frame every MS ms (a whole number of report steps)"))
    parser.add_argument("--max-cells", metavar="N", **ranged(
        D, "max_cells", "import at most N cells (in population and node id order)"))
    parser.add_argument("--points", action="store_true",
                        help="show point and virtual nodes as somata (default: skip them)")
    parser.add_argument("--soma-only-colour", action="store_true",
                        help="colour only the soma from the report (default: a soma report "
                        "colours the whole cell)")


def run(args) -> int:
    return int(_RUN[args.import_kind](args))


def run_sonata(args) -> int:
    from neuroblend.errors import NeuroBlendError
    from neuroblend.sonata.to_simulation import import_sonata

    if args.time_window and args.time_window[1] < args.time_window[0]:
        raise NeuroBlendError(f"--time-window {args.time_window[0]:g} {args.time_window[1]:g}: "
                              "the end must not come before the start")
    options = D(
        config=args.config, out=args.out, populations=tuple(args.population),
        node_set=args.node_set, report=args.report,
        time_window=tuple(args.time_window) if args.time_window else None,
        sample_every=args.sample_every, max_cells=args.max_cells, points=args.points,
        soma_only_colour=args.soma_only_colour)
    doc = import_sonata(options)
    sonata = doc["meta"]["sonata"]
    n_spikes = len(doc["spikes"]["time"]) if "spikes" in doc else 0
    n_conn = len(doc["connections"]["pre"]) if "connections" in doc else 0
    print(f"wrote {args.out}: {len(doc['cells'])} cells, {doc['values'].shape[0]} compartments "
          f"x {len(doc['time'])} frames ({doc['time'][0]:g}..{doc['time'][-1]:g} ms, report "
          f"{sonata['report'] or 'none'}), {n_spikes} spikes, {n_conn} connections")
    outside = sum(c.get("from_outside", 0) for c in sonata["edges"].values())
    skipped = sonata["skipped_point_or_virtual"]
    if outside or skipped:
        print(f"not shown: {skipped} point/virtual nodes (--points shows them), {outside} edges "
              "from cells outside the import (virtual inputs, other populations)")
    return 0


_RUN = {"sonata": run_sonata}
