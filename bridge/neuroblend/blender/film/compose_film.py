"""Compose a film on Blender's sequencer: shot/clip layers (neuroblend.blender.compose.sequencer) plus fades,
titles, fades to/from black and the voiceover. Opacity changes are keyframes on ``blend_alpha``."""

from __future__ import annotations

from pathlib import Path

from neuroblend.blender.compose.sequencer import build_composition
from neuroblend.blender.core import compat, fonts
from neuroblend.clips.layers import Layer

BLENDS = {"alpha": "alpha-over", "screen": "screen", "add": "add"}
ANCHOR_X = {"left": "LEFT", "right": "RIGHT"}
ANCHOR_Y = {"top": "TOP", "bottom": "BOTTOM"}
TITLE_WRAP = 0.9  # a title wraps at this fraction of the frame width
BOX_COLOR = (0.0, 0.0, 0.0, 0.6)  # lower thirds and captions: a dark box behind the text
BOX_MARGIN = 0.01  # of the frame width


def key_opacity(strip, first: int, last: int, opacity: float, fades) -> None:
    """Fade ``strip`` in over ``fades[0]`` frames from ``first`` and out over ``fades[1]`` to ``last``."""
    fade_in, fade_out = fades
    points = []
    if fade_in:
        points += [(first - 1, 0.0), (first - 1 + fade_in, opacity)]
    if fade_out:
        points += [(last + 1 - fade_out, opacity), (last + 1, 0.0)]
    strip.blend_alpha = opacity
    for frame, value in points:
        strip.blend_alpha = value
        strip.keyframe_insert("blend_alpha", frame=frame)


def add_layers(scene, plan: dict, workdir) -> None:
    """Shot and clip PNG sequences, placed, blended and faded."""
    layers = [Layer(path=Path(spec["frames_dir"]), blend=BLENDS[spec["blend"]],
                    start=spec["start"], x=spec["x"], y=spec["y"], scale=spec["scale"],
                    opacity=spec["opacity"]) for spec in plan["layers"]]
    build_composition(scene, layers, workdir, size=tuple(plan["size"]), fps=plan["fps"],
                      frames=(1, plan["frames"]))
    strips = compat.sequencer_strips(scene)
    for channel, spec in enumerate(plan["layers"], start=2):
        strip = strips[f"layer{channel}"]
        if any(spec["fades"]):
            first, end = compat.strip_span(strip)
            key_opacity(strip, first, end - 1,
                        spec["opacity"], spec["fades"])


def add_title(strips, spec: dict, channel: int, font) -> None:
    """A text strip over [start, end) in ``font`` with its size, colour, anchor, box and fades;
    long text wraps inside the frame."""
    strip = compat.new_effect_strip(strips, f"title{channel}", "TEXT", channel, spec["start"],
                                    spec["end"])
    strip.text = spec["text"]
    strip.font = font
    strip.font_size = spec["font_size"]
    strip.wrap_width = TITLE_WRAP
    if spec.get("box"):
        strip.use_box = True
        strip.box_color = BOX_COLOR
        strip.box_margin = BOX_MARGIN
    strip.color = (*spec["color"], 1.0)
    strip.location = spec["position"]
    parts = spec["anchor"].split("-")
    compat.set_text_anchor(strip, next((ANCHOR_X[p] for p in parts if p in ANCHOR_X), "CENTER"),
                           next((ANCHOR_Y[p] for p in parts if p in ANCHOR_Y), "CENTER"))
    strip.blend_type = "ALPHA_OVER"
    key_opacity(strip, spec["start"], spec["end"] - 1, spec["opacity"], spec["fades"])


def add_black(strips, spec: dict, channel: int, last: int) -> None:
    """A black strip whose opacity ramps 0 -> 1 (to black, held to the end) or 1 -> 0 over
    [start, end): fully black on the last frame of a fade to black, clear on that of a fade from."""
    end = last + 1 if spec["to_black"] else spec["end"]
    strip = compat.new_effect_strip(strips, f"black{channel}", "COLOR", channel, spec["start"],
                                    max(end, spec["start"] + 1))
    strip.color = (0.0, 0.0, 0.0)
    strip.blend_type = "ALPHA_OVER"
    ramp = (0.0, 1.0) if spec["to_black"] else (1.0, 0.0)
    last_frame = max(spec["end"] - 1, spec["start"] + 1)  # fully black on its last frame
    for frame, value in zip((spec["start"], last_frame), ramp, strict=True):
        strip.blend_alpha = value
        strip.keyframe_insert("blend_alpha", frame=frame)


def compose_film(scene, plan: dict, workdir) -> range:
    """Fill ``scene``'s sequencer from ``plan`` (see neuroblend.film.build); returns its frames."""
    add_layers(scene, plan, workdir)
    strips = compat.sequencer_strips(scene)
    channel = len(plan["layers"]) + 2
    font = fonts.use_font(scene, plan.get("font"))
    for spec in plan["titles"]:
        add_title(strips, spec, channel, font)
        channel += 1
    for spec in plan["blacks"]:
        add_black(strips, spec, channel, plan["frames"])
        channel += 1
    return range(1, plan["frames"] + 1)
