"""The units scene: one point per unit made a sphere by geometry nodes (the shared "NB Synapse
Spheres" group), its row and colour as point attributes, its flash baked into a float image read
by the material at the scene frame (no Python per frame); probe shanks as thin tubes; atlas
regions as glass, the ones the units name optionally glowing by population activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import bpy
import numpy as np

from neuroblend import clock
from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.core.node_build import (
    emission_surface,
    fresh_material,
)
from neuroblend.blender.core.root_properties import set_root_properties
from neuroblend.blender.network.connections import spheres_node_group, tubes_node_group
from neuroblend.blender.spike import settings_ui as spike_settings
from neuroblend.blender.spike.neuron_mesh import ROW_ATTRIBUTE
from neuroblend.blender.spike.playback import bake_values
from neuroblend.blender.units import units_material
from neuroblend.colormaps import luts
from neuroblend.nwb.render_options import UnitsRenderOptions
from neuroblend.nwb.units_plan import UnitsPlan, busiest_frame, plan_units

ROOT_MARKER = "nb_units"
UM_PER_MM = 1000.0
SHANK_RADIUS_UM = 8.0
SHANK_COLOR = (0.55, 0.6, 0.65, 1.0)
FRAME_PAD_MM = 0.4  # the camera frames the units and shanks with at least this much around


@dataclass
class UnitsScene:
    """What one import created."""

    root: object
    units: object
    shanks: list = field(default_factory=list)
    regions: list = field(default_factory=list)


def load_units(options: UnitsRenderOptions) -> tuple[dict, dict | None]:
    """The units document of ``options.input`` (a units file, or an NWB file imported on the
    way, placed in the atlas file's frame) and the atlas document of ``options.atlas_file``."""
    from neuroblend.files.fileformat import load_document

    atlas_doc = (load_document(options.atlas_file, expect="neuroblend.atlas")
                 if options.atlas_file else None)
    if Path(options.input).suffix.lower() == ".nwb":
        from neuroblend.nwb.units_import import units_from_nwb

        return units_from_nwb(Path(options.input), atlas_doc), atlas_doc
    return load_document(options.input, expect="neuroblend.units"), atlas_doc


def import_units_file(options: UnitsRenderOptions, scene=None) -> tuple[UnitsScene, UnitsPlan]:
    """Load, plan and build ``options.input`` (with ``options.atlas_file``) into ``scene``."""
    doc, atlas_doc = load_units(options)
    plan = plan_units(doc, options, atlas_doc)
    built = import_units(plan, options, scene=scene, name=Path(options.input).stem,
                         atlas_doc=atlas_doc)
    return built, plan


def import_units(plan: UnitsPlan, options: UnitsRenderOptions, *, scene=None, name: str = "Units",
                 atlas_doc: dict | None = None) -> UnitsScene:
    """Build ``plan`` into ``scene``; returns the created objects."""
    scene = scene or bpy.context.scene
    playback_clock.ensure_clock(scene)
    collection = bpy.data.collections.new(f"NB Units {name}")
    scene.collection.children.link(collection)
    root = bpy.data.objects.new(f"NB Units {name}", None)
    collection.objects.link(root)
    _init_root(root, plan, options)
    time = plan.time0 + plan.step * np.arange(plan.frames)
    image, layout = bake_values(f"NB Units Data {name}", time, plan.values)
    root["nb_image"] = image.name
    material = units_material.unit_material(f"NB Units {name}", root, image, layout, ROW_ATTRIBUTE)
    units = _sphere_points(f"{name} units", plan, collection, material, options.unit_radius)
    units.parent = root
    built = UnitsScene(root, units)
    built.shanks = [_shank(f"{name} {group}", ends, collection, root)
                    for group, ends in plan.shanks]
    if atlas_doc is not None:
        built.regions = _regions(atlas_doc, plan, root, image, layout, scene)
    if options.time_label:
        from neuroblend.blender.spike import overlays

        overlays.add_time_label(root, scene)
    return built


def frame_units(built: UnitsScene, scene, view=UnitsRenderOptions.view):
    """Point the scene camera at the units and shanks, with room around them and the overlay
    bands kept free (as for spike scenes); returns it."""
    from neuroblend.blender.spike import overlays

    bpy.context.view_layer.update()
    lo, hi = world_bounds([built.units, *built.shanks], evaluated=True, what="units")
    pad = np.maximum((hi - lo) * 0.25, FRAME_PAD_MM)
    camera = studio.frame_camera(lo - pad, hi + pad, scene, view=tuple(view),
                                 reserve=overlays.OVERLAY_RESERVE)
    overlays.place_overlays(built.root, scene)
    return camera


def build_units_scene(options: UnitsRenderOptions, scene) -> tuple[UnitsScene, UnitsPlan]:
    """The units scene of ``render units`` and the film's units shot: the files imported into
    ``scene``, its frame range the plan's, at the busiest frame, framed by the camera."""
    built, plan = import_units_file(options, scene)
    scene.frame_start = options.start_frame
    scene.frame_end = options.start_frame + plan.frames - 1
    scene.frame_set(busiest_frame(plan, options.start_frame))
    frame_units(built, scene, options.view)
    return built, plan


def _init_root(root, plan: UnitsPlan, options: UnitsRenderOptions) -> None:
    root[ROOT_MARKER] = 1
    values = {clock.START_FRAME: options.start_frame, clock.FRAMES_PER_MS: 1.0 / plan.step,
              clock.TIME_START: plan.time0, "nb_unit_brightness": options.brightness,
              "nb_unit_glow": options.glow, "nb_region_glow": units_material.SETTINGS[
                  "nb_region_glow"][0]}
    ui = {**spike_settings.SETTINGS, **{k: row[1:] for k, row in units_material.SETTINGS.items()}}
    set_root_properties(root, {k: float(v) for k, v in values.items()}, ui)
    root["nb_data_time_start"] = plan.time0  # what the time label may show
    root["nb_data_time_end"] = plan.time0 + plan.step * (plan.frames - 1)
    root["nb_time_unit"] = "ms"
    root["nb_units"] = len(plan.positions)
    root["nb_regions"] = " ".join(plan.regions)
    root["nb_legend"] = "; ".join(f"{k}: #{_hex(v)}" for k, v in plan.legend.items())[:1000]


def _hex(rgb) -> str:
    return "".join(f"{int(round(255 * min(max(c, 0.0), 1.0))):02X}" for c in rgb)


def _sphere_points(name: str, plan: UnitsPlan, collection, material, radius_mm: float):
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(plan.positions))
    mesh.vertices.foreach_set("co", plan.positions.astype(np.float32).ravel())
    mesh.update()
    mesh.attributes.new(ROW_ATTRIBUTE, "INT", "POINT").data.foreach_set(
        "value", np.arange(len(plan.positions), dtype=np.int32))
    mesh.attributes.new(units_material.COLOR_ATTRIBUTE, "FLOAT_COLOR", "POINT").data.foreach_set(
        "color", np.ascontiguousarray(plan.colors, dtype=np.float32).ravel())
    return _modified(name, mesh, collection, spheres_node_group(), radius_mm * UM_PER_MM, material)


def _modified(name: str, mesh, collection, group, radius_um: float, material):
    obj = bpy.data.objects.new(name, mesh)
    collection.objects.link(obj)
    mod = obj.modifiers.new(group.name, "NODES")
    mod.node_group = group
    compat.set_modifier_input(mod, "Radius", float(radius_um))
    compat.set_modifier_input(mod, "Units per um", 1.0 / UM_PER_MM)
    compat.set_modifier_input(mod, "Material", material)
    return obj


def _shank(name: str, ends: np.ndarray, collection, root):
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(2)
    mesh.vertices.foreach_set("co", np.asarray(ends, dtype=np.float32).ravel())
    mesh.edges.add(1)
    mesh.edges.foreach_set("vertices", np.array([0, 1], dtype=np.int32))
    mesh.update()
    obj = _modified(name, mesh, collection, tubes_node_group(), SHANK_RADIUS_UM, _shank_material())
    obj.parent = root
    return obj


def _shank_material():
    mat = bpy.data.materials.get("NB Probe Shank")
    if mat is not None:
        return mat
    mat = fresh_material("NB Probe Shank")
    emission_surface(mat.node_tree, tuple(SHANK_COLOR), 0.8, label="Shank")
    return playback_clock.seen_emission(mat)


def _regions(atlas_doc: dict, plan: UnitsPlan, root, image, layout, scene) -> list:
    """The atlas regions as glass; those in ``plan.regions`` glow by their activity row."""
    from neuroblend.blender.atlas import atlas_import

    imported = atlas_import.import_atlas(atlas_doc, region_preset="glass", context_preset="glass",
                                         scene=scene, source=str(atlas_doc["meta"].get("source", "")))
    first_row = len(plan.positions)
    for obj in imported.objects:
        acronym = obj["neuroblend_acronym"]
        if acronym not in plan.regions:
            continue
        row = first_row + plan.regions.index(acronym)
        obj.data.attributes.new(ROW_ATTRIBUTE, "INT", "POINT").data.foreach_set(
            "value", np.full(len(obj.data.vertices), row, dtype=np.int32))
        region = next(r for r in atlas_doc["regions"] if r["acronym"] == acronym)
        rgb = luts.srgb_to_linear(np.asarray(region["rgb"], dtype=float) / 255.0)
        obj.data.materials[0] = units_material.region_activity_material(
            f"NB Region Activity {acronym}", root, image, layout, ROW_ATTRIBUTE, (*rgb, 1.0))
    return imported.objects

