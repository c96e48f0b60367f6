"""Rendering a film's shots and clips into the cache: here, one item after another, or as chunks
of frames on a Dask cluster (:mod:`neuroblend.dask_cluster`).

Every item is rendered into a private work folder and its finished frames are moved into the
item's partial folder (:meth:`~neuroblend.film.cache.Cache.commit_frames`); the item is complete
once all its frames are in. Both ways run the same frame renders, so they give the same files.
"""

from __future__ import annotations

import json
from pathlib import Path

from neuroblend.dask_cluster import ChunkTask, ClusterOptions
from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import atomic_path
from neuroblend.film.cache import Cache
from neuroblend.film.chunks import Chunk, chunk_frames, missing, plan_chunks
from neuroblend.film.progress import WEIGHTS, FilmProgress
from neuroblend.film.shot_server import render_on_server


def write_job_file(job: dict, cache: Cache, progress: FilmProgress | None) -> Path:
    """The job's JSON file in its partial folder (what a shot render or a worker reads),
    replaced whole: another build of the same item may be reading it."""
    partial = cache.partial(job["name"], job["key"])
    spec = partial / "job.json"
    with atomic_path(spec) as tmp:
        tmp.write_text(json.dumps({**job, "out": str(partial / "frames"),
                                   "progress": progress.state() if progress else None}))
    return spec


def render_here(job: dict, cache: Cache, progress: FilmProgress) -> None:
    """Render the frames of ``job`` still missing, in this process (one Blender session)."""
    frames_dir = cache.partial(job["name"], job["key"]) / "frames"
    todo = missing(plan_chunks(job, len(job["times"])), frames_dir)
    if not todo:
        return
    spec = write_job_file(job, cache, progress)
    chunk = todo[0]
    with cache.work(job["name"], job["key"], chunk.first, chunk.last) as work:
        if job["type"] == "clip":
            render_clip(job, work, lambda d: progress.frame(f"{job['name']}: {d}", "clip"))
        else:
            _render_shot_frames(spec, chunk.first, chunk.last, work)
            progress.done += len(chunk.frames)
            progress.work_done += len(chunk.frames) * WEIGHTS["shot"]
        cache.commit_frames(job["name"], job["key"], work, chunk.frames)


def _render_shot_frames(spec: Path, first: int, last: int, out: Path) -> None:
    from neuroblend.blender_runner import run_job
    from neuroblend.film.render_options import FilmShotOptions

    options = FilmShotOptions(job_file=spec, frames=(first, last), out=out)
    if run_job("film_shot", options):
        raise NeuroBlendError(f"rendering frames {first}-{last} of {spec.parent.name} failed "
                              "(see above)")


def render_clip(job: dict, out: Path, on_frame) -> None:
    """Draw every frame of a clip job into ``out``."""
    from neuroblend.clips.figure import ClipText
    from neuroblend.files.fileformat import load_document
    from neuroblend.film.clip_render import CLIP_RENDERERS
    from neuroblend.film.kinds import CLIP_KINDS

    doc = load_document(job["data"], expect=CLIP_KINDS[job["kind"]].format)
    text = ClipText.of(job.get("font"), job.get("video_height"))
    options = {**job["options"], "clock": job.get("clock", True)}
    CLIP_RENDERERS[job["kind"]](doc, options, job["data_times"], job["size"], out, on_frame,
                                text)


def chunk_tasks(jobs: list[dict], cache: Cache, cluster: ClusterOptions) -> list[ChunkTask]:
    """Dask tasks for the chunks of ``jobs`` with frames still missing from the cache
    (``cluster.chunk_frames`` frames each, default :func:`~neuroblend.film.chunks.chunk_frames`;
    a clip is always one chunk)."""
    tasks = []
    for job in jobs:
        frames_dir = cache.partial(job["name"], job["key"]) / "frames"
        size = len(job["times"]) if job["type"] == "clip" else cluster.chunk_frames
        chunks = missing(plan_chunks(job, size or chunk_frames(job, cluster.threads or 1)),
                         frames_dir)
        if chunks:
            spec = str(write_job_file(job, cache, None))
            first = int(job["type"] == "clip")  # one long chunk: first, not a lone tail
            tasks += [ChunkTask(str(c), f"{c.name}-{c.key}-{c.first}", len(c.frames),
                                render_chunk, (str(cache.root), spec, c), first)
                      for c in chunks]
    return tasks


def render_chunk(cache_root: str, job_file: str, chunk: Chunk) -> int:
    """Render ``chunk`` on a worker: on the worker's Blender for a shot
    (:mod:`~neuroblend.film.shot_server`), matplotlib for a clip, then move the frames into the
    cache. Returns the frames rendered (0: already complete)."""
    cache = Cache(cache_root)
    if cache.has(chunk.name, chunk.key):
        return 0
    job = json.loads(Path(job_file).read_text())
    with cache.work(chunk.name, chunk.key, chunk.first, chunk.last) as work:
        if job["type"] == "clip":
            render_clip(job, work, lambda _detail: None)
        else:
            try:
                render_on_server(job_file, chunk.first, chunk.last, work)
            except RuntimeError:
                if cache.has(chunk.name, chunk.key):  # another build finished it meanwhile
                    return 0
                raise
        cache.commit_frames(chunk.name, chunk.key, work, chunk.frames)
    return len(chunk.frames)
