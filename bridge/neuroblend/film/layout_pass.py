"""The film's layout step: a low-resolution pre-pass of every shot, then clips and titles placed
by :mod:`neuroblend.film.layout` over the lit pixels of the shots under them.

The pre-pass of a shot is its own job at a small size and one sample (cached like any item, as
``NAME_layout``); its frames are the output frames of the shot, so frame k of the pre-pass
shows what frame k of the shot shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from neuroblend.film import layout
from neuroblend.film.cache import Cache, cache_key
from neuroblend.film.chunks import frame_name

PREPASS_WIDTH = 192  # pixels across a pre-pass frame
OVERLAY_KINDS = ("spike", "network")  # shots with their own overlays (time, colorbar, scale)
NO_OVERLAYS = {"time_label": False, "colorbar": False, "scale_bar": "off"}


@dataclass
class Layout:
    """Where the layout step put each clip and title, and what it could not resolve."""

    boxes: dict[str, layout.Box] = field(default_factory=dict)  # item name -> its box
    factors: dict[str, float] = field(default_factory=dict)  # item name -> size factor
    problems: list[str] = field(default_factory=list)


def prepass_job(job: dict, size) -> dict:
    """The low-resolution pre-pass of a shot job (same frames, look and camera; a spike or
    network shot without its own overlays, which the layout step places)."""
    scale = min(1.0, PREPASS_WIDTH / size[0])
    small = [max(16, 2 * round(v * scale / 2)) for v in size]
    look = {**job["look"], **NO_OVERLAYS} if job["kind"] in OVERLAY_KINDS else job["look"]
    pre = {**job, "name": f"{job['name']}_layout", "size": small, "samples": 1, "look": look}
    return rekeyed(pre)


def rekeyed(job: dict) -> dict:
    """``job`` with its cache key computed again (after a change of what it renders)."""
    job.pop("key", None)
    job["key"] = cache_key(job, [job["data"]] if job.get("data") else [])
    return job


def shown_overlays(job: dict) -> list[str]:
    """The overlay groups a spike or network shot shows (its look's defaults: all)."""
    if job["type"] != "shot" or job["kind"] not in OVERLAY_KINDS:
        return []
    look = job["look"]
    return [group for group, on in (("colorbar", look.get("colorbar", True)),
                                    ("time", look.get("time_label", True)),
                                    ("scale bar", look.get("scale_bar", "auto") != "off")) if on]


def place_shot_overlays(job: dict, masks: dict) -> None:
    """Place a shot's own overlays over its lit ``masks`` (``job["overlays"]``, key updated)
    and mark them lit there, so clips and titles keep off them too."""
    groups = shown_overlays(job)
    if not groups or job["name"] not in masks:
        return
    shot = masks[job["name"]]
    moves = {}
    for group in groups:
        box, moves[group] = layout.place_overlay(shot, group)
        layout.paint(shot, box)
    job["overlays"] = moves
    rekeyed(job)


def shot_masks(cache: Cache, job: dict) -> np.ndarray:
    """Lit masks [frames, H, W] of a finished pre-pass job."""
    from PIL import Image

    frames = cache.entry(job["name"], job["key"]) / "frames"
    return layout.grown(np.stack([layout.lit_mask(np.asarray(Image.open(frames / frame_name(
        k + 1)))) for k in range(len(job["times"]))]))


def _video_masks(board, spans, fps: float, total: int, masks: dict, shape) -> np.ndarray:
    """Per output frame of the video, the lit pixels of every shot on screen [total, H, W]."""
    video = np.zeros((total, *shape), dtype=bool)
    for item in board.items:
        if item.name not in masks:
            continue
        first = int(round(spans[item.name].start * fps))
        shot = masks[item.name]
        if shot.shape[1:] != shape:
            continue
        count = max(0, min(len(shot), total - first))
        video[first:first + count] |= shot[:count]
    return video


def arrange(board, spans, settings, masks: dict) -> Layout:
    """Place every clip and title (timeline order) over the shots' lit ``masks`` (shot name ->
    [frames, H, W]); titles and clips placed first are lit for those after."""
    result = Layout()
    if not masks:
        return result
    fps = settings.out_fps
    shape = next(iter(masks.values())).shape[1:]
    total = 1 + max(int(round(s.end * fps)) for s in spans.values())
    video = _video_masks(board, spans, fps, total, masks, shape)
    for item in board.items:
        if item.type not in ("clip", "title"):
            continue
        span = spans[item.name]
        frames = slice(int(round(span.start * fps)), max(int(round(span.end * fps)),
                                                         int(round(span.start * fps)) + 1))
        box = _box_of(item, settings, board)
        found = layout.place(video[frames], box)
        if found is None:
            under = np.flatnonzero(layout.lit_under(video[frames], box))
            shots = [i.name for i in board.items if i.name in masks
                     and spans[i.name].start < span.end and span.start < spans[i.name].end]
            result.problems.append(
                f"{item.name} covers lit pixels of {', '.join(shots) or 'the frame'} at "
                f"{layout.seconds_of(under, span.start, fps)} and no free place or smaller "
                "size was found")
            found = (box, 1.0)
        result.boxes[item.name], result.factors[item.name] = found
        layout.paint(video[frames], found[0])
    return result


def _box_of(item, settings, board) -> layout.Box:
    if item.type == "clip":
        return layout.clip_box(item.position, item.scale)
    font = layout.title_pixels(item.spec, settings.size[1], board.video.size[1])
    return layout.title_box(item.spec["text"], font, settings.size, item.spec["anchor"],
                            item.position, board.font)


def anchor_point(box: layout.Box, anchor: str) -> list[float]:
    """The point of ``box`` a title's ``anchor`` names (its new ``position``)."""
    parts = anchor.split("-")
    x = box.x0 if "left" in parts else box.x1 if "right" in parts else (box.x0 + box.x1) / 2
    y = box.y1 if "top" in parts else box.y0 if "bottom" in parts else (box.y0 + box.y1) / 2
    return [x, y]


def masks_from(cache: Cache, prepass: dict[str, dict]) -> dict[str, np.ndarray]:
    """Shot name -> lit masks, from finished pre-pass jobs (shot name -> pre-pass job)."""
    return {name: shot_masks(cache, job) for name, job in prepass.items()
            if cache.has(job["name"], job["key"])}
