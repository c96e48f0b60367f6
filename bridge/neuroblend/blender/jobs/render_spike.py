"""Render a simulation file as glowing neurons headlessly (networks with their connections).

Options: :class:`~neuroblend.spike.render_options.SpikeRenderOptions` (from ``neuroblend render
spike SIM.pkl --out DIR ...``, flags in :mod:`neuroblend.cli.render_spike`).

With no ``--frames`` one still is rendered at the soma's peak. ``--video`` covers ``--frames``
or the whole recording. The saved .blend is self-contained (data baked in, no add-on needed).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import bpy

from neuroblend import clock
from neuroblend.blender.core import fonts, render, studio
from neuroblend.blender.simulation.scene import build_simulation_scene
from neuroblend.blender.spike import camera as spike_camera
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.job_options import options_from_argv
from neuroblend.spike.render_options import SpikeRenderOptions

Options = SpikeRenderOptions


def peak_frame(root, doc: dict) -> int:
    """The frame showing the soma's peak (else the middle of the recording)."""
    from neuroblend.simulation.simulation_file import soma_peak

    peak = soma_peak(doc)
    t = peak["time"] if peak else (doc["time"][0] + doc["time"][-1]) / 2
    frame = clock.time_to_frame(t, *clock.root_clock(root))
    return int(round(float(frame)))


def run(options: SpikeRenderOptions) -> list[Path]:
    """Build the scene and render/save what ``options`` ask for; returns the files written."""
    options = replace(options, camera=options.camera_preset())
    doc = spike_playback.load_simulation(options.input)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    # emission on black converges from anti-aliasing alone: no denoiser needed (it is 10x slower)
    scene = studio.setup_studio_scene(bpy.context.scene, samples=16, denoise=False)
    fonts.use_font(scene, options.font)
    root = build_simulation_scene(options, scene, doc)
    if options.frames:
        scene.frame_start, scene.frame_end = options.frames
    spike_camera.apply_camera_preset(root, scene, options.camera)
    written = render.render_outputs(scene, options, default_frame=peak_frame(root, doc))
    return render.print_outputs(written)


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(SpikeRenderOptions, argv))
    return 0
