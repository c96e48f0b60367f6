"""The registry of shot and clip kinds a storyboard may use.

A shot kind names its look options (validated before anything renders; each becomes the matching
option of its ``neuroblend render`` job), whether it needs a data file, what its simulation clock
drives and the named camera targets it offers. A new kind is one ``register_shot_kind`` line here
plus one small builder module under ``neuroblend/blender/film/`` (as ``network_shot`` and
``graph_shot``), listed in ``neuroblend.blender.film.builders.BUILDERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from neuroblend.film.graph_options import LAYOUT, check_graph_options
from neuroblend.nwb.render_options import COLOR_BY

BOOL, FLOAT, INT, STR = bool, float, int, str


@dataclass(frozen=True)
class ShotKind:
    """What a storyboard may say about one kind of shot."""

    name: str
    look: dict = field(default_factory=dict)  # option -> type, or a tuple of choices
    data: str = "required"  # "required" | "optional"
    clock: str | None = None  # what the clock drives (its unit), None: no clock
    targets: tuple[str, ...] = ("center",)
    format: str | None = None  # the data file's NeuroBlend format (None: not one)
    view: tuple[float, float, float] | None = None  # default camera direction (None: the film's)
    check: Callable | None = None  # (problems, look, path): checks beyond each option's type


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


SPIKE_LOOK = {"colormap": STR, "colormap_mode": ("exact", "ramp"), "vmin": FLOAT, "vmax": FLOAT,
              "reverse": BOOL, "glow": FLOAT, "brightness": FLOAT, "time_label": BOOL,
              "colorbar": BOOL, "radius_scale": FLOAT, "min_radius": FLOAT,
              "homogeneity": FLOAT, "tube_resolution": INT, "soma": ("sphere", "traced")}
GRAPH_LOOK = {"colormap": STR, "brightness": FLOAT, "glow": FLOAT, "edge_color": list,
              "edge_strength": FLOAT, **LAYOUT}

register_shot_kind(ShotKind(
    "spike", look=SPIKE_LOOK, clock="ms", targets=("center", "soma"), format="neuroblend.simulation"))
register_shot_kind(ShotKind(
    "surface",
    look={"colormap": STR, "color_by": ("height", "x", "y"), "height_scale": FLOAT,
          "axis": ("X", "Y", "Z"), "band_width": FLOAT, "band_strength": FLOAT,
          "no_wireframe": BOOL, "flip": BOOL, "mode": ("mesh", "displace")},
    data="optional", clock="slice position (0..1)"))
register_shot_kind(ShotKind(
    "atlas",
    look={"region_preset": ("atlas", "glass", "glow"), "context_preset": ("atlas", "glass", "glow"),
          "gradient_axis": ("X", "Y", "Z"), "colormap": STR}, format="neuroblend.atlas"))
register_shot_kind(ShotKind(
    "network", look={**SPIKE_LOOK, "lod": ("auto", "full", "simplified", "soma")}, clock="ms",
    targets=("center", "soma"), format="neuroblend.simulation"))
register_shot_kind(ShotKind(
    "graph", look=GRAPH_LOOK, clock="model step", targets=("center", "layers"),
    format="neuroblend.network", view=(0.0, -1.0, 0.0), check=check_graph_options))
register_shot_kind(ShotKind(
    "units", look={"color_by": COLOR_BY, "colormap": STR, "glow": FLOAT, "brightness": FLOAT,
                   "unit_radius": FLOAT, "decay": FLOAT, "probes": BOOL, "frames_per_ms": FLOAT,
                   "time_label": BOOL},
    clock="ms", format="neuroblend.units"))
register_clip_kind(ClipKind(
    "trace",
    options={"compartments": list, "cmap": STR, "fill": BOOL, "axes": BOOL, "labels": BOOL,
             "range": list}))
register_clip_kind(ClipKind(
    "network", options={"cmap": STR, "labels": BOOL}, format="neuroblend.network"))
register_clip_kind(ClipKind(
    "graph", options={"cmap": STR, "edge_color": list, "halo": BOOL, **LAYOUT},
    format="neuroblend.network", check=check_graph_options))
