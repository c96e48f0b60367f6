"""``neuroblend film STORYBOARD.toml --out final.mp4 [--preview]``: a storyboard -> a finished video."""

from __future__ import annotations

from pathlib import Path

from neuroblend.argtypes import int_range
from neuroblend.cli.cluster_args import add_dask_arguments, cluster_options
from neuroblend.files.limits import MAX_FILM_FRAMES, MAX_FILM_SIZE
from neuroblend.render_device import DEVICES

HELP = "render a storyboard (shots, clips, titles, timing, voiceover) to one MP4, with caching"


def add_arguments(parser) -> None:
    parser.add_argument("storyboard", type=Path, help="storyboard file (.toml)")
    parser.add_argument("--out", type=Path, help="the video to write (.mp4)")
    parser.add_argument("--preview", action="store_true",
                        help="quarter size, every n-th frame (video.preview_every): check timing fast")
    parser.add_argument("--cache", type=Path,
                        help="cache folder (default: .NAME.film-cache beside --out)")
    parser.add_argument("--check", action="store_true",
                        help="only validate the storyboard (and --out, --cache if given), "
                             "print its timeline and, with --out, render the layout pre-pass "
                             "and report overlaps of clips and titles with lit pixels it cannot "
                             "resolve (exit 1 if any)")
    parser.add_argument("--max-size", type=int_range(16, 65536), default=MAX_FILM_SIZE,
                        help=f"largest video.size side in pixels (default {MAX_FILM_SIZE})")
    parser.add_argument("--max-frames", type=int_range(1, 100_000_000), default=MAX_FILM_FRAMES,
                        help="most frames the film may render and compose, shots and clips "
                             f"included (default {MAX_FILM_FRAMES:,})")
    parser.add_argument("--verbose", action="store_true",
                        help="show Blender's own log lines (per frame) besides the progress line")
    parser.add_argument("--font", type=Path, metavar="FILE.ttf",
                        help="font of every title, label and clip (overrides the storyboard's "
                        "font; default: the bundled DejaVu Sans)")
    _add_render_arguments(parser)


def _add_render_arguments(parser) -> None:
    where = add_dask_arguments(parser)
    where.add_argument("--threads", type=int_range(0, 1024), metavar="N",
                       help="Cycles threads of each render (default: all cores)")
    where.add_argument("--device", choices=DEVICES,
                       help="Cycles device (default: the storyboard's video.device, else auto)")


def _check_layout(board, args) -> int:
    from neuroblend.film.build import check_layout

    problems = check_layout(board, args.out, cache_dir=args.cache)
    for problem in problems:
        print(f"layout: {problem}")
    print(f"{args.storyboard}: layout {'has overlaps' if problems else 'clear'} (preview "
          "pre-pass)")
    return 1 if problems else 0


def run(args) -> int:
    from neuroblend.errors import NeuroBlendError
    from neuroblend.film import FilmLimits, build_film, load_storyboard, resolve

    board = load_storyboard(args.storyboard, FilmLimits(args.max_size, args.max_frames))
    if args.font is not None:
        from neuroblend.typography.font_file import read_metrics

        board.font = read_metrics(args.font).path
    cluster = cluster_options(args, args.threads)
    if args.check:
        if args.out is not None:
            from neuroblend.film.outputs import check_targets

            check_targets(args.out, board, args.cache)  # as a build would, writing nothing
        spans = resolve(board)
        for item in board.items:
            span = spans[item.name]
            print(f"{span.start:7.2f}-{span.end:7.2f} s  {item.type:10s} {item.kind:15s} {item.name}")
        print(f"{args.storyboard}: valid")
        return _check_layout(board, args) if args.out is not None else 0
    if args.out is None:
        raise NeuroBlendError("give --out FILE.mp4 (or --check to validate only)")
    build_film(board, args.out, preview=args.preview, cache_dir=args.cache,
               cluster=cluster, device=args.device)
    return 0
