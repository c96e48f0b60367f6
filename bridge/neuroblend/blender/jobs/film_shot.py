"""Render one shot of a film (options: :class:`~neuroblend.film.render_options.FilmShotOptions`,
from ``neuroblend film``: the shot's JSON job file).

The job names the kind, data, look, camera keys and the data time of every output frame; the
frames go to ``out/frame_0001.png``... with film-wide progress (items, frames, time left).
"""

from __future__ import annotations

import json
from pathlib import Path

import bpy

from neuroblend.blender.core import compat, devices, fonts, render, studio
from neuroblend.blender.film.builders import build_shot
from neuroblend.blender.film.camera_rig import bake_camera_move
from neuroblend.film.chunks import frame_name
from neuroblend.film.progress import FilmProgress
from neuroblend.film.render_options import FilmShotOptions
from neuroblend.job_options import options_from_argv

Options = FilmShotOptions


def build(job: dict):
    """A fresh scene holding the job's shot, clock and camera baked; returns the scene."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = studio.setup_studio_scene(bpy.context.scene, engine=job["engine"],
                                      resolution=tuple(job["size"]), samples=job["samples"],
                                      denoise=False)
    fonts.use_font(scene, job.get("font"))
    targets = build_shot(job, scene)
    bake_camera_move(scene, job["camera"], targets, job["times"])
    if job.get("overlays"):  # where the film's layout step put the shot's own overlays
        from neuroblend.blender.spike.overlays import apply_layout

        apply_layout(scene, job["overlays"])
    scene.render.engine = compat.engine_id(job["engine"])
    scene.render.resolution_x, scene.render.resolution_y = job["size"]
    scene.render.resolution_percentage = 100
    scene.frame_start, scene.frame_end = 1, len(job["times"])
    devices.use_device(scene, job.get("device", "auto"))
    if job.get("threads"):
        scene.render.threads_mode = "FIXED"
        scene.render.threads = int(job["threads"])
    return scene


def run(options: FilmShotOptions) -> list[Path]:
    """Build the shot and render its frames; returns the files written (frames, then the .blend)."""
    job = json.loads(Path(options.job_file).read_text())
    scene = build(job)
    written = [render.save_blend(options.save_blend)] if options.save_blend else []
    first, last = options.frames or (1, len(job["times"]))
    return written + render_frames(scene, job, Path(options.out or job["out"]), first, last)


def render_frames(scene, job: dict, out: Path, first: int, last: int) -> list[Path]:
    """Render frames ``first..last`` of the built shot ``scene`` into ``out``; returns them."""
    progress = FilmProgress(**job["progress"]) if job.get("progress") else None
    out.mkdir(parents=True, exist_ok=True)
    scene.render.use_persistent_data = True
    written = []
    for frame in range(first, last + 1):
        written.append(render.render_still(scene, out / frame_name(frame), frame))
        if progress:
            progress.frame(f"{job['name']}: frame {frame}/{len(job['times'])}")
    return written


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(FilmShotOptions, argv))
    return 0
