"""The registry of shot and clip kinds a storyboard may use.

A shot kind names its look options (validated before anything renders; each becomes the matching
option of its ``neuroblend render`` job, and a number is checked against that option's declared
range, as its flag is: :func:`look_number`), whether it needs a data file, what its simulation
clock drives and the named camera targets it offers. A new kind is one ``register_shot_kind``
line here plus its builder, ``build(job, scene)`` in ``neuroblend/blender/film/<kind>_shot.py``
(found by that name: :func:`neuroblend.blender.film.builders.build_shot`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from neuroblend.atlas.render_options import AtlasRenderOptions
from neuroblend.clips.options import TraceClipOptions
from neuroblend.clips.trace import NAMES
from neuroblend.film.graph_options import LAYOUT, check_graph_options
from neuroblend.graph.render_options import NetworkRenderOptions
from neuroblend.nwb.render_options import UnitsRenderOptions
from neuroblend.option_ranges import Range, order_problem, ranges_of, shown
from neuroblend.settings_table import look_keys
from neuroblend.spike.playback_settings import SpikeLook
from neuroblend.surface.render_options import SurfaceRenderOptions

BOOL, STR = bool, str


@dataclass(frozen=True)
class ShotKind:
    """What a storyboard may say about one kind of shot."""

    name: str
    look: dict = field(default_factory=dict)  # option -> type, Range, or a tuple of choices
    data: str = "required"  # "required" | "optional"
    clock: str | None = None  # what the clock drives (its unit), None: no clock
    targets: tuple[str, ...] = ("center",)
    format: str | None = None  # the data file's NeuroBlend format (None: not one)
    view: tuple[float, float, float] | None = None  # default camera direction (None: the film's)
    check: Callable | None = None  # (problems, look, path): checks beyond each option's type
    clock_label: str | None = None  # the look key of its on-screen clock (on by default)

    def shows_clock(self, look: dict) -> bool:
        """Whether a shot of this kind with ``look`` shows its clock in the frame."""
        return self.clock_label is not None and bool(look.get(self.clock_label, True))


@dataclass(frozen=True)
class ClipKind:
    """What a storyboard may say about one kind of clip (drawn on the pure side)."""

    name: str
    options: dict = field(default_factory=dict)
    data: str = "required"
    format: str = "neuroblend.simulation"  # the data file's format
    check: Callable | None = None  # (problems, options, path), after a bound clip inherits


SHOT_KINDS: dict[str, ShotKind] = {}
CLIP_KINDS: dict[str, ClipKind] = {}


def register_shot_kind(kind: ShotKind) -> ShotKind:
    """Add (or replace) a shot kind."""
    SHOT_KINDS[kind.name] = kind
    return kind


def register_clip_kind(kind: ClipKind) -> ClipKind:
    """Add (or replace) a clip kind."""
    CLIP_KINDS[kind.name] = kind
    return kind


def look_number(problems, value, bounds: Range, where: str):
    """A look/options number (or pair) in its option's range, else a problem naming the range."""
    message = bounds.problem(value)
    if message:
        problems.add(where, f"{shown(value)}: {message}")
        return None
    return bounds.convert(value)


def check_order(problems, values: dict, allowed: dict, path: str) -> None:
    """Report options that must be below another one (``vmin`` below ``vmax``)."""
    for key, bounds in allowed.items():
        message = order_problem(values, key, bounds) if isinstance(bounds, Range) else None
        if message:
            problems.add(f"{path}.{key}", f"{shown(values[key])}: {message}")


SPIKE_LOOK = look_keys(SpikeLook)  # the playback table's look rows
GRAPH_LOOK = {**look_keys(NetworkRenderOptions), **LAYOUT}  # the look rows and the layout

register_shot_kind(ShotKind(
    "spike", look=SPIKE_LOOK, clock="ms", targets=("center", "soma"),
    format="neuroblend.simulation", clock_label="time_label"))
register_shot_kind(ShotKind(
    "surface",
    look=look_keys(SurfaceRenderOptions),
    data="optional", clock="slice position (0..1)"))
register_shot_kind(ShotKind(
    "atlas",
    look=look_keys(AtlasRenderOptions), format="neuroblend.atlas"))
register_shot_kind(ShotKind(
    "network", look={**SPIKE_LOOK, "lod": ("auto", "full", "simplified", "soma")}, clock="ms",
    targets=("center", "soma"), format="neuroblend.simulation", clock_label="time_label"))
register_shot_kind(ShotKind(
    "graph", look=GRAPH_LOOK, clock="model step", targets=("center", "layers"),
    format="neuroblend.network", view=(0.0, -1.0, 0.0), check=check_graph_options))
register_shot_kind(ShotKind(
    "units", look=look_keys(UnitsRenderOptions),
    clock="ms", format="neuroblend.units", clock_label="time_label"))
register_clip_kind(ClipKind(
    "trace",
    options={"compartments": list, "cmap": STR, "fill": BOOL, "axes": BOOL, "labels": BOOL,
             "names": NAMES, "clock": BOOL,
             **ranges_of(TraceClipOptions, "range")}))
register_clip_kind(ClipKind(
    "network", options={"cmap": STR, "labels": BOOL}, format="neuroblend.network"))
register_clip_kind(ClipKind(
    "graph", options={"cmap": STR, "edge_color": list, "halo": BOOL, **LAYOUT},
    format="neuroblend.network", check=check_graph_options))
