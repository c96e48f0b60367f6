"""``neuroblend atlas list|export``: BrainGlobe atlases on this machine -> atlas files, offline."""

from __future__ import annotations

import sys

HELP = "list local BrainGlobe atlases, or export regions by acronym to a neuroblend.atlas file"


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="atlas_command", metavar="{list,export}")
    sub.required = True
    lst = sub.add_parser("list", help="atlases present locally (no network); with ATLAS, its "
                         "regions as a hierarchy")
    lst.add_argument("atlas", nargs="?", help="show the region hierarchy of this atlas")
    _common(lst)
    exp = sub.add_parser("export", help="export regions (meshes in the Blender frame, mm)")
    exp.add_argument("atlas", help="atlas name as BrainGlobe spells it, e.g. allen_mouse_25um")
    exp.add_argument("--regions", nargs="+", required=True, metavar="ACRONYM",
                     help="region acronyms, e.g. CA3 DG (root = the whole brain)")
    exp.add_argument("--descendants", action="store_true",
                     help="also export every region below the requested ones")
    exp.add_argument("--hemisphere", choices=("both", "left", "right"), default="both",
                     help="keep one hemisphere: meshes are clipped at the midline plane")
    exp.add_argument("--origin", default="center", metavar="center|A,S,R",
                     help="atlas point placed at Blender's origin: 'center' or three numbers in atlas "
                     "micrometres, in the atlas's own axis order (default %(default)s)")
    exp.add_argument("--download", action="store_true",
                     help="allow BrainGlobe to download a missing atlas or mesh (network)")
    exp.add_argument("--out", required=True, help="output .pkl file")
    _common(exp)


def _common(parser) -> None:
    parser.add_argument("--brainglobe-dir", metavar="DIR",
                        help="BrainGlobe folder (default: BrainGlobe's config, else ~/.brainglobe)")


def run(args) -> int:
    from neuroblend.atlas import atlas_export
    from neuroblend.atlas import brainglobe as atlas

    if args.atlas_command == "list":
        return _list(atlas, args)
    found = atlas.open_atlas(args.atlas, args.brainglobe_dir, download=args.download)
    doc, warnings = atlas_export.export_regions(found, args.regions, descendants=args.descendants,
                                         hemisphere=args.hemisphere, origin=args.origin)
    for line in warnings:
        print(f"neuroblend atlas: warning: {line}", file=sys.stderr)
    from neuroblend.files.fileformat import save_document

    save_document(doc, args.out)
    tris = sum(len(r["faces"]) for r in doc["regions"])
    print(f"wrote {args.out}: {len(doc['regions'])} regions "
          f"({', '.join(r['acronym'] for r in doc['regions'])}), {tris} triangles, "
          f"atlas {found.name} v{found.version}")
    return 0


def _list(atlas, args) -> int:
    if args.atlas:
        found = atlas.open_atlas(args.atlas, args.brainglobe_dir)
        for _id, acronym, name, depth in atlas.hierarchy(found):
            print(f"{'  ' * depth}{acronym}  {name}")
        return 0
    local = atlas.list_local_atlases(args.brainglobe_dir)
    if not local:
        print(f"{atlas.describe_local(args.brainglobe_dir)}; get one with `brainglobe install -a "
              "allen_mouse_25um` or `neuroblend atlas export NAME --download ...`")
        return 0
    for entry in local:
        res = entry["resolution_um"]
        res_text = f"{res[0]:g} um" if res else "?"
        print(f"{entry['name']}  v{entry['version']} ({entry['layout']}, {res_text}, "
              f"{entry['species'] or 'unknown species'})  {entry['path']}")
    return 0
