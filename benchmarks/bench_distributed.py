"""Benchmark: films on Dask (`neuroblend film --workers N`).

1. The example storyboard, as a preview and in full (960x540), rendered serially (baseline: one
   Blender, every core), then with 1 and 2 local workers of 1 Cycles thread each; every run starts
   from a cache holding only the simulated demo cell (the preview 3 times, the median), and the
   videos are compared byte for byte.
   (A film too small to gain from local workers renders here: the table says which did.)
2. The overhead of chunks: films of one-frame chunks (16x16, 1 sample) on one worker against the
   same films rendered in-process; a worker's first chunk of a shot pays Blender's start and the
   build, each further chunk only scheduling and a request to the worker's Blender.
3. The scheduler alone: a Blender-free task of a fixed cost per frame on 1, 2, 4 and 8 local
   workers, throughput against 1 worker (what Dask adds, not what Blender does).

    .venv/bin/python benchmarks/bench_distributed.py [--skip-film] [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bridge"))

from neuroblend.dask_cluster import ClusterOptions  # noqa: E402
from neuroblend.film import build_film, load_storyboard  # noqa: E402

FRAME_COST_S = 0.2  # the simulated frame
SIM_FRAMES = 160


def film_runs(work: Path, preview: bool, repeat: int = 1) -> None:
    """The example film serially, on 1 and on 2 local workers, each from a cache holding only
    the simulated cell; ``repeat`` runs each, alternating, and reports the median."""
    import statistics

    board_path = work / "storyboard.toml"
    shutil.copy(REPO / "examples" / "storyboard.toml", board_path)
    board = load_storyboard(board_path)
    demo = work / "demo-cache"
    if not (demo / "data").is_dir():
        build_film(board, work / "demo.mp4", preview=True, cache_dir=demo, log=lambda _: None)
    configs = {"serial (baseline)": None,
               "1 worker x 1 thread": ClusterOptions(workers=1, threads=1),
               "2 workers x 1 thread": ClusterOptions(workers=2, threads=1)}
    seconds: dict[str, list[float]] = {label: [] for label in configs}
    where, frames = {}, 0
    for _ in range(repeat):
        for index, (label, cluster) in enumerate(configs.items()):
            cache = work / f"cache-{index}"
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir()
            shutil.copytree(demo / "data", cache / "data")  # the simulated cell, not its renders
            out = work / f"{'preview' if preview else 'final'}-{index}.mp4"
            lines: list[str] = []
            started = time.perf_counter()
            report = build_film(board, out, preview=preview, cache_dir=cache, cluster=cluster,
                                log=lines.append)
            seconds[label].append(time.perf_counter() - started)
            chunks = sum(line.startswith("[frames ") for line in lines)
            where[label] = (out, f"{chunks} chunks on Dask" if chunks else "rendered here")
            frames = report.frames
    base = statistics.median(seconds["serial (baseline)"])
    serial_bytes = where["serial (baseline)"][0].read_bytes()
    print(f"\n1. example storyboard, {'--preview' if preview else 'final'} ({frames} frames), "
          f"from a cache holding only the demo cell; median of {repeat}")
    for label, times in seconds.items():
        out, how = where[label]
        same = "byte-identical" if out.read_bytes() == serial_bytes else "DIFFERENT bytes"
        median = statistics.median(times)
        print(f"  {label:22s} {median:7.1f} s   {median / base:5.2f}x serial   "
              f"video {same} to serial   ({how})")


def _tiny_film(work: Path, chunks: int, cluster: bool) -> float:
    """Seconds to build a film of ``chunks`` 16x16 1-sample frames, here or one frame a chunk
    on a 1-worker cluster (its start included)."""
    (work / f"tiny{chunks}.toml").write_text(
        '[video]\nsize = [16, 16]\nfps = 10\nsamples = 1\n\n[[timeline]]\nname = "cell"\n'
        f'shot = "spike"\ndata = "toy.pkl"\nduration = {chunks / 10}\n'
        'look = { time_label = false, colorbar = false }\n')
    board = load_storyboard(work / f"tiny{chunks}.toml")
    name = f"{'dask' if cluster else 'here'}{chunks}"
    options = ClusterOptions(workers=1, chunk_frames=1) if cluster else None
    started = time.perf_counter()
    build_film(board, work / f"{name}.mp4", cache_dir=work / name, log=lambda _: None,
               cluster=options)
    return time.perf_counter() - started


def chunk_overhead(work: Path, few: int = 4, many: int = 16) -> None:
    from spike_docs import toy_document

    from neuroblend.dask_cluster import open_client
    from neuroblend.files.fileformat import save_document

    save_document(toy_document(), work / "toy.pkl")
    started = time.perf_counter()
    with open_client(ClusterOptions(workers=1), log=lambda _: None):
        pass
    start = time.perf_counter() - started
    _tiny_film(work, 1, cluster=False)  # warm up: imports, first scene
    here = {n: _tiny_film(work, n, cluster=False) for n in (few, many)}
    dask = {n: _tiny_film(work, n, cluster=True) for n in (few, many)}
    per_chunk = ((dask[many] - here[many]) - (dask[few] - here[few])) / (many - few)
    first = dask[few] - here[few] - start - few * per_chunk
    print(f"\n2. chunk overhead: films of {few} and {many} one-frame chunks (16x16, 1 sample) on "
          "1 worker, against the same films rendered here")
    print(f"  starting and closing a 1-worker local cluster              {start:6.2f} s")
    for n in (few, many):
        print(f"  {n:3d} frames: here {here[n]:6.2f} s, on Dask a chunk each {dask[n]:6.2f} s")
    print(f"  a worker's first chunk of a shot (Blender start + build)  {first:6.2f} s")
    print(f"  each further chunk (scheduling, request, frame sync)      {per_chunk:6.2f} s")


def _frame_task(frames: int) -> int:
    time.sleep(FRAME_COST_S * frames)
    return frames


def scaling() -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    print(f"\n3. scheduler only: {SIM_FRAMES} frames of {FRAME_COST_S} s in chunks of 4")
    base = None
    for workers in (1, 2, 4, 8):
        with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as c, \
                Client(c) as client:
            started = time.perf_counter()
            futures = [client.submit(_frame_task, 4, pure=False) for _ in range(SIM_FRAMES // 4)]
            done = sum(f.result() for f in as_completed(futures))
            rate = done / (time.perf_counter() - started)
        base = base or rate
        print(f"  {workers} workers  {rate:6.1f} frames/s   {rate / base:5.2f}x 1 worker "
              f"(ideal {workers}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-film", action="store_true", help="skip part 1 (minutes)")
    parser.add_argument("--skip-final", action="store_true", help="part 1: the preview only")
    parser.add_argument("--film-only", action="store_true", help="part 1 only")
    parser.add_argument("--out", type=Path, help="keep the work here (default: a temp folder)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "tests"))
    work = args.out or Path(tempfile.mkdtemp(prefix="bench-distributed-"))
    work.mkdir(parents=True, exist_ok=True)
    if not args.skip_film:
        film_runs(work, preview=True, repeat=3)
        if not args.skip_final:
            film_runs(work, preview=False)
    if not args.film_only:
        chunk_overhead(work)
        scaling()
    return 0


if __name__ == "__main__":
    sys.exit(main())
