"""``neuroblend import KIND ...``: the field's formats -> NeuroBlend files.

Each kind's flags and run live in its own module (``import_sonata``: a simulation from BMTK,
neurodamus or NetPyNE; ``import_nwb``: recorded units and electrodes, or a patch-clamp sweep);
a new kind is one more ``add_<kind>_parser`` call here."""

from __future__ import annotations

from neuroblend.cli import import_nwb, import_sonata

HELP = "import the field's formats: SONATA simulations, NWB recordings"


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="import_kind", metavar="{sonata,nwb}")
    sub.required = True
    import_sonata.add_sonata_parser(sub)
    nwb = sub.add_parser("nwb", help=import_nwb.HELP, description=import_nwb.HELP)
    import_nwb.add_nwb_arguments(nwb)
    nwb.set_defaults(_import_run=import_nwb.run_nwb)


def run(args) -> int:
    return int(args._import_run(args) or 0)
