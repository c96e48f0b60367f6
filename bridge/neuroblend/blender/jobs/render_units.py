"""Render recorded units (a ``neuroblend.units`` file) flashing on their spikes, optionally in
atlas regions.

Options: :class:`~neuroblend.nwb.render_options.UnitsRenderOptions` (from ``neuroblend render
units units.pkl --out DIR [--atlas-file A.pkl] ...``, flags in :mod:`neuroblend.cli.render_units`).
"""

from __future__ import annotations

from pathlib import Path

import bpy
import numpy as np

from neuroblend.blender.core import render, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.units import units_scene
from neuroblend.job_options import options_from_argv
from neuroblend.nwb.render_options import DEFAULT_FPS, UnitsRenderOptions
from neuroblend.nwb.units_plan import busiest_frame, plan_units

Options = UnitsRenderOptions
FRAME_PAD_MM = 0.4  # the camera frames the units and shanks with at least this much around


def build(args: UnitsRenderOptions, scene=None):
    """Load the files, plan and build the scene; returns (scene, UnitsScene, plan)."""
    from neuroblend.files.fileformat import load_document

    atlas_doc = (load_document(args.atlas_file, expect="neuroblend.atlas")
                 if args.atlas_file else None)
    if Path(args.input).suffix.lower() == ".nwb":
        from neuroblend.nwb.units_import import units_from_nwb

        doc = units_from_nwb(Path(args.input), atlas_doc)
    else:
        doc = load_document(args.input, expect="neuroblend.units")
    plan = plan_units(doc, args, atlas_doc)
    if scene is None:
        bpy.ops.wm.read_factory_settings(use_empty=True)
        scene = studio.setup_studio_scene(bpy.context.scene, resolution=(1280, 720), samples=32,
                                          fps=args.fps or DEFAULT_FPS)
    built = units_scene.import_units(plan, args, scene=scene, name=Path(args.input).stem,
                                     atlas_doc=atlas_doc)
    scene.frame_start = args.start_frame
    scene.frame_end = args.start_frame + plan.frames - 1
    scene.frame_set(busiest_frame(plan, args.start_frame))
    bpy.context.view_layer.update()
    lo, hi = world_bounds([built.units, *built.shanks], vertices=False, evaluated=True,
                          what="units")
    pad = np.maximum((hi - lo) * 0.25, FRAME_PAD_MM)
    studio.frame_camera(lo - pad, hi + pad, scene, view=args.view)
    return scene, built, plan


def run(args: UnitsRenderOptions) -> list[Path]:
    """Build the units scene and render/save what ``args`` ask for; returns the files written."""
    scene, _built, _plan = build(args)
    render.apply_render_arguments(scene, args)
    return render.print_outputs(render.render_outputs(scene, args, default_frame=scene.frame_current))


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(UnitsRenderOptions, argv))
    return 0
