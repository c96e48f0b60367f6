"""The Dask flags of ``neuroblend film`` and every ``neuroblend render`` kind: where chunks of
frames render (local workers, a running scheduler, a jobqueue cluster) and how big a chunk is."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from neuroblend.argtypes import int_range
from neuroblend.dask_cluster import MAX_WORKERS, ClusterOptions

ADDRESS = re.compile(r"(tcp|tls)://(?P<host>[A-Za-z0-9._-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])"
                     r":(?P<port>[0-9]{1,5})")


def add_dask_arguments(parser):
    """--workers | --scheduler | --cluster, and --chunk-frames; returns their group."""
    where = parser.add_argument_group("where it renders (Dask)")
    dask = where.add_mutually_exclusive_group()
    dask.add_argument("--workers", type=int_range(1, MAX_WORKERS), metavar="N",
                      help="render chunks of frames on N local worker processes; work too "
                      "small to gain from them renders here, unless --chunk-frames")
    dask.add_argument("--scheduler", metavar="ADDRESS", type=scheduler_address,
                      help="render on a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (every "
                      "worker must see the output folders at the same paths)")
    dask.add_argument("--cluster", type=Path, metavar="FILE.yaml",
                      help="start a dask-jobqueue cluster (SLURM, PBS, SGE, LSF) from a config")
    where.add_argument("--chunk-frames", type=int_range(1, 100_000), metavar="N",
                       help="frames per Dask task (default: enough that what a task adds is "
                       "under a tenth of its render time)")
    return where


def scheduler_address(text: str) -> str:
    """``tcp://HOST:PORT`` (or tls://): a Dask scheduler's address, the port 1..65535."""
    match = ADDRESS.fullmatch(text)
    if not match or not 1 <= int(match["port"]) <= 65535:
        raise argparse.ArgumentTypeError(f"{text[:80]!r}: expected tcp://HOST:PORT (or "
                                         "tls://), the port 1..65535")
    return text


def cluster_options(args, threads: int | None = None) -> ClusterOptions:
    """The parsed Dask flags (a bad ``--cluster`` config is refused here, before any work)."""
    if args.cluster is not None:
        from neuroblend.dask_cluster import read_cluster_file

        read_cluster_file(args.cluster)
    options = ClusterOptions(workers=args.workers, scheduler=args.scheduler,
                             cluster_file=args.cluster, threads=threads or None,
                             chunk_frames=args.chunk_frames)
    options.check()
    return options
