"""Declarative settings: one row per setting, on its options dataclass field.

A row is the field itself: its name (the key), type and default, its range (``option_ranges``:
``real(6.0, 0, 1e4)``) and a :class:`Setting` in its metadata with the help text, the CLI flag's
group, the Blender root property it lives in, where the shader reads it, its panel row and whether
a storyboard's ``look`` may set it. Everything else is made from the rows: the argparse flags
(:func:`neuroblend.cli.option_flags.setting_flags`), the storyboard's look keys
(:func:`look_keys`), and in the bpy layer the add-on properties, panel rows, root properties and
material value nodes. Written like Blender's RNA definitions: data first, code made from it.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, field, fields
from typing import Any

from neuroblend.option_ranges import KEY as RANGE_KEY
from neuroblend.option_ranges import Range

KEY = "setting"  # the field metadata key holding its Setting
MATERIAL = "material"  # Setting.shader: a value node of the material, named like the root property


@dataclass(frozen=True)
class Setting:
    """What is said about one setting beyond its type, default and range."""

    help: str  # flag help and Blender description (the range and default are added)
    group: str = "look"  # the flag's argparse group ("": none)
    root: str = ""  # the root Empty's custom property holding it in Blender ("": none)
    shader: str = ""  # MATERIAL (a value node) or a geometry-nodes modifier input name
    panel: tuple[str, str] | None = None  # (panel box, row label) in the add-on's panel
    soft: tuple[float, float] | None = None  # Blender's slider range (default: the range)
    look: bool = True  # a storyboard shot's ``look`` may set it
    choices: tuple[str, ...] = ()  # allowed strings
    syntax: Any = None  # the flag's one-token type factory for a pair, e.g. argtypes.pixel_size
    argtype: Any = None  # the flag's type when it has no range (e.g. argtypes.rgb_color)
    metavar: str | tuple[str, ...] | None = None


def setting(default: Any, help: str, **row: Any) -> Any:
    """A dataclass field declaring one setting: ``default`` is a value or a ranged field
    (``real(...)``/``whole(...)``), ``row`` the other :class:`Setting` entries."""
    metadata: dict[str, Any] = {KEY: Setting(help, **row)}
    if isinstance(default, Field):
        metadata.update(default.metadata)
        default = default.default
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Row:
    """One setting as read back from its field."""

    name: str
    type: str
    default: Any
    range: Range | None
    setting: Setting

    @property
    def flag(self) -> str:
        """The CLI flag (``--rest-lift``)."""
        return (self.range.flag if self.range else "") or "--" + self.name.replace("_", "-")

    def description(self) -> str:
        """The help as a Blender tooltip: capitalised."""
        return self.setting.help[:1].upper() + self.setting.help[1:]

    def soft(self) -> tuple[float, float]:
        """The slider range: the declared soft range, else the range."""
        if self.setting.soft:
            return self.setting.soft
        return (self.range.low, self.range.high) if self.range else (0.0, 1.0)


def rows(cls: Any) -> list[Row]:
    """The settings of the options dataclass ``cls``, in field order."""
    found = []
    for f in fields(cls):
        if KEY in f.metadata:
            default = f.default if f.default is not MISSING else None
            found.append(Row(f.name, str(f.type), default, f.metadata.get(RANGE_KEY),
                             f.metadata[KEY]))
    return found


def row(cls: Any, name: str) -> Row:
    """The row of setting ``name`` of ``cls``."""
    for found in rows(cls):
        if found.name == name:
            return found
    raise KeyError(f"{getattr(cls, '__name__', cls)}.{name} is not a setting")


def look_keys(cls: Any) -> dict[str, Any]:
    """A storyboard's allowed ``look`` keys: name -> Range, a tuple of choices, bool or str."""
    keys: dict[str, Any] = {}
    for r in rows(cls):
        if r.setting.look:
            plain = bool if "bool" in r.type else list if "tuple" in r.type else str
            keys[r.name] = r.range or r.setting.choices or plain
    return keys


def root_values(cls: Any, options: Any) -> dict[str, Any]:
    """``{root property: value}`` of the settings of ``options`` kept on the root Empty
    (booleans as bool, numbers as float; a None, to be resolved from the data, is left out)."""
    values: dict[str, Any] = {}
    for r in rows(cls):
        value = getattr(options, r.name)
        if r.setting.root and value is not None:
            values[r.setting.root] = bool(value) if "bool" in r.type else float(value)
    return values
