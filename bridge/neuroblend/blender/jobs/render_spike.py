"""Render a simulation file as glowing neurons headlessly (networks with their connections).

``neuroblend render spike SIM.pkl --out DIR [--frames A-B] [--video out.mp4]
[--save-blend scene.blend] [--camera whole|soma|dolly|orbit] [look/timing options]
[render options]``

With no ``--frames`` one still is rendered at the soma's peak. ``--video`` covers ``--frames``
or the whole recording. The saved .blend is self-contained (data baked in, no add-on needed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bpy

from neuroblend.argtypes import finite_float, positive_float
from neuroblend.blender.core import render, studio
from neuroblend.blender.network import network_import
from neuroblend.blender.spike import camera as spike_camera
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.errors import NeuroBlendError
from neuroblend.network.geometry import AUTO_FULL_MAX_CELLS, AUTO_SIMPLIFIED_MAX_CELLS, LEVELS
from neuroblend.spike import timebase
from neuroblend.spike.tube_geometry import TubeOptions

CLOSE_UP_DETAIL = 8.0  # close-ups show tubes ~8x larger than the whole-cell view: more sides


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuroblend render spike",
        description="Render a NeuroBlend simulation file: each compartment lit by its value "
                    "through a colormap, glowing as it depolarises (data baked into the scene).")
    parser.add_argument("input", type=Path, help="simulation file (.pkl from `neuroblend "
                        "simulate`, or a BlenderSpike pickle)")
    look = parser.add_argument_group("look")
    look.add_argument("--colormap", default="plasma", help="matplotlib colormap name")
    look.add_argument("--colormap-mode", choices=("exact", "ramp"), default="exact")
    look.add_argument("--vmin", type=finite_float, help="value at the colormap's low end "
                      "(default: 1st percentile of the data)")
    look.add_argument("--vmax", type=finite_float, help="value at the colormap's high end "
                      "(default: 99.9th percentile)")
    look.add_argument("--reverse", action="store_true", help="reverse the colormap")
    look.add_argument("--glow", type=finite_float, default=6.0, help="extra emission at the top value")
    look.add_argument("--brightness", type=finite_float, default=1.0, help="emission at rest")
    look.add_argument("--rest-lift", type=finite_float, default=0.08,
                      help="white added at rest so the whole cell shows on black (0: off)")
    look.add_argument("--rim", type=finite_float, default=1.0,
                      help="Fresnel rim on the emission, a depth cue (0: off; default 1)")
    look.add_argument("--time-label", action=argparse.BooleanOptionalAction, default=True,
                      help="show the simulation time (default: on)")
    look.add_argument("--colorbar", action=argparse.BooleanOptionalAction, default=True,
                      help="show a colorbar with the value range (default: on)")
    geo = parser.add_argument_group("geometry")
    geo.add_argument("--radius-scale", type=finite_float, default=1.0, help="tube radius multiplier")
    geo.add_argument("--min-radius", type=finite_float, default=TubeOptions.min_radius,
                     help="minimum tube radius (um)")
    geo.add_argument("--homogeneity", type=finite_float, default=0.0,
                     help="0..1: blend radii towards the cell's mean radius")
    geo.add_argument("--tube-resolution", type=int, default=16,
                     help="most vertices around a tube (thin or far tubes get fewer)")
    geo.add_argument("--soma", choices=("auto", "sphere", "traced"), default="auto",
                     help="soma shape (auto: the traced outline when the file has one)")
    geo.add_argument("--smoothing", type=int, default=0, choices=range(4),
                     help="extra subdivision levels for hero shots (default 0)")
    geo.add_argument("--min-pixels", type=finite_float, default=1.5,
                     help="minimum on-screen tube width in pixels (0: off; default 1.5)")
    geo.add_argument("--lod", choices=("auto",) + LEVELS, default="auto",
                     help="networks: level of detail of the cells (auto: full up to "
                     f"{AUTO_FULL_MAX_CELLS} cells, simplified up to {AUTO_SIMPLIFIED_MAX_CELLS}, "
                     "then soma only)")
    timing = parser.add_argument_group("timing")
    timing.add_argument("--frames-per-ms", type=positive_float,
                        help="animation frames per simulated ms (default: one frame per sample)")
    timing.add_argument("--start-frame", type=int, default=1,
                        help="frame showing the first sample (default 1)")
    timing.add_argument("--time-window", type=finite_float, nargs=2, metavar=("START", "END"),
                        help="show only START..END ms: the start frame shows START and the "
                             "frame range ends at END")
    shot = parser.add_argument_group("camera")
    shot.add_argument("--camera", choices=spike_camera.PRESETS, default="whole",
                      help="whole: the whole cell; soma: close-up of the soma and trunks; dolly: "
                           "whole cell in to the soma, arriving as the spike starts; orbit: turn "
                           "once around the cells over the frame range (default whole)")
    shot.add_argument("--turntable", action="store_true", help="the same as --camera orbit")
    render.add_render_arguments(parser)
    return parser


def build_scene(args, scene, doc: dict | None = None):
    """Import ``doc`` (default: ``args.input``) into ``scene``, framed; returns the root Empty."""
    tube = TubeOptions(radius_scale=args.radius_scale, min_radius=args.min_radius,
                       homogeneity=args.homogeneity, resolution=args.tube_resolution,
                       soma=args.soma, smoothing=args.smoothing, min_pixels=args.min_pixels,
                       detail=CLOSE_UP_DETAIL if args.camera in ("soma", "dolly") else 1.0)
    settings = spike_playback.SpikeSettings(
        colormap=args.colormap, colormap_mode=args.colormap_mode, value_min=args.vmin,
        value_max=args.vmax, frames_per_ms=args.frames_per_ms, start_frame=args.start_frame,
        brightness=args.brightness, glow=args.glow, reverse=args.reverse,
        rest_lift=args.rest_lift, rim=args.rim)

    def progress(done: int, total: int, detail: str) -> None:
        print(f"[{done}/{total}] cells built  {detail}", flush=True)

    root = network_import.import_simulation_or_network(
        args.input if doc is None else doc, level=args.lod, scene=scene, name=args.input.stem,
        tube=tube,
        settings=settings, time_label=args.time_label, colorbar=args.colorbar,
        progress=progress)
    if args.time_window:
        start, end = args.time_window
        if end <= start:
            raise NeuroBlendError(f"--time-window {start:g} {end:g}: END must be after START")
        root["nb_time_start"] = float(start)
    spike_playback.fit_timeline(root, scene, args.time_window[1] if args.time_window else None)
    render.apply_render_arguments(scene, args)
    spike_playback.frame_simulation(root, scene)
    return root


def peak_frame(root, doc: dict) -> int:
    """The frame showing the soma's peak (else the middle of the recording)."""
    from neuroblend.spike.simulation_file import soma_peak

    peak = soma_peak(doc)
    t = peak["time"] if peak else (doc["time"][0] + doc["time"][-1]) / 2
    frame = timebase.time_to_frame(t, root["nb_frames_per_ms"], root["nb_start_frame"],
                                   root["nb_time_start"])
    return int(round(float(frame)))


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.turntable:
        args.camera = "orbit"
    doc = spike_playback.load_simulation(args.input)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    # emission on black converges from anti-aliasing alone: no denoiser needed (it is 10x slower)
    scene = studio.setup_studio_scene(bpy.context.scene, samples=16, denoise=False)
    root = build_scene(args, scene, doc)
    if args.frames:
        scene.frame_start, scene.frame_end = args.frames
    spike_camera.apply_camera_preset(root, scene, args.camera)
    written = render.render_outputs(scene, args, default_frame=peak_frame(root, doc))
    for kind, paths in written.items():
        for path in paths if isinstance(paths, list) else [paths]:
            print(f"{kind}: {path}")
    return 0

