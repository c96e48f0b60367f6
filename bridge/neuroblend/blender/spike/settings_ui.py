"""The spike settings table (``neuroblend.spike.playback_settings``) as Blender sees it: root
Empty properties, material value nodes, thickness-modifier inputs, the add-on's panel rows and
import properties, all read from the table's rows."""

from __future__ import annotations

from typing import Any

from neuroblend import clock
from neuroblend.settings_table import MATERIAL, row, rows
from neuroblend.spike.playback_settings import SpikeLook

_ROWS = [r for r in rows(SpikeLook) if r.setting.root]
# root property -> (soft min, soft max, description); the start time is the clock's, not a setting
SETTINGS: dict[str, tuple[float, float, str]] = {
    r.setting.root: (*r.soft(), r.description()) for r in _ROWS}
SETTINGS[clock.TIME_START] = (-1e6, 1e6, "Data time (ms) shown at the start frame")
MATERIAL_SETTINGS = tuple(r.setting.root for r in _ROWS if r.setting.shader == MATERIAL) + (
    clock.TIME_START,)  # value nodes of the playback material, each driven from the root
THICKNESS_INPUTS = {r.setting.root: r.setting.shader for r in _ROWS
                    if r.setting.shader not in ("", MATERIAL)}  # root property -> modifier input


def panel_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The add-on panel's boxes: ``[(title, [(root property, label), ...]), ...]``."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in _ROWS:
        if r.setting.panel:
            title, label = r.setting.panel
            groups.setdefault(title, []).append((r.setting.root, label))
    groups["Timing"].append((clock.TIME_START, "Time at Start (ms)"))
    return list(groups.items())


def import_property(name: str, label: str) -> dict[str, Any]:
    """Keywords of the add-on import operator's property for setting ``name`` (its default,
    range and description from the table)."""
    found = row(SpikeLook, name)
    keywords: dict[str, Any] = {"name": label, "default": found.default,
                                "description": found.description()}
    if found.range is not None:
        low, high = found.range.low, found.range.high
        if found.range.integer:
            return {**keywords, "min": int(low), "max": int(high)}
        low = low + 1e-6 if found.range.above_low else low
        keywords.update(min=low, max=high, soft_min=max(low, found.soft()[0]),
                        soft_max=found.soft()[1])
    return keywords
