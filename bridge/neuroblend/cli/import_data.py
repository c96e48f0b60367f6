"""``neuroblend import KIND ...``: foreign recording/simulation formats -> NeuroBlend files.

Each kind's flags and run live in its own module (``import_nwb``: ``add_nwb_arguments``,
``run_nwb``)."""

from __future__ import annotations

from neuroblend.cli import import_nwb

HELP = "import recordings from the field's formats (nwb: units + electrodes, or a sweep)"


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="import_kind", metavar="{nwb}")
    sub.required = True
    nwb = sub.add_parser("nwb", help=import_nwb.HELP, description=import_nwb.HELP)
    import_nwb.add_nwb_arguments(nwb)
    nwb.set_defaults(_import_run=import_nwb.run_nwb)


def run(args) -> int:
    return int(args._import_run(args) or 0)
