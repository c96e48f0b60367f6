"""Camera moves of a shot: eased keyframes on (target, zoom, azimuth), and presets made of them.

A key says where the camera looks (a named target of the shot kind, e.g. ``center`` or ``soma``),
how close it is (``zoom``: 1 = the whole subject framed, 0.5 = half that distance) and how far it
has turned around the vertical axis (``azimuth``, degrees), at ``at`` seconds into the shot; its
``ease`` shapes the way into it. Presets (``whole``, ``soma``, ``dolly``, ``orbit``) expand to keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroblend.files.limits import MAX_FILM_SECONDS
from neuroblend.film.easing import EASES, Curve, Key

PRESETS = ("whole", "soma", "dolly", "orbit")
KEY_KEYS = ("at", "target", "zoom", "azimuth", "ease")
CAMERA_KEYS = ("preset", "keys", "view", "target", "zoom", "start", "end", "ease", "turns")
DEFAULT_VIEW = (0.0, -1.0, 0.35)
MAX_ZOOM, MAX_TURNS = 100.0, 100.0  # 100x the framing distance; 100 turns in one move


@dataclass(frozen=True)
class CameraKey:
    at: float
    target: str = "center"
    zoom: float = 1.0
    azimuth: float = 0.0
    ease: str = "in-out"


def preset_keys(preset: str, duration: float, *, target: str = "center", zoom: float = 0.4,
                start: float = 0.0, end: float | None = None, ease: str = "in-out",
                turns: float = 1.0) -> list[CameraKey]:
    """The keys of a preset move over a shot of ``duration`` seconds."""
    end = duration if end is None else end
    if preset == "whole":
        return [CameraKey(0.0)]
    if preset == "soma":
        return [CameraKey(0.0, target, zoom)]
    if preset == "dolly":
        return [CameraKey(start), CameraKey(end, target, zoom, 0.0, ease)]
    if preset == "orbit":
        return [CameraKey(start), CameraKey(end, "center", 1.0, 360.0 * turns, ease)]
    raise ValueError(f"unknown camera preset {preset!r} (choices: {', '.join(PRESETS)})")


def parse_camera(problems, table, path: str, duration: float, targets, *,
                 default_view=DEFAULT_VIEW) -> tuple[list, tuple]:
    """Camera keys and view direction of a shot's ``camera`` table (problems reported)."""
    from neuroblend.film.schema import check_keys, choice, number

    if not isinstance(table, dict):
        problems.add(path, "expected a table with `preset` or `keys`")
        return [], default_view
    check_keys(problems, table, CAMERA_KEYS, path)
    view = _view(problems, table.get("view", default_view), f"{path}.view")
    if "preset" in table and "keys" in table:
        problems.add(path, "give either `preset` or `keys`: both would animate the camera")
        return [], view
    if "keys" in table:
        return _keys(problems, table["keys"], f"{path}.keys", targets), view
    preset = choice(problems, table, "preset", path, PRESETS, "whole")
    target = choice(problems, table, "target", path, targets, "soma" if "soma" in targets
                    else "center")
    options = {"target": target,
               "zoom": number(problems, table, "zoom", path, 0.4, positive=True, high=MAX_ZOOM),
               "start": number(problems, table, "start", path, 0.0, low=0.0,
                               high=MAX_FILM_SECONDS),
               "end": number(problems, table, "end", path, duration, low=0.0,
                             high=MAX_FILM_SECONDS),
               "ease": choice(problems, table, "ease", path, EASES, "in-out"),
               "turns": number(problems, table, "turns", path, 1.0, low=-MAX_TURNS,
                               high=MAX_TURNS)}
    if options["end"] <= options["start"] and preset in ("dolly", "orbit"):
        problems.add(f"{path}.end", f"{options['end']:g} s must be after start "
                     f"({options['start']:g} s)")
        return [], view
    return preset_keys(preset, duration, **options), view


def _view(problems, value, where: str) -> tuple:
    from neuroblend.film.schema import real, show

    parts = [real(v) for v in value] if isinstance(value, list | tuple) else []
    ok = len(parts) == 3 and all(v is not None and abs(v) <= 1e6 for v in parts)
    if not ok or not any(parts):
        problems.add(where, f"{show(value)}: expected a direction [X, Y, Z] (finite, not all "
                     "zero)")
        return DEFAULT_VIEW
    return tuple(parts)


def _keys(problems, value, path: str, targets) -> list[CameraKey]:
    from neuroblend.film.schema import check_keys, choice, number

    if not isinstance(value, list) or not value:
        problems.add(path, "expected a list of {at, target, zoom, azimuth, ease} tables")
        return []
    keys = []
    for i, table in enumerate(value):
        where = f"{path}[{i}]"
        if not isinstance(table, dict):
            problems.add(where, "expected a table {at = 0, target = \"center\", zoom = 1}")
            continue
        check_keys(problems, table, KEY_KEYS, where)
        keys.append(CameraKey(
            number(problems, table, "at", where, 0.0, low=0.0, high=MAX_FILM_SECONDS),
            choice(problems, table, "target", where, targets, "center"),
            number(problems, table, "zoom", where, 1.0, positive=True, high=MAX_ZOOM),
            number(problems, table, "azimuth", where, 0.0, low=-360.0 * MAX_TURNS,
                   high=360.0 * MAX_TURNS),
            choice(problems, table, "ease", where, EASES, "in-out")))
    times = [k.at for k in keys]
    if any(b <= a for a, b in zip(times, times[1:], strict=False)):
        problems.add(path, "key times (`at`) must increase: two keys at one time would both "
                     "own the camera")
        return []
    return keys


def camera_states(keys: list[CameraKey], targets: dict, times) -> tuple:
    """Per time: the point looked at [n, 3], the zoom [n] and the azimuth in degrees [n].

    ``targets`` maps target names to world points (resolved in the scene).
    """
    curve = Curve([Key(k.at, (*np.asarray(targets[k.target], float), k.zoom, k.azimuth),
                       k.ease if i else "linear") for i, k in enumerate(keys)])
    values = curve(times)
    return values[:, :3], values[:, 3], values[:, 4]


def keys_to_dicts(keys: list[CameraKey]) -> list[dict]:
    """Keys as plain dicts (for job files and cache keys)."""
    return [vars(k).copy() for k in keys]


def keys_from_dicts(rows: list[dict]) -> list[CameraKey]:
    """Inverse of :func:`keys_to_dicts`."""
    return [CameraKey(**row) for row in rows]
