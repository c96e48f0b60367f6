"""Compose clip and render layers with Blender's video sequencer (headless).

Layer 1 is the bottom; each later layer is blended over the ones below with its blend mode
(screen by default), all over an opaque black background strip. Time remapping is exact: a retimed layer becomes an image strip whose
element list names the source frame shown at every output frame (see
:func:`neuroblend.clips.layers.remap_frames`); a video needing retiming is first decoded to PNG
frames with imageio-ffmpeg's FFmpeg. Layers of another size are fitted into the output frame.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

import bpy

from neuroblend.blender.core import compat, studio
from neuroblend.clips.layers import BLEND_MODES, Layer, remap_frames, sequence_files
from neuroblend.errors import NeuroBlendError

DEFAULT_FPS = 30.0


@dataclass
class _Source:
    """What a layer holds: frame files (or one video), frame count, fps and pixel size."""

    files: list[Path]
    video: Path | None
    frames: int
    fps: float | None
    size: tuple[int, int]


def build_composition(scene, layers: list[Layer], workdir, *, size: tuple[int, int] | None = None,
                      fps: float | None = None,
                      frames: tuple[int, int] | None = None) -> tuple[int, int]:
    """Put ``layers`` into ``scene``'s sequencer; returns the (first, last) output frames.

    ``size``/``fps`` default to the first layer's, ``frames`` to 1 (or the earliest layer start)
    until the last layer ends. ``workdir`` holds decoded video frames and must outlive the render.
    """
    if not layers:
        raise NeuroBlendError("give at least one layer to compose")
    sources = [_probe(scene, layer) for layer in layers]
    out_fps = float(fps or sources[0].fps or DEFAULT_FPS)
    out_size = size or sources[0].size
    _set_output(scene, out_size, out_fps)
    strips = compat.sequencer_strips(scene)
    plans = []
    for i, (layer, source) in enumerate(zip(layers, sources, strict=True)):
        layer_fps = layer.fps or source.fps or out_fps
        step = layer.speed * layer_fps / out_fps
        if not math.isclose(layer_fps, out_fps):
            print(f"layer {i + 1} ({layer.path.name}): {layer_fps:g} fps resampled to the "
                  f"{out_fps:g} fps output ({step:g} source frames per output frame)", flush=True)
        indices = [0] if layer.kind == "image" else remap_frames(source.frames, step)
        if source.size != tuple(out_size):
            print(f"layer {i + 1} ({layer.path.name}): {source.size[0]}x{source.size[1]} fitted "
                  f"into the {out_size[0]}x{out_size[1]} output", flush=True)
        plans.append((layer, source, step, indices))
    first = min([1] + [layer.start for layer in layers if layer.start is not None])
    starts = [first if layer.start is None else layer.start for layer in layers]
    ends = [start + len(ix) - 1 for start, (layer, _, _, ix) in zip(starts, plans, strict=True)
            if layer.kind != "image"]
    last = max(ends) if ends else first
    if frames is not None:
        first, last = frames
    _black_background(strips, first, last)
    for channel, start, (layer, source, step, indices) in zip(
            range(2, len(plans) + 2), starts, plans, strict=True):
        if source.video is not None and math.isclose(step, 1.0, rel_tol=1e-9):
            strip = strips.new_movie(f"layer{channel}", str(source.video), channel, start,
                                     fit_method="FIT")
        else:
            if source.video is not None:
                source.files = _decode(source.video, Path(workdir) / f"layer{channel}")
                indices = remap_frames(len(source.files), step)
            strip = _image_strip(strips, f"layer{channel}", [source.files[k] for k in indices],
                                 channel, start)
            if layer.kind == "image":
                compat.set_strip_end(strip, last + 1)
        _style(strip, layer)
    scene.frame_start, scene.frame_end = first, last
    return first, last


def _black_background(strips, first: int, last: int) -> None:
    """An opaque black strip under every layer (blend modes need something to blend onto)."""
    black = compat.new_effect_strip(strips, "background", "COLOR", 1, first, last + 1)
    black.color = (0.0, 0.0, 0.0)
    black.blend_type = "REPLACE"


def _set_output(scene, size: tuple[int, int], fps: float) -> None:
    scene.render.resolution_x, scene.render.resolution_y = (int(v) for v in size)
    scene.render.resolution_percentage = 100
    scene.render.fps = max(1, round(fps))
    scene.render.fps_base = scene.render.fps / fps
    scene.render.use_sequencer = True
    studio.set_standard_colors(scene)


def _probe(scene, layer: Layer) -> _Source:
    if layer.kind == "video":
        strips = compat.sequencer_strips(scene)
        try:
            strip = strips.new_movie("probe", str(layer.path.resolve()), 32, 1)
        except RuntimeError as exc:
            raise NeuroBlendError(f"{layer.path}: Blender cannot read this video ({exc})") from None
        element = strip.elements[0]
        source = _Source([], layer.path.resolve(), compat.strip_content_frames(strip), float(strip.fps),
                         (int(element.orig_width), int(element.orig_height)))
        strips.remove(strip)
        if source.size[0] < 1 or source.size[1] < 1:
            raise NeuroBlendError(f"{layer.path}: Blender cannot read a picture from this video "
                                  "(is it a real video file?)")
        return source
    files = sequence_files(layer.path) if layer.kind == "sequence" else [layer.path]
    files = [f.resolve() for f in files]
    try:
        image = bpy.data.images.load(str(files[0]), check_existing=False)
    except RuntimeError as exc:
        raise NeuroBlendError(f"{files[0]}: Blender cannot read this image ({exc})") from None
    size = (int(image.size[0]), int(image.size[1]))
    bpy.data.images.remove(image)
    if size[0] == 0:
        raise NeuroBlendError(f"{files[0]}: Blender cannot read this image")
    return _Source(files, None, len(files), None, size)


def _decode(video: Path, folder: Path) -> list[Path]:
    """Decode every frame of ``video`` to PNGs in ``folder`` (for exact retiming)."""
    from neuroblend.video_encode import ffmpeg_exe

    folder.mkdir(parents=True, exist_ok=True)
    print(f"decoding {video.name} to frames for retiming", flush=True)
    result = subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-i", str(video), "-fps_mode", "passthrough",
         "-compression_level", "1", str(folder / "frame_%06d.png")],
        capture_output=True, text=True)
    files = sequence_files(folder)
    if result.returncode != 0 or not files:
        raise NeuroBlendError(f"{video}: FFmpeg could not decode it "
                              f"({result.stderr.strip().splitlines()[-1:] or 'no frames'})")
    return files


def _image_strip(strips, name: str, files: list[Path], channel: int, start: int):
    """An image strip showing ``files`` (one folder, repeats allowed) one per frame."""
    strip = strips.new_image(name, str(files[0]), channel, start, fit_method="FIT")
    for path in files[1:]:
        strip.elements.append(path.name)
    return strip


def _style(strip, layer: Layer) -> None:
    strip.blend_type = BLEND_MODES[layer.blend]
    strip.blend_alpha = layer.opacity
    transform = strip.transform
    transform.offset_x, transform.offset_y = layer.x, layer.y
    transform.scale_x *= layer.scale  # the fitted scale, times the layer's own
    transform.scale_y *= layer.scale
