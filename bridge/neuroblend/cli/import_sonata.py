"""``neuroblend import sonata CONFIG --out sim.pkl``: a SONATA simulation (BMTK, neurodamus,
NetPyNE) -> a ``neuroblend.simulation`` file, read through libsonata and MorphIO."""

from __future__ import annotations

import argparse

from neuroblend.cli.option_flags import ranged
from neuroblend.sonata.to_simulation import SonataImportOptions as D

HELP = "a SONATA simulation (nodes, edges, spikes, reports) -> a neuroblend.simulation file"

_SONATA_EPILOG = """\
CONFIG is a SONATA simulation config (BMTK's simulation_config.json or config.json); its
manifest, network (circuit_config.json) and components are resolved as the standard defines them.
examples:
  neuroblend import sonata sim_ch01/simulation_config.json --out sim.pkl
  neuroblend import sonata simulation_config.json --report v_report --time-window 0 500 \\
      --sample-every 1 --node-set bio --out sim.pkl
"""


def add_sonata_parser(sub) -> None:
    """The ``import sonata`` subcommand and its flags."""
    parser = sub.add_parser("sonata", help=HELP, description=HELP, epilog=_SONATA_EPILOG,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(_import_run=run_sonata)
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


def run_sonata(args) -> int:
    """Import the SONATA simulation into a simulation file."""
    from neuroblend.sonata.to_simulation import import_sonata

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
