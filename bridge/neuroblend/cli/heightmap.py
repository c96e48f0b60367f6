"""``neuroblend heightmap INPUT... --out hm.pkl``: arrays and images -> a heightmap file."""

from __future__ import annotations

import sys
import warnings

from neuroblend.argtypes import float_range, int_range
from neuroblend.files.limits import MAX_PIXELS
from neuroblend.option_ranges import BIG

HELP = "convert .npy/.npz/.csv/.png/.tif heights (or several frames) to a heightmap file"


def add_arguments(parser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="heights: .npy/.npz/.csv/.png/.tif (a 3-D array or multi-page TIFF "
                             "is animated; several 2-D files become the frames of an animation)")
    parser.add_argument("--out", required=True, help="heightmap file to write (.pkl)")
    parser.add_argument("--key", help="array to use from an .npz holding several")
    parser.add_argument("--extent", type=float_range(-BIG, BIG), nargs=4,
                        metavar=("XMIN", "XMAX", "YMIN", "YMAX"),
                        help="x of the first/last column and y of the last/first row "
                             "(default: pixel units 0..columns-1, 0..rows-1)")
    parser.add_argument("--xy-units", default="", help="unit of x and y, e.g. mm")
    parser.add_argument("--z-units", default="", help="unit of the heights, e.g. mV")
    parser.add_argument("--no-downsample", action="store_true",
                        help="refuse grids over 4 million cells instead of downsampling them")
    parser.add_argument("--max-pixels", type=int_range(1, 10**12), default=MAX_PIXELS, metavar="N",
                        help="refuse inputs declaring more than N cells before reading them "
                             f"(1..10**12; default {MAX_PIXELS:,})")
    parser.add_argument("--export-png", metavar="FILE.png",
                        help="also write a 16-bit greyscale PNG (heights scaled to 0..65535)")
    parser.add_argument("--export-exr", metavar="FILE.exr",
                        help="also write a 32-bit float OpenEXR with the exact heights")


def run(args) -> int:
    from neuroblend.files.fileformat import save_document, summarize
    from neuroblend.surface.heightmap import export_exr, export_png16, heightmap_from_files

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = heightmap_from_files(
            args.inputs, key=args.key, extent=args.extent,
            units={"xy": args.xy_units, "z": args.z_units}, downsample=not args.no_downsample,
            max_pixels=args.max_pixels)
    for warning in caught:
        print(f"neuroblend heightmap: warning: {warning.message}", file=sys.stderr)
    save_document(doc, args.out)
    info = summarize(doc)
    print(f"wrote {args.out}: {info['grid']}, {info['frames']} frame(s), "
          f"z {info['z_range'][0]:g}..{info['z_range'][1]:g}, {info['holes']} hole(s)")
    if args.export_png:
        for path in export_png16(doc, args.export_png):
            print(f"wrote {path} (16-bit PNG, 0..65535 = z {info['z_range'][0]:g}.."
                  f"{info['z_range'][1]:g})")
    if args.export_exr:
        for path in export_exr(doc, args.export_exr):
            print(f"wrote {path} (float EXR, exact heights)")
    return 0
