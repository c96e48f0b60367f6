"""``neuroblend render KIND ... --frames A-B --workers N`` (or ``--scheduler``, ``--cluster``): the
frame range rendered in chunks on Dask, each chunk by ``neuroblend render`` in its own process (its
own Blender) into a private folder, its frames then moved into ``--out`` one rename each. The
``.blend`` (``--save-blend``) is built here, and the video (``--video``) is encoded here from the
frames the cluster rendered, by the same encoder as a serial render's (the same bytes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from neuroblend.child_process import die_with_parent
from neuroblend.dask_cluster import ChunkTask, ClusterOptions, open_client, run_chunks
from neuroblend.errors import NeuroBlendError
from neuroblend.film.chunks import SHOT_START_S, chunk_frames, plan_chunks, worth_splitting
from neuroblend.video_encode import encode_sequence

SCENE_FPS = 30  # a render scene's fps without --fps (studio.setup_studio_scene)
LOCAL_ONLY = ("--workers", "--scheduler", "--cluster", "--chunk-frames")
REPLACED = ("--out", "--frames", "--video", "--save-blend")


def render_distributed(kind: str, job: str, argv: list[str], options, cluster: ClusterOptions,
                       log=print) -> int:
    """Render ``options.frames`` of render job ``job`` on ``cluster``; returns the exit code."""
    from neuroblend.blender_runner import run_job

    if not options.frames or options.no_render:
        raise NeuroBlendError("--workers, --scheduler and --cluster render a frame range in "
                              "chunks: give --frames A-B")
    first, last = options.frames
    shape = {"type": "shot", "name": kind, "key": kind, "times": [0] * (last - first + 1),
             "size": list(options.resolution or (1280, 720)), "samples": options.samples or 32}
    if cluster.workers and not (cluster.chunk_frames or
                                worth_splitting([shape], os.cpu_count() or 1)):
        log("render: too little to render to gain from local workers: rendering here")
        return run_job(job, replace(options, threads=None))  # every core: a worker's share no more
    out = _output_folder(Path(options.out))
    base = _chunk_argv(argv)
    tasks = [ChunkTask(f"{kind} frames {c.first + first - 1}-{c.last + first - 1}",
                       f"{kind}-{c.first + first - 1}", len(c.frames), render_frames,
                       (kind, base, c.first + first - 1, c.last + first - 1, str(out),
                        os.getcwd()))
             for c in plan_chunks(shape, cluster.chunk_frames or
                                             chunk_frames(shape, overhead=SHOT_START_S))]
    with open_client(cluster, log) as client:
        run_chunks(client, tasks, log)
    if options.save_blend:
        code = run_job(job, replace(options, frames=None, video=None, no_render=True))
        if code:
            return code
    if options.video:
        encode_sequence(out, first, last - first + 1, Path(options.video),
                        options.fps or SCENE_FPS)
    return 0


def _output_folder(out: Path) -> Path:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise NeuroBlendError(f"--out {out}: expected a folder (not a link or a file)")
    out.mkdir(parents=True, exist_ok=True)
    return out.resolve()


def _chunk_argv(argv: list[str]) -> list[str]:
    """The job's flags without the ones each chunk sets itself or only this process uses."""
    kept, skip = [], 0
    for arg in argv:
        name = arg.split("=", 1)[0]
        if skip:
            skip -= 1
        elif name in LOCAL_ONLY + REPLACED:
            skip = 0 if "=" in arg else 1
        else:
            kept.append(arg)
    return kept


def render_frames(kind: str, argv: list[str], first: int, last: int, out: str, cwd: str) -> int:
    """On a worker: ``neuroblend render KIND ARGV --frames FIRST-LAST`` (in ``cwd``, where the
    command was given) into a private folder beside ``out``, then each frame moved into ``out``."""
    target = Path(out)
    work = Path(tempfile.mkdtemp(prefix=f".chunk-{first}-{last}-", dir=target))
    try:
        log = work / "render.log"
        command = [sys.executable, "-m", "neuroblend", "render", kind, *argv, "--frames",
                   f"{first}-{last}", "--out", str(work / "frames")]
        with open(log, "wb") as sink:
            code = subprocess.call(command, stdout=sink, stderr=subprocess.STDOUT, cwd=cwd,
                                   preexec_fn=die_with_parent)
        if code:
            tail = log.read_text(errors="replace").strip().splitlines()[-2:]
            raise RuntimeError(f"exit {code}: {' | '.join(tail)}")
        for frame in range(first, last + 1):
            name = f"frame_{frame:04d}.png"
            os.replace(work / "frames" / name, target / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return last - first + 1
