"""``neuroblend import nwb FILE.nwb --out OUT.pkl``: spike-sorted units and their electrodes (a
``neuroblend.units`` file), or with ``--sweep N --morphology CELL`` a patch-clamp sweep playing on
a reconstructed cell (a ``neuroblend.simulation`` file)."""

from __future__ import annotations

from pathlib import Path

from neuroblend.argtypes import float_range, int_range
from neuroblend.option_ranges import BIG

HELP = "NWB units (spike times, electrodes placed in an atlas) or a current-clamp sweep on a cell"


def add_nwb_arguments(parser) -> None:
    """The flags of ``neuroblend import nwb``."""
    parser.add_argument("input", type=Path, help="NWB file (.nwb, HDF5)")
    parser.add_argument("--out", required=True, type=Path, help="output .pkl file")
    when = parser.add_argument_group("what part of the session (seconds on the session clock)")
    when.add_argument("--time-window", type=float_range(-BIG, BIG), nargs=2, metavar=("START", "STOP"),
                      help="import spikes with START <= t < STOP (s)")
    when.add_argument("--trial", type=int_range(0, 10**9), metavar="N",
                      help="the span of row N of the trials table")
    when.add_argument("--epoch", metavar="NAME", help="the span of the epoch tagged NAME")
    where = parser.add_argument_group("placement")
    where.add_argument("--atlas", metavar="NAME",
                       help="place units in this local BrainGlobe atlas's frame (the frame of "
                       "`neuroblend atlas export NAME`); electrode x, y, z must be in its space")
    where.add_argument("--origin", default="center", metavar="center|A,S,R",
                       help="atlas point at Blender's origin, as for `neuroblend atlas export`")
    where.add_argument("--brainglobe-dir", metavar="DIR",
                       help="BrainGlobe folder (default: BrainGlobe's config, else ~/.brainglobe)")
    cell = parser.add_argument_group("patch clamp")
    cell.add_argument("--sweep", type=int_range(0, 10**9), metavar="N",
                      help="import current-clamp sweep N (its sweep number, else its index in "
                      "acquisition) instead of units")
    cell.add_argument("--morphology", type=Path, metavar="CELL.swc",
                      help="the recorded cell's reconstruction (SWC, Neurolucida ASC or HDF5), "
                      "needed with --sweep")
    cell.add_argument("--stimulus-out", type=Path, metavar="STIM.pkl",
                      help="also write the sweep's stimulus current (nA) on the cell, for "
                      "`neuroblend clip trace`")


def run_nwb(args) -> int:
    """Read the NWB file and write the units (or sweep) document."""
    from neuroblend.errors import NeuroBlendError
    from neuroblend.files.atomic import check_output_target
    from neuroblend.files.fileformat import save_document, summarize
    from neuroblend.nwb.nwb_open import open_nwb
    from neuroblend.nwb.selection import select

    check_output_target(args.out)
    if (args.sweep is None) != (args.morphology is None):
        raise NeuroBlendError("--sweep and --morphology go together (a sweep plays on a cell)")
    if args.stimulus_out is not None:
        if args.sweep is None:
            raise NeuroBlendError("--stimulus-out needs --sweep (the stimulus of a sweep)")
        check_output_target(args.stimulus_out)
    stimulus = None
    with open_nwb(args.input) as nwbfile:
        selection = select(nwbfile, time_window=args.time_window, trial=args.trial,
                           epoch=args.epoch)
        if args.sweep is not None:
            from neuroblend.nwb import sweep_import

            doc = sweep_import.build_sweep_document(nwbfile, args.sweep, args.morphology,
                                                    selection, source=args.input)
            if args.stimulus_out is not None:
                stimulus = sweep_import.build_stimulus_document(
                    nwbfile, args.sweep, args.morphology, selection, source=args.input)
        else:
            doc = _units_document(nwbfile, selection, args)
    save_document(doc, args.out)
    if stimulus is not None:
        save_document(stimulus, args.stimulus_out)
        print(f"wrote {args.stimulus_out}: the sweep's stimulus current (nA)")
    summary = summarize(doc)
    what = (f"{summary.get('units')} units, {summary.get('spikes')} spikes"
            if doc["format"] == "neuroblend.units"
            else f"sweep {args.sweep}: {len(doc['time'])} samples, soma voltage spread over "
            f"{args.morphology.name}")
    print(f"wrote {args.out}: {what} ({selection.source})")
    return 0


def _units_document(nwbfile, selection, args):
    from neuroblend.nwb.units_import import build_units_document, space_of_atlas

    space = None
    if args.atlas:
        from neuroblend.atlas.brainglobe import open_atlas

        space = space_of_atlas(open_atlas(args.atlas, args.brainglobe_dir), args.origin)
    return build_units_document(nwbfile, selection, source=args.input, space=space)
