"""A parsed storyboard: the top-level tables (video, audio, timeline) checked into a
:class:`~neuroblend.film.schema.Storyboard`, every problem reported at once."""

from __future__ import annotations

from pathlib import Path

from neuroblend.film.items import check_references, parse_item
from neuroblend.film.schema import (
    TOP_KEYS,
    Problems,
    Storyboard,
    check_keys,
    parse_audio,
    parse_video,
)


def parse_storyboard(data: dict, *, base: Path, source: str = "", name: str = "storyboard"):
    """Check a parsed storyboard; returns a :class:`Storyboard` or raises with every problem."""
    problems = Problems(name, source)
    check_keys(problems, data, TOP_KEYS, "")
    video = parse_video(problems, data.get("video", {}))
    voice, markers = parse_audio(problems, data.get("audio", {}), base)
    timeline = data.get("timeline")
    items = []
    if not isinstance(timeline, list) or not timeline:
        problems.add("timeline", "expected at least one [[timeline]] item")
    else:
        for index, table in enumerate(timeline):
            item = parse_item(problems, table, index, base)
            if item is not None:
                items.append(item)
    board = Storyboard(video, items, base, voice, markers, source, name)
    check_references(problems, board)
    problems.raise_if_any()
    return board

