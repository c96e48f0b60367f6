"""Render helpers shared by every headless job: stills, PNG sequences, MP4, .blend, progress."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import bpy

from neuroblend.blender.core import compat, devices, render_region
from neuroblend.console import blender_output_hidden
from neuroblend.durations import clock_text
from neuroblend.errors import NeuroBlendError, OptionError
from neuroblend.files.atomic import atomic_path, temp_folder
from neuroblend.job_options import report_written


def apply_render_arguments(scene, args) -> None:
    """Apply the render options (resolution, samples, engine, device, fps, threads of a
    :class:`~neuroblend.render_options.RenderOptions`) to ``scene`` where given."""
    if args.engine:
        scene.render.engine = compat.engine_id(args.engine)
    devices.use_device(scene, args.device)
    if args.resolution:
        scene.render.resolution_x, scene.render.resolution_y = args.resolution
        scene.render.resolution_percentage = 100
    if args.samples:
        scene.cycles.samples = args.samples
        if hasattr(scene, "eevee"):
            scene.eevee.taa_render_samples = args.samples
    if args.fps:
        scene.render.fps = args.fps
    if args.threads:
        scene.render.threads_mode = "FIXED"
        scene.render.threads = args.threads


def render_outputs(scene, args, default_frame: int | None = None) -> dict:
    """Save/render what ``args`` ask for; returns the written paths by kind.

    PNGs go to ``--out`` (``frame_0001.png``...); with no ``--frames``, one still of
    ``default_frame`` (or the current frame). ``--video`` renders the scene's frame range
    (or ``--frames``) to MP4.
    """
    written: dict = {}
    if args.save_blend:
        written["blend"] = save_blend(args.save_blend)
    if args.no_render:
        report_written(written.values())
        return written
    if args.frames:
        start, end = args.frames
    else:
        start = end = scene.frame_current if default_frame is None else default_frame
    written["frames"] = render_sequence(scene, args.out, range(start, end + 1))
    if args.video:  # the frames just rendered, or the scene's range rendered for the video
        first, last = args.frames or (scene.frame_start, scene.frame_end)
        written["video"] = render_video(scene, args.video, range(first, last + 1),
                                        frames_dir=args.out if args.frames else None)
    report_written([*written.get("frames", []), *(written[k] for k in ("video", "blend") if k in written)])
    return written


def print_outputs(written: dict) -> list[Path]:
    """Print what :func:`render_outputs` wrote, one ``kind: path`` a line; returns the paths."""
    paths = []
    for kind, value in written.items():
        for path in value if isinstance(value, list) else [value]:
            print(f"{kind}: {path}")
            paths.append(Path(path))
    return paths


def save_blend(path) -> Path:
    """Save the current file as a self-contained .blend (images packed), atomically."""
    path = Path(path).resolve()
    if bpy.data.images:
        for image in bpy.data.images:
            if image.source in {"FILE", "GENERATED"} and not image.packed_file and image.has_data:
                image.pack()
    with atomic_path(path) as tmp:
        tmp.unlink()  # or Blender keeps the empty placeholder as a .blend1 backup
        bpy.ops.wm.save_as_mainfile(filepath=str(tmp), copy=True, compress=True,
                                    check_existing=False)
    print(f"saved {path}", flush=True)
    return path


def render_still(scene, path, frame: int | None = None) -> Path:
    """Render one frame to a PNG at ``path`` (atomically)."""
    if frame is not None:
        scene.frame_set(frame)
    compat.set_png_output(scene)
    with render_region.fitted_region(scene, [scene.frame_current]):
        return _write_still(scene, path)


def _write_still(scene, path) -> Path:
    path = Path(path).resolve()
    with atomic_path(path) as tmp:
        scene.render.filepath = str(tmp)
        scene.render.use_file_extension = False
        _render(scene, write_still=True)
    return path


def render_sequence(scene, out_dir, frames) -> list[Path]:
    """Render ``frames`` to ``out_dir/frame_NNNN.png`` with progress; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = list(frames)
    scene.render.use_persistent_data = True  # keep Cycles' scene between frames: no re-sync
    progress = Progress(len(frames), "frame")
    paths = []
    compat.set_png_output(scene)
    with render_region.fitted_region(scene, frames):
        for frame in frames:
            scene.frame_set(frame)
            paths.append(_write_still(scene, out_dir / f"frame_{frame:04d}.png"))
            progress.step(f"frame {frame} -> {paths[-1]}")
    return paths


def render_video(scene, path, frames, frames_dir=None) -> Path:
    """Render ``frames`` (a contiguous range) to an MP4 at ``path``: rendered as PNGs (or taken
    from ``frames_dir``, where :func:`render_sequence` already wrote them), then encoded by
    :func:`neuroblend.video_encode.encode_sequence` (atomically)."""
    from neuroblend.video_encode import encode_sequence

    path = Path(path).resolve()
    if path.suffix.lower() != ".mp4":
        raise OptionError("video", f"{path}: the video file name must end in .mp4")
    frames = list(frames)
    if frames != list(range(frames[0], frames[-1] + 1)):
        raise NeuroBlendError("a video needs a contiguous frame range")
    fps = scene.render.fps / scene.render.fps_base
    if frames_dir is not None:
        encode_sequence(frames_dir, frames[0], len(frames), path, fps)
    else:
        with temp_folder(path) as folder:  # removed on Ctrl-C too
            render_sequence(scene, folder, frames)
            encode_sequence(folder, frames[0], len(frames), path, fps)
    print(f"wrote {path}", flush=True)
    return path


# Metadata that changes between runs or machines (dates, timings, host): left out of every
# frame, so the same scene renders to the same frames (a distributed film equals a serial one).
UNREPRODUCIBLE_STAMPS = ("use_stamp_date", "use_stamp_render_time", "use_stamp_memory",
                         "use_stamp_hostname")


def _render(scene, **kwargs) -> None:
    for stamp in UNREPRODUCIBLE_STAMPS:
        setattr(scene.render, stamp, False)
    try:
        with blender_output_hidden():  # Blender's "Fra:", "Saved:" lines (--verbose shows them)
            result = bpy.ops.render.render(scene=scene.name, **kwargs)
    except RuntimeError as exc:  # e.g. "Image too small" from an unreadable video strip
        message = str(exc).replace("Error:", "").strip()
        raise NeuroBlendError(f"Blender could not render: {message} (check that every input "
                              "is a readable image or video)") from None
    if "FINISHED" not in result:
        raise NeuroBlendError(f"Blender's render did not finish ({', '.join(result)})")


class Progress:
    """Prints ``label k/n, s per item, time left``: one line per item, or on a terminal one
    line rewritten in place."""

    def __init__(self, total: int, label: str, stream=None):
        self.total, self.label = total, label
        self.done = 0
        self.start = time.perf_counter()
        self.stream = stream  # None: sys.stdout at the time of printing

    def step(self, detail: str = "") -> None:
        """Record one finished item and print a progress line."""
        self.done += 1
        elapsed = time.perf_counter() - self.start
        per = elapsed / self.done
        left = per * (self.total - self.done)
        stream = self.stream or sys.stdout
        line = (f"[{self.done}/{self.total}] {self.label}s done, {per:.2f} s/{self.label}, "
                f"{clock_text(left)} left  {detail}".rstrip())
        if _is_terminal(stream):
            end = "\n" if self.done >= self.total else ""
            print(f"\r{line}\x1b[K", end=end, file=stream, flush=True)
        else:
            print(line, file=stream, flush=True)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
