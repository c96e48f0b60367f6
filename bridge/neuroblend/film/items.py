"""Timeline items of a storyboard: per-type checks, references and ownership."""

from __future__ import annotations

import numbers
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_FILM_SECONDS, MAX_NAME, MAX_TITLE
from neuroblend.film import camera, kinds, schema
from neuroblend.film.schema import (
    ANCHORS,
    BLENDS,
    COMMON_KEYS,
    DEFAULT_BLEND,
    ITEM_TYPES,
    TRANSITIONS,
    TYPE_KEYS,
    Item,
    check_keys,
    choice,
    file_path,
    listing,
    number,
    pair,
    parse_clock,
    plain_name,
    real,
    show,
)
from neuroblend.sonata.config import is_sonata_config
from neuroblend.typography.sizes import DEFAULT_TITLE_STYLE, TITLE_STYLES

DEFAULT_DURATION = {"shot": 3.0, "clip": 3.0, "title": 2.0, "transition": 1.0}
MAX_POSITION, MAX_SCALE, MAX_FONT_SIZE = 10.0, 10.0, 1000.0  # frame fractions, pixels
MAX_ANCHOR = 2 * MAX_NAME + 40  # characters of an "ITEM.end+S" / "marker:NAME-S" anchor


def parse_item(problems, table, index: int, base: Path) -> Item | None:
    """Check one ``[[timeline]]`` table; returns the item (or None if it is unusable)."""
    path = f"timeline[{index}]"
    if not isinstance(table, dict):
        problems.add(path, "expected a table")
        return None
    types = [t for t in ITEM_TYPES if t in table]
    if len(types) != 1:
        problems.add(path, f"give exactly one of {', '.join(ITEM_TYPES)} "
                     f"(found {', '.join(types) or 'none'})")
        return None
    kind = types[0]
    check_keys(problems, table, (kind, *COMMON_KEYS, *TYPE_KEYS[kind]), path)
    name = table.get("name", f"{kind}{index + 1}")
    if not plain_name(problems, name, f"{path}.name"):
        name = f"{kind}{index + 1}"
    item = Item(
        name=name, type=kind, index=index, at=_at(problems, table, path),
        duration=number(problems, table, "duration", path, None, positive=True,
                        high=MAX_FILM_SECONDS),
        position=pair(problems, table, "position", path, (0.5, 0.5), low=-MAX_POSITION,
                      high=MAX_POSITION),
        scale=number(problems, table, "scale", path, 1.0, positive=True, high=MAX_SCALE),
        blend=choice(problems, table, "blend", path, BLENDS, DEFAULT_BLEND[kind]),
        opacity=number(problems, table, "opacity", path, 1.0, low=0.0, high=1.0),
        fade_in=number(problems, table, "fade_in", path, 0.0, low=0.0, high=MAX_FILM_SECONDS),
        fade_out=number(problems, table, "fade_out", path, 0.0, low=0.0, high=MAX_FILM_SECONDS))
    PARSERS[kind](problems, table, item, path, base)
    return item


def _at(problems, table, path: str):
    """``at``: seconds (within the film's time limit) or an anchor string (checked later)."""
    at = table.get("at")
    if at is None or (isinstance(at, str) and len(at) <= MAX_ANCHOR):
        return at
    if isinstance(at, numbers.Real) and not isinstance(at, bool):
        return number(problems, table, "at", path, None, low=0.0, high=MAX_FILM_SECONDS)
    problems.add(f"{path}.at", f"{show(at)}: expected seconds or \"ITEM.start|end[+-S]\" or "
                 "\"marker:NAME[+-S]\"")
    return None


def _kind(problems, table, item: Item, path: str, key: str, registry: dict):
    """The item's kind (``shot`` or ``clip`` key) checked against ``registry``; its spec or None."""
    kind = choice(problems, table, key, path, tuple(registry))
    item.spec["kind"] = kind
    return registry.get(kind)


def _shot(problems, table, item: Item, path: str, base: Path) -> None:
    spec = _kind(problems, table, item, path, "shot", kinds.SHOT_KINDS)
    if spec is None:
        return
    kind = spec.name
    item.spec["data"] = _data(problems, table, spec.data, path, base, demo=kind == "spike")
    item.spec["look"] = _options(problems, table.get("look", {}), spec.look, f"{path}.look")
    if spec.check is not None and isinstance(table.get("look", {}), dict):
        spec.check(problems, item.spec["look"], f"{path}.look")
    clock = None
    if "clock" in table:
        if spec.clock is None:
            problems.add(f"{path}.clock", f"a {kind} shot has no simulation clock")
        else:
            clock = parse_clock(problems, table["clock"], f"{path}.clock")
    item.spec["clock"] = clock
    if item.duration is None:
        item.duration = clock.end if clock is not None and clock.end > 0 else \
            DEFAULT_DURATION["shot"]
    keys, view = camera.parse_camera(problems, table.get("camera", {"preset": "whole"}),
                                     f"{path}.camera", item.duration, spec.targets,
                                     default_view=spec.view or camera.DEFAULT_VIEW)
    item.spec["camera"], item.spec["view"] = keys, view
    item.spec["samples"] = number(problems, table, "samples", path, None, integer=True,
                                  low=1, high=schema.MAX_SAMPLES)


def _clip(problems, table, item: Item, path: str, base: Path) -> None:
    spec = _kind(problems, table, item, path, "clip", kinds.CLIP_KINDS)
    if spec is None:
        return
    kind = spec.name
    clock = table.get("clock")
    if isinstance(clock, str):
        item.spec["bind"] = clock  # the shot whose clock (and default data) it shares
        item.spec["clock"] = None
    else:
        item.spec["bind"] = None
        item.spec["clock"] = parse_clock(problems, clock, f"{path}.clock") if clock else None
    needs = "optional" if item.spec["bind"] else spec.data
    item.spec["data"] = _data(problems, table, needs, path, base, demo=kind == "trace")
    item.spec["options"] = _options(problems, table.get("options", {}), spec.options,
                                    f"{path}.options")


def _title(problems, table, item: Item, path: str, base: Path) -> None:
    text = table.get("title")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TITLE:
        problems.add(f"{path}.title", "expected the title's text: title = \"Some text\" (at "
                     f"most {MAX_TITLE} characters)")
    color = table.get("color", [1.0, 1.0, 1.0])
    channels = [real(c) for c in color] if isinstance(color, list | tuple) else []
    if not (len(channels) in (3, 4) and all(c is not None and 0 <= c <= 1 for c in channels)):
        problems.add(f"{path}.color", f"{show(color)}: expected [R, G, B] in 0..1")
        channels = [1.0, 1.0, 1.0]
    style = TITLE_STYLES[choice(problems, table, "style", path, tuple(TITLE_STYLES),
                                DEFAULT_TITLE_STYLE) or DEFAULT_TITLE_STYLE]
    item.spec.update(text=str(text), color=channels[:3], box=style.box,
                     # pixels at the video's size (None: the style's size, a frame fraction)
                     font_size=number(problems, table, "font_size", path, None, low=1.0,
                                      high=MAX_FONT_SIZE), em=style.em,
                     anchor=choice(problems, table, "anchor", path, ANCHORS, style.anchor))
    if "position" not in table:
        item.position = style.position
    item.duration = item.duration or DEFAULT_DURATION["title"]


def _transition(problems, table, item: Item, path: str, base: Path) -> None:
    item.spec["kind"] = choice(problems, table, "transition", path, TRANSITIONS)
    item.duration = item.duration or DEFAULT_DURATION["transition"]


PARSERS = {"shot": _shot, "clip": _clip, "title": _title, "transition": _transition}


def _data(problems, table, need: str, path: str, base: Path, demo: bool):
    if "data" not in table:
        if need == "required":
            problems.add(f"{path}.data", "this kind needs a data file")
        return None
    found = file_path(problems, base, table["data"], f"{path}.data", allow_demo=demo)
    if isinstance(found, Path) and is_sonata_config(found):  # checked now, imported by the build
        from neuroblend.sonata.config import load_config

        try:
            load_config(found)
        except NeuroBlendError as exc:
            problems.add(f"{path}.data", f"SONATA config: {exc}")
            return None
    return found


def _options(problems, table, allowed: dict, path: str) -> dict:
    """Check an options table against a kind's {name: type or choices}."""
    if not isinstance(table, dict):
        problems.add(path, "expected a table")
        return {}
    check_keys(problems, table, tuple(allowed), path)
    out = {}
    for key, value in table.items():
        expected = allowed.get(key)
        if expected is None:
            continue
        if isinstance(expected, tuple):
            value = choice(problems, table, key, path, expected)
        elif isinstance(expected, kinds.Range):
            value = kinds.look_number(problems, value, expected, f"{path}.{key}")
        elif not isinstance(value, expected):
            problems.add(f"{path}.{key}", f"{value!r} is not a {expected.__name__}")
            continue
        if value is not None and key in ("colormap", "cmap"):
            value = _colormap(problems, value, f"{path}.{key}")
        if value is not None:
            out[key] = value
    kinds.check_order(problems, out, allowed, path)
    return out


def _colormap(problems, name, where: str):
    from neuroblend.colormaps.luts import resolve_name

    if isinstance(name, str) and len(name) > MAX_NAME:
        problems.add(where, f"{show(name)} is not a colormap name")
        return None
    try:
        return resolve_name(name)
    except NeuroBlendError as exc:
        problems.add(where, str(exc))
        return None


def check_references(problems, board: schema.Storyboard) -> None:
    """Names unique, anchors/bindings point at existing items/markers, no double ownership."""
    from neuroblend.film.timeline import anchor_target

    names: dict[str, Item] = {}
    for item in board.items:
        if item.name in names:
            problems.add(f"timeline[{item.index}].name", f"{item.name!r} is already the name of "
                         f"timeline[{names[item.name].index}]")
        names[item.name] = item
    for item in board.items:
        where = f"timeline[{item.index}]"
        if isinstance(item.at, str):
            message = anchor_target(item.at, names, board.markers)
            if message:
                problems.add(f"{where}.at", message)
        bind = item.spec.get("bind")
        if bind is not None:
            shot = names.get(bind)
            if shot is None or shot.type != "shot" or shot.spec.get("clock") is None:
                problems.add(f"{where}.clock", f"{show(bind)} is not a shot with a clock (shots "
                             f"with clocks: {listing(_clocked(board))})")
            else:
                _inherit(problems, item, shot, where)
        if item.type == "clip" and bind is None and item.spec.get("clock") is None:
            problems.add(f"{where}.clock", "a clip needs a clock: a shot's name (to share its "
                         "clock) or its own list of keys")
        clip_kind = kinds.CLIP_KINDS.get(item.kind) if item.type == "clip" else None
        if clip_kind is not None and clip_kind.check is not None:
            clip_kind.check(problems, item.spec["options"], f"{where}.options")


def _inherit(problems, clip: Item, shot: Item, where: str) -> None:
    """A bound clip takes its shot's data (if the formats agree) and a graph shot's layout."""
    from neuroblend.film.graph_options import inherit_from_shot

    shot_format = kinds.SHOT_KINDS[shot.kind].format
    clip_format = kinds.CLIP_KINDS[clip.kind].format
    if clip.spec.get("data") is None:
        if shot_format != clip_format:
            shows = f"a {shot_format} file" if shot_format else f"{shot.kind} data"
            problems.add(f"{where}.data", f"a {clip.kind} clip draws a {clip_format} file but "
                         f"shot {shot.name!r} shows {shows}: give the clip's data")
        clip.spec["data"] = shot.spec.get("data")
    if clip.kind == "graph" and shot.kind == "graph":
        clip.spec["options"] = inherit_from_shot(clip.spec["options"], shot.spec["look"])


def _clocked(board) -> list[str]:
    return [i.name for i in board.items if i.type == "shot" and i.spec.get("clock") is not None]
