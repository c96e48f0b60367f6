"""Timeline resolution: an auto-advancing cursor, ``at`` anchors and ownership checks.

Items without ``at`` start at the cursor; shots move the cursor to their end, a crossfade pulls
it back by its duration (the next shot starts under the previous one and fades in), a fade to
black ends at the cursor. ``at`` is seconds, ``"ITEM.start"``/``"ITEM.end"`` or ``"marker:NAME"``,
each with an optional ``+S``/``-S`` offset in seconds. A clip bound to a shot's clock starts with
that shot and lasts as long unless told otherwise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_FILM_SECONDS
from neuroblend.film.schema import listing, show

ANCHOR = re.compile(r"^\s*(?:marker:(?P<marker>[^+\-\s]+)|(?P<item>[^.+\-\s]+)\.(?P<edge>start|end))"
                    r"\s*(?:(?P<sign>[+-])\s*(?P<offset>\d+(?:\.\d*)?|\.\d+))?\s*$")


@dataclass
class Span:
    """When an item is on screen, in seconds of the video."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def anchor_target(text: str, names: dict, markers: dict) -> str | None:
    """What is wrong with anchor ``text`` (None if it is fine)."""
    match = ANCHOR.match(text)
    if not match:
        return (f"{show(text)}: expected seconds, \"ITEM.start\", \"ITEM.end\" or "
                "\"marker:NAME\", optionally with +S or -S")
    if match["marker"] and match["marker"] not in markers:
        return (f"{text!r}: no voiceover marker {match['marker']!r} (markers: "
                f"{listing(markers) if markers else 'none; add them under [audio.markers]'})")
    if match["item"] and match["item"] not in names:
        return f"{text!r}: no item named {match['item']!r} (items: {listing(names)})"
    if float(match["offset"] or 0.0) > MAX_FILM_SECONDS:
        return f"{show(text)}: the offset must be at most {MAX_FILM_SECONDS:g} s"
    return None


class Resolver:
    """Computes every item's :class:`Span` (forward references allowed, cycles refused), without
    recursion: a chain of a thousand anchored items is as fine as one."""

    def __init__(self, board):
        self.board = board
        self.items = board.items
        self.by_name = {item.name: item for item in self.items}
        self.spans: dict[str, Span] = {}
        self.before = _cursor_owners(self.items)

    def span(self, item) -> Span:
        stack, expanded = [item], set()
        while stack:
            top = stack[-1]
            if top.name in self.spans:
                stack.pop()
                continue
            pending = [d for d in self._needs(top) if d.name not in self.spans]
            if not pending:
                self.spans[top.name] = self._compute(top)
                expanded.discard(top.name)
                stack.pop()
                continue
            if top.name in expanded or any(d.name in expanded for d in pending):
                raise NeuroBlendError(f"timeline[{top.index}] ({top.name}): its `at` depends on "
                                      "itself through other items; anchor one of them in seconds")
            expanded.add(top.name)
            stack.extend(pending)
        return self.spans[item.name]

    def _needs(self, item) -> list:
        """The items whose spans decide this item's span."""
        bind = self.by_name.get(item.spec.get("bind")) if item.spec.get("bind") else None
        needs = [] if item.duration is not None or bind is None else [bind]
        if isinstance(item.at, str):
            match = ANCHOR.match(item.at)
            if match is not None and match["item"]:
                needs.append(self.by_name[match["item"]])
        elif item.at is None:
            cursor = bind if bind is not None and item.type == "clip" else self.before[item.index]
            needs += [cursor] if cursor is not None else []
        return needs

    def _compute(self, item) -> Span:
        bind = item.spec.get("bind")
        duration = item.duration
        if duration is None:
            duration = self.spans[bind].duration if bind else 3.0
        return Span(start := self._start(item), start + duration)

    def _start(self, item) -> float:
        if item.at is not None:
            return self._anchor(item.at)
        if item.spec.get("bind") and item.type == "clip":
            return self.spans[item.spec["bind"]].start
        cursor = self.cursor(item.index)
        if item.type == "transition" and item.kind in ("fade-to-black", "crossfade"):
            return max(0.0, cursor - item.duration)
        return cursor

    def cursor(self, index: int) -> float:
        """Where the cursor stands before item ``index`` (its owner's span is known)."""
        owner = self.before[index]
        if owner is None:
            return 0.0
        span = self.spans[owner.name]
        return span.end if owner.type == "shot" else span.start

    def _anchor(self, at) -> float:
        if isinstance(at, int | float):
            return float(at)
        match = ANCHOR.match(at)
        if match is None:  # the storyboard checks refuse such anchors before timing
            raise ValueError(f"not an anchor: {at!r}")
        offset = float(match["offset"] or 0.0) * (-1 if match["sign"] == "-" else 1)
        if match["marker"]:
            return self.board.markers[match["marker"]] + offset
        span = self.spans[match["item"]]
        return (span.start if match["edge"] == "start" else span.end) + offset


def _cursor_owners(items) -> list:
    """Per item index: the last shot or crossfade before it (it places the cursor), or None."""
    owners: list = []
    last = None
    for item in items:
        owners.append(last)
        if item.type == "shot" or (item.type == "transition" and item.kind == "crossfade"):
            last = item
    return owners


def frame_count(seconds: float, fps: float) -> int:
    """Output frames covering ``seconds`` of video at ``fps`` (at least one)."""
    return max(1, int(math.ceil(seconds * fps - 1e-9)))


def resolve(board) -> dict[str, Span]:
    """Every item's span; raises naming overlapping ownership (two fades on one thing)."""
    resolver = Resolver(board)
    spans = {item.name: resolver.span(item) for item in board.items}
    problems = []
    for item in board.items:
        span = spans[item.name]
        if span.start < 0:
            problems.append(f"timeline[{item.index}] ({item.name}) would start at "
                            f"{span.start:g} s, before the video")
        if span.end > MAX_FILM_SECONDS:
            problems.append(f"timeline[{item.index}] ({item.name}) would end at {span.end:g} s, "
                            f"after the limit of {MAX_FILM_SECONDS:g} s (a fixed limit)")
        if item.fade_in + item.fade_out > span.duration + 1e-9:
            problems.append(f"timeline[{item.index}] ({item.name}): fade_in + fade_out "
                            f"({item.fade_in + item.fade_out:g} s) overlap within its "
                            f"{span.duration:g} s")
    problems += _fade_overlaps(board, spans) + _crossfade_targets(board, resolver)
    if problems:
        raise NeuroBlendError("; ".join(problems))
    return spans


def _fade_overlaps(board, spans) -> list[str]:
    """Fades to/from black animate the same black overlay: they must not overlap."""
    fades = [i for i in board.items if i.type == "transition" and i.kind != "crossfade"]
    out = []
    for i, a in enumerate(fades):
        for b in fades[i + 1:]:
            sa, sb = spans[a.name], spans[b.name]
            if sa.start < sb.end - 1e-9 and sb.start < sa.end - 1e-9:
                out.append(f"timeline[{a.index}] ({a.name}) and timeline[{b.index}] ({b.name}) "
                           "both animate the black overlay at the same time; move one")
    return out


def _crossfade_targets(board, resolver) -> list[str]:
    """A crossfade fades in the next shot; that shot must not also have its own fade_in."""
    out = []
    for item in board.items:
        if item.type != "transition" or item.kind != "crossfade":
            continue
        following = next((s for s in board.items[item.index + 1:] if s.type == "shot"), None)
        if following is None:
            out.append(f"timeline[{item.index}] ({item.name}): a crossfade needs a shot after it")
            continue
        item.spec["into"] = following.name
        if following.fade_in:
            out.append(f"timeline[{item.index}] ({item.name}) and timeline[{following.index}] "
                       f"({following.name}).fade_in both animate {following.name}'s opacity; "
                       "drop one")
    return out
