"""``add_argument`` keywords of a ranged option: the type, default and help read from the one
declaration of its range and default, the options dataclass field (``neuroblend.option_ranges``)."""

from __future__ import annotations

import argparse
from dataclasses import MISSING, fields
from typing import Any

from neuroblend.option_ranges import range_of, shown
from neuroblend.settings_table import Row, rows


def ranged(cls: Any, name: str, help: str, *, syntax=None, default: Any = MISSING) -> dict:
    """Keywords for the flag of option ``name`` of ``cls``: its range's argparse type (``syntax``:
    a ``(low, high)`` type factory for a one-token pair, such as ``pixel_size``; a pair without
    one takes ``nargs=2``), its default (``default`` overrides the field's) and ``help`` ending
    with the range and the default."""
    bounds = range_of(cls, name)
    if default is MISSING:
        default = next(f.default for f in fields(cls) if f.name == name)
    kind = syntax(bounds.low, bounds.high) if syntax else bounds.argtype()
    return {"type": kind, "default": default, "help": f"{help} ({bounds.describe()}{said(default)})"}


def said(default: Any) -> str:
    """The ``; default X`` a help text ends with (nothing for None)."""
    return f"; {default_text(default)}" if default is not None else ""


def default_text(default: Any) -> str:
    """``default X``: how a help text names a flag's default (read from its options field,
    never typed by hand: ``tests/bridge/test_settings_table.py`` checks)."""
    if isinstance(default, bool):
        return "default on" if default else "default off"
    return f"default {shown(default)}"


def setting_flag(row: Row) -> dict:
    """``add_argument`` keywords of one settings-table row (``neuroblend.settings_table``)."""
    setting = row.setting
    keywords: dict[str, Any] = {"default": row.default, "dest": row.name,
                                "metavar": setting.metavar}
    if row.range is not None:
        syntax = setting.syntax
        keywords["type"] = syntax(row.range.low, row.range.high) if syntax else row.range.argtype()
        if row.range.count > 1 and not syntax:
            keywords["nargs"] = row.range.count
        keywords["help"] = f"{setting.help} ({row.range.describe()}{said(row.default)})"
    else:
        keywords["help"] = setting.help + (f" ({default_text(row.default)})"
                                           if row.default is not None else "")
        if "bool" in row.type:
            keywords["action"] = (argparse.BooleanOptionalAction if row.default
                                  else "store_true")
        keywords.update(choices=setting.choices or None, type=setting.argtype)
    return {key: value for key, value in keywords.items() if value is not None
            or key == "default"}


def add_setting_flags(parser: argparse.ArgumentParser, cls: Any) -> dict[str, Any]:
    """One flag per settings-table row of ``cls``, in argument groups named by the rows;
    returns the groups by name (for the command's other flags)."""
    groups: dict[str, Any] = {"": parser}
    for row in rows(cls):
        group = groups.get(row.setting.group)
        if group is None:
            group = groups[row.setting.group] = parser.add_argument_group(row.setting.group)
        group.add_argument(row.flag, **setting_flag(row))
    return groups
