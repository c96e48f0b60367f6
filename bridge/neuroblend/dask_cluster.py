"""Chunks of frames on a Dask cluster (films and renders): local worker processes
(``--workers N``), a running scheduler (``--scheduler ADDRESS``) or a batch-queue cluster from a
config (``--cluster F.yaml``, dask-jobqueue: SLURM, PBS, SGE, LSF).

Dask schedules the chunks, retries a failed one and reschedules the chunk of a lost worker; the
folders the chunks write into, which every worker must see at the same paths, are the shared
store. This module only opens the cluster, submits, and reports progress across the cluster.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from neuroblend.durations import clock_text
from neuroblend.errors import NeuroBlendError
from neuroblend.files.reading import read_bounded

JOBQUEUE = {"slurm": "SLURMCluster", "pbs": "PBSCluster", "sge": "SGECluster",
            "lsf": "LSFCluster"}
CLUSTER_KEYS = ("kind", "workers", "options")
MAX_CLUSTER_FILE = 1 << 16
MAX_WORKERS = 10_000
MAX_LOCAL_WORKERS_PER_CORE = 2  # more local workers than this only slow a machine down
MAX_OPTION_TEXT = 4096
MAX_OPTION_ITEMS = 100
RETRIES = 2


@dataclass(frozen=True)
class ChunkTask:
    """One unit of work: ``function(*args)`` renders ``frames`` frames (``label`` for people,
    ``key`` unique among the tasks of a run, ``priority``: higher first)."""

    label: str
    key: str
    frames: int
    function: Callable
    args: tuple
    priority: int = 0  # higher starts first (a film's clips: long, single chunks)


@dataclass(frozen=True)
class ClusterOptions:
    """Where chunks render: ``workers`` local processes, a ``scheduler`` address or a
    jobqueue ``cluster_file``; ``threads``: Cycles threads of each render; ``chunk_frames``:
    frames per chunk instead of the size that keeps a chunk's overhead at a tenth."""

    workers: int | None = None
    scheduler: str | None = None
    cluster_file: Path | None = None
    threads: int | None = None
    chunk_frames: int | None = None  # frames per chunk (default: chunks.chunk_frames)

    @property
    def distributed(self) -> bool:
        return bool(self.workers or self.scheduler or self.cluster_file)

    def check(self) -> None:
        """Local workers must fit this machine (each is a Blender: memory and cores)."""
        cores = os.cpu_count() or 1
        if self.workers and self.workers > MAX_LOCAL_WORKERS_PER_CORE * cores:
            raise NeuroBlendError(f"--workers {self.workers}: this machine has {cores} cores; "
                                  f"at most {MAX_LOCAL_WORKERS_PER_CORE * cores} local workers "
                                  "(for more, use --scheduler or --cluster)")


def read_cluster_file(path: Path) -> tuple[str, int, dict]:
    """(kind, workers, jobqueue options) of a cluster config, or a one-line error saying what
    is wrong with it."""
    import yaml

    try:
        config = yaml.safe_load(read_bounded(path, MAX_CLUSTER_FILE, "the cluster file"))
    except yaml.YAMLError as exc:
        raise NeuroBlendError(f"--cluster {path}: not YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(config, dict) or set(config) - set(CLUSTER_KEYS):
        raise NeuroBlendError(f"--cluster {path}: expected a mapping with keys "
                              f"{', '.join(CLUSTER_KEYS)}")
    kind, workers, options = config.get("kind"), config.get("workers", 1), config.get("options", {})
    if kind not in JOBQUEUE:
        raise NeuroBlendError(f"--cluster {path}: kind {kind!r} is not one of "
                              f"{', '.join(JOBQUEUE)}")
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise NeuroBlendError(f"--cluster {path}: workers must be a whole number 1..{MAX_WORKERS}")
    if not isinstance(options, dict) or not all(isinstance(k, str) for k in options):
        raise NeuroBlendError(f"--cluster {path}: options must be a mapping of "
                              f"dask_jobqueue.{JOBQUEUE[kind]} arguments")
    for key, value in options.items():
        if not _plain_option(value):
            raise NeuroBlendError(f"--cluster {path}: options.{key[:60]} must be a number, a "
                                  f"string of at most {MAX_OPTION_TEXT} characters, or a list "
                                  f"of at most {MAX_OPTION_ITEMS} of those")
    return kind, workers, options


def _plain_option(value, depth: int = 0) -> bool:
    """A jobqueue argument as a config may give it: a scalar, a short list of scalars, or a
    small mapping of those (scheduler_options); no alias-expanded bombs."""
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, str):
        return len(value) <= MAX_OPTION_TEXT
    if depth == 0 and isinstance(value, list):
        return len(value) <= MAX_OPTION_ITEMS and all(_plain_option(v, 1) for v in value)
    if depth == 0 and isinstance(value, dict):
        return len(value) <= MAX_OPTION_ITEMS and all(
            isinstance(k, str) and _plain_option(v, 1) for k, v in value.items())
    return False


def jobqueue_cluster(path: Path, *, scale: bool = True):
    """The dask-jobqueue cluster a config describes, scaled to its ``workers`` (jobs are
    submitted to the queue then)."""
    import dask_jobqueue

    kind, workers, options = read_cluster_file(path)
    try:
        cluster = getattr(dask_jobqueue, JOBQUEUE[kind])(**options)
    except (TypeError, ValueError) as exc:
        raise NeuroBlendError(f"--cluster {path}: {JOBQUEUE[kind]} refused the options: "
                              f"{exc}") from None
    if scale:
        cluster.scale(workers)
    return cluster


@contextlib.contextmanager
def open_client(options: ClusterOptions, log=print) -> Iterator:
    """A Dask client for ``options`` (the cluster it starts is closed afterwards)."""
    from dask.distributed import Client, LocalCluster

    options.check()
    cluster = None
    try:
        if options.scheduler:
            client = Client(options.scheduler, timeout="20s")
        else:
            cluster = (jobqueue_cluster(options.cluster_file) if options.cluster_file else
                       LocalCluster(n_workers=options.workers, threads_per_worker=1,
                                    processes=True, dashboard_address=":0"))
            client = Client(cluster)
    except (OSError, ValueError) as exc:
        raise NeuroBlendError(f"cannot reach the Dask scheduler: {exc}") from None
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        dashboard = f", dashboard {client.dashboard_link}" if _has_dashboard() else ""
        log(f"Dask scheduler {client.scheduler.address} ({workers} workers now{dashboard})")
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _has_dashboard() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def run_chunks(client, tasks: list[ChunkTask], log=print) -> int:
    """Run every task on the cluster; returns the frames rendered. Prints frames done, frames
    per minute and time left as chunks finish, cluster-wide."""
    from dask.distributed import as_completed

    total = sum(task.frames for task in tasks)
    futures = {client.submit(task.function, *task.args, key=f"neuroblend-{task.key}",
                             retries=RETRIES, pure=False, priority=task.priority): task
               for task in tasks}
    started, done = time.perf_counter(), 0
    try:
        for future in as_completed(futures):
            task = futures[future]
            try:
                future.result()
            except Exception as exc:  # the chunk failed RETRIES + 1 times (or its workers died)
                raise NeuroBlendError(f"{task.label} failed on the cluster: {exc}") from None
            done += task.frames
            rate = done / max(time.perf_counter() - started, 1e-9) * 60
            left = (total - done) / rate * 60 if rate else math.inf
            log(f"[frames {done}/{total}] {task.label} done, {rate:.1f} frames/min, "
                f"{clock_text(left)} left")
    finally:
        for future in futures:
            future.cancel()
    return done
