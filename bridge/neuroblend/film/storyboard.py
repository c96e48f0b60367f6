"""A parsed storyboard: the top-level tables (video, audio, timeline) checked into a
:class:`~neuroblend.film.schema.Storyboard`, every problem reported at once.

:func:`check_storyboard` is the one validation pass of a film (``--check`` runs it, and so does
every build, before anything is hashed, simulated or rendered): nesting, every table and value,
references, the timing, and the number of frames the film will render.
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_TIMELINE_ITEMS, check_limit
from neuroblend.film.items import check_references, parse_item
from neuroblend.film.schema import (
    TOP_KEYS,
    FilmLimits,
    Problems,
    Storyboard,
    check_keys,
    file_path,
    parse_audio,
    parse_video,
)
from neuroblend.film.source import check_structure
from neuroblend.film.timeline import frame_count, resolve
from neuroblend.typography.font_file import read_metrics


def check_storyboard(data: dict, *, base: Path, source: str = "", name: str = "storyboard",
                     limits: FilmLimits | None = None) -> Storyboard:
    """The checked :class:`Storyboard` of the tables ``data``, or one error naming every
    problem (with lines) or the limit exceeded (with its flag)."""
    limits = limits or FilmLimits()
    check_structure(data, name)
    board = parse_storyboard(data, base=base, source=source, name=name, limits=limits)
    check_frames(board, limits)
    return board


def parse_storyboard(data: dict, *, base: Path, source: str = "", name: str = "storyboard",
                     limits: FilmLimits | None = None):
    """Check a parsed storyboard; returns a :class:`Storyboard` or raises with every problem."""
    problems = Problems(name, source)
    if not isinstance(data, dict):
        problems.add("storyboard", "expected tables (video, audio, timeline)")
        problems.raise_if_any()
    check_keys(problems, data, TOP_KEYS, "")
    video = parse_video(problems, data.get("video", {}), limits or FilmLimits())
    voice, markers = parse_audio(problems, data.get("audio", {}), base)
    timeline = data.get("timeline")
    items = []
    if not isinstance(timeline, list) or not timeline:
        problems.add("timeline", "expected at least one [[timeline]] item")
    elif len(timeline) > MAX_TIMELINE_ITEMS:
        problems.add("timeline", f"{len(timeline):,} items, over the limit of "
                     f"{MAX_TIMELINE_ITEMS:,} (a fixed limit)")
    else:
        for index, table in enumerate(timeline):
            item = parse_item(problems, table, index, base)
            if item is not None:
                items.append(item)
    board = Storyboard(video, items, base, voice, markers, source, name,
                       font=parse_font(problems, base, data.get("font")))
    check_references(problems, board)
    problems.raise_if_any()
    return board


def parse_font(problems, base: Path, value) -> Path | None:
    """``font = "file.ttf"``: a font file (relative to the storyboard), read as data only."""
    if value is None:
        return None
    path = file_path(problems, base, value, "font")
    if path is not None:
        try:
            read_metrics(path)
        except NeuroBlendError as exc:
            problems.add("font", getattr(exc, "problem", None) or str(exc))
            return None
    return path


def check_frames(board: Storyboard, limits: FilmLimits) -> None:
    """Refuse a film rendering and composing more than ``limits.max_frames`` frames (counted
    from the timing alone: nothing the size of the frame count is allocated before this), or a
    clip drawn larger than ``limits.max_size`` per side."""
    spans = resolve(board)
    fps = board.video.fps
    total = frame_count(max(span.end for span in spans.values()), fps)
    for item in board.items:
        if item.type in ("shot", "clip"):
            where = f"{board.name}: timeline[{item.index}] ({item.name})"
            frames = frame_count(spans[item.name].duration, fps)
            check_limit("the frames of this item", frames, limits.max_frames, "--max-frames",
                        where)
            total += frames
        if item.type == "clip":  # drawn at the video size times its scale
            check_limit("a side of this clip in pixels (video.size x scale)",
                        round(max(board.video.size) * item.scale), limits.max_size,
                        "--max-size", where)
    check_limit("the frames this film renders and composes", total, limits.max_frames,
                "--max-frames", board.name)
