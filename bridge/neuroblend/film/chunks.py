"""Chunks: the unit of film rendering work, a run of consecutive frames of one shot or clip.

A worker keeps one Blender with the shot it built last (:mod:`neuroblend.film.shot_server`), so
Blender's start and a shot's build are paid once per worker and shot, not per chunk. A shot is
split so that what a chunk itself adds (scheduling, a request, the first frame's sync) stays under
a tenth of what its frames cost to render; a clip (drawn by matplotlib, cheap) is one chunk.
Frame numbers are the item's own, 1-based, as its files are named (``frame_0001.png``...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

CHUNK_OVERHEAD_S = 0.5         # what a chunk adds on a warm worker (bench_distributed: 0.1-0.3)
SHOT_START_S = 3.0             # a worker's Blender start + a shot's build (bench_distributed)
CLUSTER_START_S = 3.0          # measured start of a local Dask cluster (bench_distributed)
OVERHEAD_SHARE = 0.1           # at most this share of a chunk's time is overhead
PIXEL_SAMPLE_S = 280e-9        # CPU seconds per pixel-sample of a Cycles emission scene
MIN_CHUNK = 4


@dataclass(frozen=True)
class Chunk:
    """Frames ``first..last`` (inclusive) of the item ``name`` under cache ``key``."""

    name: str
    key: str
    first: int
    last: int

    @property
    def frames(self) -> range:
        return range(self.first, self.last + 1)

    def __str__(self) -> str:
        return f"{self.name} frames {self.first}-{self.last}"


def frame_name(frame: int) -> str:
    """The file name of an item's frame (``frame_0001.png``)."""
    return f"frame_{frame:04d}.png"


def frame_seconds(job: dict, threads: int = 1) -> float:
    """Estimated render time of one frame of ``job`` (a clip frame counts as free)."""
    if job["type"] == "clip":
        return 0.0
    width, height = job["size"]
    return width * height * job["samples"] * PIXEL_SAMPLE_S / max(1, threads)


def worth_splitting(jobs: list[dict], cores: int) -> bool:
    """Whether local workers on this machine's ``cores`` lose at most a tenth to splitting
    ``jobs``: starting the cluster and a chunk must be under :data:`OVERHEAD_SHARE` of the
    estimated time this process alone would take (it already uses every core)."""
    here = sum(frame_seconds(job) * len(job["times"]) for job in jobs) / max(1, cores)
    return CLUSTER_START_S + SHOT_START_S <= OVERHEAD_SHARE * here


def chunk_frames(job: dict, threads: int = 1, overhead: float = CHUNK_OVERHEAD_S) -> int:
    """How many frames of ``job`` go in one chunk: enough that the chunk's ``overhead`` (a
    film's warm worker: :data:`CHUNK_OVERHEAD_S`; a chunk in its own Blender:
    :data:`SHOT_START_S`) is at most :data:`OVERHEAD_SHARE` of the estimated render time (a
    clip: all of them)."""
    count = len(job["times"])
    if job["type"] == "clip":
        return count
    frame_s = frame_seconds(job, threads)
    wanted = math.ceil(overhead / (OVERHEAD_SHARE * max(frame_s, 1e-6)))
    return max(1, min(count, max(MIN_CHUNK, wanted)))


def plan_chunks(job: dict, size: int) -> list[Chunk]:
    """``job``'s frames in chunks of at least ``size`` frames (all within one frame of each
    other in length)."""
    count = len(job["times"])
    chunks = max(1, count // max(1, size))
    edges = [1 + i * count // chunks for i in range(chunks + 1)]
    return [Chunk(job["name"], job["key"], a, b - 1) for a, b in zip(edges, edges[1:], strict=False)]


def missing(chunks: list[Chunk], frames_dir: Path) -> list[Chunk]:
    """The chunks with a frame not yet in ``frames_dir`` (a frame file is there only once it is
    complete: chunks move finished frames in by rename)."""
    present = {p.name for p in frames_dir.glob("frame_*.png")} if frames_dir.is_dir() else set()
    return [c for c in chunks if any(frame_name(f) not in present for f in c.frames)]
