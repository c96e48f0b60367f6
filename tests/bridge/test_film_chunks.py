"""Chunks of a film item: how frames are split, what is still missing, and how chunks commit to
the cache when several renders (or several `neuroblend film` runs) share it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from neuroblend.errors import NeuroBlendError
from neuroblend.film import cache as cache_module
from neuroblend.film.cache import Cache
from neuroblend.film.chunks import (
    CHUNK_OVERHEAD_S,
    MIN_CHUNK,
    OVERHEAD_SHARE,
    PIXEL_SAMPLE_S,
    SHOT_START_S,
    chunk_frames,
    frame_name,
    missing,
    plan_chunks,
    worth_splitting,
)

KEY = "0123456789abcdef0123"
OTHER = "fedcba9876543210fedc"


def job(frames=100, size=(960, 540), samples=16, kind="shot"):
    return {"type": kind, "name": "cell", "key": KEY, "times": [0.0] * frames,
            "size": list(size), "samples": samples}


def test_chunks_cover_every_frame_once():
    chunks = plan_chunks(job(45), 20)
    assert [(c.first, c.last) for c in chunks] == [(1, 22), (23, 45)]
    assert [(c.first, c.last) for c in plan_chunks(job(3), 20)] == [(1, 3)]
    for count, size in ((135, 13), (100, 7), (7, 7), (1000, 1)):
        frames = [f for c in plan_chunks(job(count), size) for f in c.frames]
        assert frames == list(range(1, count + 1))


@pytest.mark.parametrize("overhead", [CHUNK_OVERHEAD_S, SHOT_START_S])
def test_a_chunk_is_long_enough_that_its_overhead_is_a_tenth_of_it(overhead):
    full = job(135, size=(480, 270), samples=8)
    size = chunk_frames(full, overhead=overhead)
    frame_s = 480 * 270 * 8 * PIXEL_SAMPLE_S
    assert size > MIN_CHUNK
    assert overhead <= OVERHEAD_SHARE * size * frame_s
    assert overhead > OVERHEAD_SHARE * (size - 2) * frame_s  # and not much longer
    lengths = {len(c.frames) for c in plan_chunks(full, size)}
    assert min(lengths) >= size and max(lengths) - min(lengths) <= 1
    cheaper = job(135, size=(240, 136), samples=8)
    assert chunk_frames(cheaper, overhead=overhead) > size  # cheaper frames: longer
    assert chunk_frames(full, overhead=SHOT_START_S) > chunk_frames(full)  # own Blender: longer
    assert chunk_frames(job(3, size=(240, 136), samples=8)) == 3
    assert chunk_frames(job(500, kind="clip")) == 500  # a clip is one chunk


def test_local_workers_are_used_only_where_their_start_up_is_under_a_tenth():
    preview = [job(45, size=(240, 136), samples=8), job(45, size=(96, 54), kind="clip")]
    final = [job(135, size=(960, 540), samples=16)]
    assert not worth_splitting(preview, cores=2)  # about 2 s of rendering: stays here
    assert worth_splitting(final, cores=2)  # minutes
    assert not worth_splitting(final, cores=64)  # a big machine renders it here in seconds


def test_missing_frames_decide_which_chunks_render(tmp_path):
    chunks = plan_chunks(job(12), 4)
    for frame in (1, 2, 3, 4, 9):
        (tmp_path / frame_name(frame)).write_bytes(b"png")
    assert [(c.first, c.last) for c in missing(chunks, tmp_path)] == [(5, 8), (9, 12)]


def test_chunks_complete_an_item_only_when_every_frame_is_in(tmp_path):
    cache = Cache(tmp_path / "c")
    for first, last in ((1, 2), (5, 5)):
        with cache.work("cell", KEY, first, last) as work:
            for frame in range(first, last + 1):
                (work / frame_name(frame)).write_text(f"frame {frame}")
            cache.commit_frames("cell", KEY, work, range(first, last + 1))
    assert not cache.finish("cell", KEY, 5, {"name": "cell", "key": KEY})
    with cache.work("cell", KEY, 3, 4) as work:
        (work / frame_name(3)).write_text("frame 3")
        with pytest.raises(NeuroBlendError, match="no frame_0004.png"):
            cache.commit_frames("cell", KEY, work, [3, 4])
        (work / frame_name(4)).write_text("frame 4")
        cache.commit_frames("cell", KEY, work, [3, 4])
    assert cache.finish("cell", KEY, 5, {"name": "cell", "key": KEY})
    frames = cache.entry("cell", KEY) / "frames"
    assert [p.read_text() for p in sorted(frames.iterdir())] == [f"frame {i}" for i in range(1, 6)]
    assert list((tmp_path / "c" / "work").iterdir()) == []  # work folders are removed


def _commit_chunks(root, first_frames, barrier):
    cache = Cache(root)
    barrier.wait()
    for first in first_frames:
        with cache.work("cell", KEY, first, first + 9) as work:
            for frame in range(first, first + 10):
                (work / frame_name(frame)).write_text(f"frame {frame}")
            cache.commit_frames("cell", KEY, work, range(first, first + 10))
    cache.finish("cell", KEY, 100, {"name": "cell", "key": KEY})


def test_two_builds_committing_the_same_item_at_once_never_corrupt_it(tmp_path):
    root = tmp_path / "c"
    Cache(root)
    barrier = multiprocessing.Barrier(2)
    runs = [multiprocessing.Process(target=_commit_chunks, args=(root, order, barrier))
            for order in (range(1, 101, 10), range(91, 0, -10))]
    for run in runs:
        run.start()
    for run in runs:
        run.join(30)
        assert run.exitcode == 0
    cache = Cache(root)
    assert cache.has("cell", KEY)
    frames = sorted((cache.entry("cell", KEY) / "frames").iterdir())
    assert [p.read_text() for p in frames] == [f"frame {i}" for i in range(1, 101)]
    assert not cache.entry("cell", KEY, ".partial").exists()


def _hold_work_folder(root, ready):
    with Cache(root).work("cell", KEY, 1, 10) as work:
        (work / "frame_0001.png").write_text("half a chunk")
        ready.set()
        time.sleep(60)


def test_a_killed_worker_leaves_a_folder_the_next_run_sweeps(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "SWEEP_AFTER_S", 0.0)
    root = tmp_path / "c"
    Cache(root)
    ready = multiprocessing.Event()
    alive = multiprocessing.Process(target=_hold_work_folder, args=(root, ready))
    alive.start()
    assert ready.wait(20)
    Cache(root).sweep()  # its owner is alive: kept
    assert len([p for p in (root / "work").iterdir() if p.is_dir()]) == 1
    os.kill(alive.pid, signal.SIGKILL)
    alive.join(10)
    Cache(root).sweep()  # the owner died (kill -9 releases its lock): removed
    assert list((root / "work").iterdir()) == []


def test_an_older_key_in_use_by_another_build_is_kept(tmp_path):
    cache = Cache(tmp_path / "c")
    with cache.in_use("cell", OTHER):
        cache.partial("cell", OTHER)
        with cache.work("cell", KEY, 1, 1) as work:
            (work / frame_name(1)).write_text("new")
            cache.commit_frames("cell", KEY, work, [1])
        assert cache.finish("cell", KEY, 1, {"name": "cell", "key": KEY})
        assert cache.entry("cell", OTHER, ".partial").is_dir()
    third = "abcabcabcabcabcabcab"  # a later build, no other in use: older keys go
    with cache.work("cell", third, 1, 1) as work:
        (work / frame_name(1)).write_text("newer")
        cache.commit_frames("cell", third, work, [1])
    assert cache.finish("cell", third, 1, {"name": "cell", "key": third})
    assert sorted(p.name for p in (tmp_path / "c" / "items").iterdir()) == [f"cell-{third}"]
