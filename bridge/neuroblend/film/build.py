"""Build a film from a checked storyboard: render what changed, compose, mux.

Every shot and clip becomes a PNG sequence in the cache (see :mod:`neuroblend.film.cache`),
rendered at the data times its clock gives for each output frame; the composition (Blender's
sequencer) runs only when a part or the timeline changed. ``preview`` renders a quarter of the
size (each side) and every n-th frame (``video.preview_every``) at fps / n, so timing holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.dask_cluster import ClusterOptions, open_client, run_chunks
from neuroblend.errors import NeuroBlendError
from neuroblend.film import camera
from neuroblend.film.cache import Cache, cache_key, file_hash
from neuroblend.film.chunks import worth_splitting
from neuroblend.film.execute import chunk_tasks, render_here
from neuroblend.film.kinds import CLIP_KINDS, SHOT_KINDS
from neuroblend.film.layout import title_pixels
from neuroblend.film.layout_pass import (
    Layout,
    anchor_point,
    arrange,
    masks_from,
    place_shot_overlays,
    prepass_job,
)
from neuroblend.film.outputs import check_targets
from neuroblend.film.progress import WEIGHTS, FilmProgress
from neuroblend.film.schema import DEMO_DATA
from neuroblend.film.timeline import frame_count, resolve
from neuroblend.sonata.config import is_sonata_config


@dataclass
class Settings:
    """Output geometry of one build (full or preview)."""

    size: tuple[int, int]
    fps: float
    step: int  # every step-th frame of the full-rate video
    preview: bool = False

    @property
    def out_fps(self) -> float:
        return self.fps / self.step


@dataclass
class BuildReport:
    """What a build did."""

    out: Path
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    composed: bool = False
    seconds: float = 0.0
    frames: int = 0
    layout: Layout | None = None  # where clips and titles went, and what overlaps remain


def settings_for(board, preview: bool) -> Settings:
    video = board.video
    if not preview:
        return Settings(tuple(video.size), video.fps, 1)
    w, h = (max(16, 2 * round(v / 8)) for v in video.size)  # a quarter of each side, even
    return Settings((w, h), video.fps, video.preview_every, preview=True)


def local_times(duration: float, settings: Settings) -> np.ndarray:
    """Seconds into an item of each output frame it covers."""
    return np.arange(frame_count(duration, settings.out_fps)) / settings.out_fps


def start_frame(seconds: float, settings: Settings) -> int:
    """Output frame (1-based) showing video time ``seconds``."""
    return 1 + int(round(seconds * settings.out_fps))


def build_film(board, out, *, preview: bool = False, cache_dir=None,
               cluster: ClusterOptions | None = None, device: str | None = None,
               log=print) -> BuildReport:
    """Render ``board`` to the MP4 ``out``; returns what was rendered and what came from cache.
    ``cluster``: render the shots' chunks on Dask (default: here, one after another);
    ``device``: the Cycles device (default: the storyboard's ``video.device``).

    The output and the cache are checked (see :mod:`neuroblend.film.outputs` and
    :mod:`neuroblend.film.cache`) before any input is hashed or anything renders."""
    started = time.perf_counter()
    cluster = cluster or ClusterOptions()
    out, cache = check_targets(out, board, cache_dir)
    spans = resolve(board)
    settings = settings_for(board, preview)
    report = BuildReport(out)
    jobs = [_job(board, item, spans, settings, cache) for item in board.items
            if item.type in ("shot", "clip")]
    _preflight(board, jobs, [j for j in jobs if not cache.has(j["name"], j["key"])])
    total = _video_frames(spans, settings)
    if cluster.workers and not (cluster.chunk_frames or worth_splitting(jobs, os.cpu_count() or 1)):
        log("film: too little to render to gain from local workers: rendering here")
        cluster = ClusterOptions()  # and on every core, not a worker's share
    how = {"device": device or board.video.device, "threads": cluster.threads}
    # clips do not depend on the layout: they render alongside the pre-pass, then the shots
    clips = [j for j in jobs if j["type"] == "clip" and not cache.has(j["name"], j["key"])]
    with _client(cluster, log) as dask:  # one cluster (and its workers' Blenders) per build
        masks = _prepass(jobs, settings, cache, dask, how, log, alongside=clips)
        for job in jobs:
            place_shot_overlays(job, masks)  # the shot's own overlays where the layout put them
            job.update(how)  # how to render, kept out of the cache key: it changes no pixel
        shots = [j for j in jobs if j["type"] == "shot" and not cache.has(j["name"], j["key"])]
        _render_items(shots, total, cache, dask, log)
    for job in jobs:
        (report.rendered if job in clips + shots else report.cached).append(job["name"])
        job["frames_dir"] = str(cache.entry(job["name"], job["key"]) / "frames")
    placed = arrange(board, spans, settings, masks)
    report.layout = placed
    for problem in placed.problems:
        log(f"film: layout: {problem}")
    plan = _composition(board, spans, settings, jobs, out, total, placed)
    plan["key"] = cache_key(plan, [p for p in (board.voiceover, board.font) if p])
    if not finished_video(cache, plan, out):
        log(f"film: composing {total} frames into {out.name}")
        _compose(plan, cache)
        cache.write_stamp({"key": plan["key"], "out": str(out), **_fingerprint(out)})
        report.composed = True
    report.frames, report.seconds = total, time.perf_counter() - started
    log(f"film: {out} ({total} frames at {settings.out_fps:g} fps; rendered "
        f"{', '.join(report.rendered) or 'nothing'}; cached {', '.join(report.cached) or 'nothing'}"
        f"; {report.seconds:.1f} s)")
    return report


def check_layout(board, out, *, cache_dir=None, log=print) -> list[str]:
    """Render the layout pre-pass (preview timing) and place overlays, clips and titles as a
    preview build would; returns the overlaps no place or size resolves (items and seconds)."""
    out, cache = check_targets(out, board, cache_dir)
    spans = resolve(board)
    settings = settings_for(board, True)
    jobs = [_job(board, item, spans, settings, cache) for item in board.items
            if item.type == "shot"]
    masks = _prepass(jobs, settings, cache, None,
                     {"device": board.video.device, "threads": None}, log)
    for job in jobs:
        place_shot_overlays(job, masks)
    return arrange(board, spans, settings, masks).problems


@dataclass(frozen=True)
class _OnDask:
    """Where a build's chunks go: a Dask client and the cluster options (chunk size, threads)."""

    client: Any
    options: ClusterOptions


@contextlib.contextmanager
def _client(cluster: ClusterOptions, log):
    """An :class:`_OnDask` for ``cluster`` when it is distributed, else None (render here)."""
    if not cluster.distributed:
        yield None
        return
    with open_client(cluster, log) as client:
        yield _OnDask(client, cluster)


def _prepass(jobs, settings, cache: Cache, dask: _OnDask | None, how: dict, log,
             alongside: list[dict] | None = None) -> dict:
    """Render the low-resolution pre-pass of every shot (cached), and the jobs ``alongside``
    (what needs no layout: clips); the lit masks by shot name."""
    prepass = {j["name"]: {**prepass_job(j, settings.size), **how} for j in jobs
               if j["type"] == "shot"}
    todo = [j for j in prepass.values() if not cache.has(j["name"], j["key"])]
    _render_items(todo + (alongside or []), 0, cache, dask, log)
    return masks_from(cache, prepass)


def _render_items(todo: list[dict], total: int, cache: Cache, dask: _OnDask | None,
                  log) -> None:
    """Render ``todo`` (on ``dask``, else here) holding each item's cache entry (another build
    never drops it)."""
    with contextlib.ExitStack() as using:
        for job in todo:
            using.enter_context(cache.in_use(job["name"], job["key"]))
        cache.sweep()
        _render(todo, total, cache, dask, log)


def _fingerprint(out: Path) -> dict:
    """Size and sha256 of the finished video (what the reuse stamp must match)."""
    return {"out_size": out.stat().st_size, "out_sha256": file_hash(out)}


def finished_video(cache: Cache, plan: dict, out: Path) -> bool:
    """Whether ``out`` is the video of ``plan`` already: the stamp's key, path, size and hash
    all match (a forged stamp beside another file re-composes)."""
    done = cache.read_stamp()
    if done.get("key") != plan["key"] or done.get("out") != str(out):
        return False
    if out.is_symlink() or not out.is_file() or done.get("out_size") != out.stat().st_size:
        return False
    return done.get("out_sha256") == file_hash(out)


def _video_frames(spans, settings: Settings) -> int:
    return frame_count(max(span.end for span in spans.values()), settings.out_fps)


def _clock_of(board, item):
    bind = item.spec.get("bind")
    return board.item(bind).spec["clock"] if bind else item.spec.get("clock")


def _job(board, item, spans, settings: Settings, cache: Cache) -> dict:
    """The render job of a shot or clip, with its cache key."""
    span = spans[item.name]
    times = local_times(span.duration, settings)
    clock = _clock_of(board, item)
    offset = 0.0
    if item.spec.get("bind"):  # the shot's clock at the same video instant
        offset = span.start - spans[item.spec["bind"]].start
    data_times = clock.scalar(times + offset).tolist() if clock is not None else None
    data = item.spec.get("data")
    if data == DEMO_DATA:
        from neuroblend.film.demo_data import demo_simulation

        data = demo_simulation(cache.folder("data"))
    elif data and is_sonata_config(data):  # imported once into the cache, as the demo cell
        from neuroblend.sonata.film_data import simulation_for

        data = simulation_for(data, cache.folder("data"))
    scale = item.scale if item.type == "clip" else 1.0
    size = [max(16, 2 * round(v * scale / 2)) for v in settings.size]
    job = {"type": item.type, "name": item.name, "kind": item.kind,
           "data": str(data) if data else None, "times": times.tolist(),
           "data_times": data_times, "size": size,
           "samples": _samples(item.spec.get("samples") or board.video.samples, settings),
           "engine": board.video.engine, "look": item.spec.get("look", {}),
           "options": item.spec.get("options", {}),
           "camera": camera.keys_to_dicts(item.spec.get("camera", [])),
           "view": list(item.spec.get("view", camera.DEFAULT_VIEW)),
           "font": str(board.font) if board.font else None,
           "video_height": settings.size[1], "clock": _own_clock(board, item)}
    job["key"] = cache_key(job, [p for p in (data, board.font) if p])
    return job


def _own_clock(board, item) -> bool:
    """Whether a clip draws its own clock: not when bound to a shot that shows one (one clock
    per frame), unless its options ask; shots: always (their look decides)."""
    bind = item.spec.get("bind") if item.type == "clip" else None
    if bind is None:
        return True
    shot = board.item(bind)
    shown = SHOT_KINDS[shot.kind].shows_clock(shot.spec.get("look", {}))
    return bool(item.spec.get("options", {}).get("clock", not shown))


def _samples(samples: int, settings: Settings) -> int:
    """Render samples: half (at least 4) in preview."""
    return max(4, samples // 2) if settings.preview else samples


def _render(todo: list[dict], total: int, cache: Cache, dask: _OnDask | None, log) -> None:
    """Render the missing frames of ``todo`` here or on ``dask``, then move each finished item
    into place (a frame still missing is an error)."""
    if dask is not None:
        tasks = chunk_tasks(todo, cache, dask.options)
        if tasks:
            run_chunks(dask.client, tasks, log)
    else:
        work = sum(len(j["times"]) * WEIGHTS[j["type"]] for j in todo) + total * WEIGHTS["compose"]
        progress = FilmProgress(len(todo) + 1, sum(len(j["times"]) for j in todo) + total, work)
        for job in todo:
            progress.item += 1
            log(f"film: rendering {job['type']} {job['name']} ({len(job['times'])} frames)")
            render_here(job, cache, progress)
    for job in todo:
        if not cache.finish(job["name"], job["key"], len(job["times"]),
                            {"name": job["name"], "key": job["key"]}):
            raise NeuroBlendError(f"film: {job['name']}: frames are missing after rendering")


def _preflight(board, jobs, todo) -> None:
    """Check what needs the data (clip compartments, the format of shots to render...) before
    anything renders."""
    from neuroblend.files.fileformat import load_document
    from neuroblend.film.clip_render import CLIP_CHECKS
    from neuroblend.film.kinds import SHOT_KINDS

    for job in jobs:
        expect = SHOT_KINDS[job["kind"]].format if job["type"] == "shot" else None
        if expect and job["data"] and job in todo:
            try:
                load_document(job["data"], expect=expect)
            except NeuroBlendError as exc:
                index = board.item(job["name"]).index
                raise NeuroBlendError(f"timeline[{index}].data ({job['name']}): {exc}") from None
        if job["type"] == "clip":
            doc = load_document(job["data"], expect=CLIP_KINDS[job["kind"]].format)
            try:
                CLIP_CHECKS[job["kind"]](doc, job["options"])
            except NeuroBlendError as exc:
                index = board.item(job["name"]).index
                raise NeuroBlendError(f"timeline[{index}].options ({job['name']}): {exc}") from None


def _composition(board, spans, settings: Settings, jobs, out: Path, total: int,
                 placed: Layout) -> dict:
    """Everything the sequencer job needs, in output frames and pixels (clips and titles where
    the layout step ``placed`` them)."""
    fps = settings.out_fps
    w, h = settings.size
    by_name = {j["name"]: j for j in jobs}
    layers, titles, blacks = [], [], []
    crossfades = {i.spec["into"]: spans[i.name] for i in board.items
                  if i.type == "transition" and i.kind == "crossfade"}
    for item in board.items:
        span = spans[item.name]
        first = start_frame(span.start, settings)
        fades = [round(item.fade_in * fps), round(item.fade_out * fps)]
        if item.name in crossfades:
            fades[0] = max(1, round(crossfades[item.name].duration * fps))
        box, factor = placed.boxes.get(item.name), placed.factors.get(item.name, 1.0)
        if item.type in ("shot", "clip"):
            x, y = box.centre if box else item.position
            layers.append({"name": item.name, "frames_dir": by_name[item.name]["frames_dir"],
                           "start": first, "blend": item.blend, "opacity": item.opacity,
                           "x": (x - 0.5) * w, "y": (y - 0.5) * h,
                           "scale": item.scale * factor, "fades": fades})
        elif item.type == "title":
            titles.append({"text": item.spec["text"], "start": first,
                           "end": start_frame(span.end, settings), "opacity": item.opacity,
                           "font_size": title_pixels(item.spec, h, board.video.size[1]) * factor,
                           "box": item.spec["box"],
                           "color": item.spec["color"], "anchor": item.spec["anchor"],
                           "position": anchor_point(box, item.spec["anchor"]) if box
                           else list(item.position), "fades": fades})
        elif item.kind != "crossfade":
            blacks.append({"start": first, "end": start_frame(span.end, settings),
                           "to_black": item.kind == "fade-to-black"})
    return {"size": [w, h], "fps": fps, "frames": total, "layers": layers, "titles": titles,
            "blacks": blacks, "audio": str(board.voiceover) if board.voiceover else None,
            "font": str(board.font) if board.font else None, "out": str(out)}


def _compose(plan: dict, cache: Cache) -> None:
    from neuroblend.blender_runner import run_job
    from neuroblend.film.render_options import FilmComposeOptions
    from neuroblend.video_encode import encode_sequence

    with cache.work("composition", plan["key"], 1, plan["frames"]) as work:  # this run's own
        frames = work / "frames"
        plan_file = work / "composition.json"
        plan_file.write_text(json.dumps({**plan, "audio": None, "out": str(frames)}))
        if run_job("film_compose", FilmComposeOptions(plan_file=plan_file)):
            raise NeuroBlendError("composing the film failed (see above)")
        encode_sequence(frames, 1, plan["frames"], plan["out"], plan["fps"], audio=plan["audio"])
