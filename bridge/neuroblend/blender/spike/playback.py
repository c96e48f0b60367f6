"""Baked spike playback: simulation values packed into the .blend, read by the shader from the frame.

The values matrix (rows = compartments, columns = uniformly spaced samples) is stored in a packed
float image, four consecutive samples per RGBA texel; when there are more rows than fit in one
texture column (16384) the rows wrap into side-by-side bands. The material ("NB Spike <name>")
reads each vertex's row (``nb_compartment``) and the current frame (the scene clock of
``playback_clock``: a ``frame`` driver evaluated by Blender without Python), fetches the two
samples around the current time, interpolates, holds the first/last value outside the recording,
and colours the emission through the shared colormap node group; NaN/inf values show the
colormap's NaN colour.
A frame change re-syncs only this shader in Cycles: no mesh, BVH or light tree (see
``playback_clock``).

Every setting lives as a custom property on the simulation's root Empty (``nb_*``) and reaches the
material, the thickness modifiers and the overlays through plain drivers, so editing a property (in
the NeuroBlend panel or Object > Custom Properties) changes the shot at once, and a saved .blend
renders the same in a fresh Blender with no add-on and without the simulation file.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import bpy
import numpy as np

from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.spike import neuron_mesh, tube_thickness
from neuroblend.blender.spike import overlays as spike_overlays
from neuroblend.blender.spike.material import (
    COLORMAP_NODE,
    MATERIAL_SETTINGS,
    SETTINGS,
    build_material,
    drive_from_root,
    set_colormap_node,
)
from neuroblend.errors import NeuroBlendError
from neuroblend.spike import timebase
from neuroblend.spike.bake_layout import (
    BakeLayout,
    pack_values,
    plan_layout,
    uniform_samples,
    unpack_values,
)
from neuroblend.spike.tube_geometry import TubeOptions

OVERLAY_RESERVE = spike_overlays.OVERLAY_RESERVE
ROOT_MARKER = "nb_spike"
# root custom property -> (default, soft min, soft max, description)
_THICKNESS_INPUTS = {"nb_radius_scale": "Radius Scale", "nb_min_radius": "Minimum Radius",
                     "nb_homogeneity": "Homogeneity", "nb_min_pixels": "Minimum Pixels"}


@dataclass(frozen=True)
class SpikeSettings:
    """Look and timing of an imported simulation (all editable later on the root Empty)."""

    colormap: str = "plasma"
    colormap_mode: str = "exact"  # "exact" (lookup table) or "ramp" (ColorRamp)
    value_min: float | None = None  # None: the ``percentiles`` of the finite values
    value_max: float | None = None
    percentiles: tuple[float, float] = (1.0, 99.9)
    frames_per_ms: float | None = None  # None: one frame per recorded sample
    start_frame: int = 1
    brightness: float = 1.0
    glow: float = 6.0
    edge_darkening: float = 0.5
    reverse: bool = False
    rest_lift: float = 0.08  # white added at rest so whole cells read on black (spike_look)
    rim: float = 1.0  # Fresnel rim strength (depth cue)


# --------------------------------------------------------------------------- baking


def bake_values(name: str, time, values) -> tuple[object, BakeLayout]:
    """Pack ``values`` into a new float image stored inside the .blend; returns (image, layout)."""
    time0, step, uniform = uniform_samples(time, values)
    layout = plan_layout(uniform.shape[0], uniform.shape[1], time0, step)
    pixels = pack_values(uniform, layout)
    image = bpy.data.images.new(name, layout.width, layout.height, alpha=True,
                                float_buffer=True, is_data=True)
    image.alpha_mode = "CHANNEL_PACKED"
    image.colorspace_settings.is_data = True
    image.pixels.foreach_set(pixels.ravel())
    image.pack()
    return image, layout


# --------------------------------------------------------------------------- node groups


# --------------------------------------------------------------------------- material


# --------------------------------------------------------------------------- scene import

def value_range(values, settings: SpikeSettings) -> tuple[float, float]:
    """Colormap range: as given, else the settings' percentiles of the finite values."""
    lo, hi = settings.value_min, settings.value_max
    finite = np.asarray(values)[np.isfinite(values)] if lo is None or hi is None else None
    if finite is not None and finite.size:
        plo, phi = np.percentile(finite, settings.percentiles)
        lo = float(plo) if lo is None else lo
        hi = float(phi) if hi is None else hi
    lo = -70.0 if lo is None else float(lo)
    hi = lo + 1.0 if hi is None or hi <= lo else float(hi)
    return lo, hi


def load_simulation(path) -> dict:
    """Load and validate a simulation file (NeuroBlend or legacy BlenderSpike pickle)."""
    from neuroblend.files.fileformat import load_document

    if not Path(path).is_file():
        raise NeuroBlendError(f"{path}: no such file")
    return load_document(path, expect="neuroblend.simulation")


def import_simulation(source, *, scene=None, name: str | None = None,
                      tube: TubeOptions | None = None, settings: SpikeSettings | None = None,
                      time_label: bool = False, colorbar: bool = False,
                      progress: Callable[[int, int, str], None] | None = None,
                      build_cells: Callable | None = None):
    """Build the playback scene of a simulation file or document; returns the root Empty.

    Creates a collection with a root Empty (the settings), one tube mesh per cell parented to it,
    the baked data image and the playback material. ``build_cells`` (default
    ``neuron_mesh.build_cell_objects``, same signature) makes the cell objects, e.g. at a
    network's level of detail.
    """
    doc = load_simulation(source) if isinstance(source, (str, Path)) else source
    scene = scene or bpy.context.scene
    tube = tube or TubeOptions()
    settings = settings or SpikeSettings()
    name = name or (Path(source).stem if isinstance(source, (str, Path)) else "Simulation")
    tube, settings = _checked(tube, settings)
    playback_clock.ensure_clock(scene)
    collection = bpy.data.collections.new(f"NB Spike {name}")
    scene.collection.children.link(collection)
    root = bpy.data.objects.new(f"NB Spike {name}", None)
    root.empty_display_type = "PLAIN_AXES"
    root.rotation_euler = (math.pi / 2, 0.0, 0.0)  # morphology +Y (apical, towards pia) up
    collection.objects.link(root)
    time, values = doc["time"], doc["values"]
    image, layout = bake_values(f"NB Spike Data {name}", time, values)
    lo, hi = value_range(values, settings)
    fpms = settings.frames_per_ms or (1.0 / layout.step if layout.samples > 1 else 1.0)
    _init_root(root, doc, layout, replace(settings, value_min=lo, value_max=hi,
                                          frames_per_ms=timebase.check_frames_per_ms(fpms)), tube)
    material = build_material(f"NB Spike {name}", image, layout, settings.colormap,
                              settings.colormap_mode)
    material["nb_root"] = root.name
    root["nb_material"] = material.name
    root["nb_image"] = image.name
    for key in MATERIAL_SETTINGS:
        drive_from_root(material.node_tree, f'nodes["{key}"].outputs[0].default_value', root, key)
    cells = (build_cells or neuron_mesh.build_cell_objects)(
        doc, tube, collection=collection, name_prefix=f"{name} ", progress=progress)
    for obj in cells:
        obj.parent = root
        obj.data.materials.append(material)
        obj["nb_root"] = root.name
        mod = obj.modifiers[tube_thickness.THICKNESS_MODIFIER]
        for key, socket in _THICKNESS_INPUTS.items():
            drive_from_root(obj, compat.modifier_input_path(mod, socket), root, key)
    if time_label:
        spike_overlays.add_time_label(root, scene)
    if colorbar:
        spike_overlays.add_colorbar(root, scene)
    return root


def _checked(tube: TubeOptions, settings: SpikeSettings) -> tuple[TubeOptions, SpikeSettings]:
    """The options checked (a clear error naming the bad one), the colormap name resolved."""
    from neuroblend.colormaps import luts as colormaps

    try:
        tube = tube.check()
    except ValueError as exc:
        raise NeuroBlendError(str(exc)) from None
    settings = replace(settings, colormap=colormaps.resolve_name(settings.colormap))
    if settings.colormap_mode not in ("exact", "ramp"):
        raise NeuroBlendError(f"colormap mode {settings.colormap_mode!r}: use 'exact' or 'ramp'")
    return tube, settings


def _init_root(root, doc, layout: BakeLayout, settings: SpikeSettings, tube: TubeOptions):
    root[ROOT_MARKER] = 1
    values = {
        "nb_start_frame": float(settings.start_frame),
        "nb_frames_per_ms": float(settings.frames_per_ms),
        "nb_time_start": float(layout.time0),
        "nb_value_min": float(settings.value_min),
        "nb_value_max": float(settings.value_max),
        "nb_brightness": float(settings.brightness),
        "nb_glow": float(settings.glow),
        "nb_edge_darkening": float(settings.edge_darkening),
        "nb_reverse": bool(settings.reverse),
        "nb_rest_lift": float(settings.rest_lift),
        "nb_rim": float(settings.rim),
        "nb_min_pixels": float(tube.min_pixels),
        "nb_radius_scale": float(tube.radius_scale),
        "nb_min_radius": float(tube.min_radius),
        "nb_homogeneity": float(tube.homogeneity),
    }
    for key, value in values.items():
        _, soft_min, soft_max, description = SETTINGS[key]
        root[key] = value
        ui = root.id_properties_ui(key)
        if isinstance(value, bool):
            ui.update(description=description)
        else:
            ui.update(soft_min=soft_min, soft_max=soft_max, description=description)
    root["nb_colormap"] = settings.colormap
    root["nb_colormap_mode"] = settings.colormap_mode
    root["nb_data_time_start"] = float(layout.time0)
    root["nb_data_time_end"] = float(layout.time0 + layout.step * (layout.samples - 1))
    root["nb_data_step"] = float(layout.step)
    root["nb_samples"] = int(layout.samples)
    root["nb_layout"] = [layout.rows, layout.band_rows, layout.row_pixels]
    root["nb_variable"] = str(doc["variable"])
    root["nb_value_unit"] = str(doc["units"].get("values", ""))
    root["nb_time_unit"] = str(doc["units"].get("time", "ms"))


# --------------------------------------------------------------------------- after import

def find_root(obj):
    """The simulation root Empty of ``obj``: itself, an ancestor, or the one ``obj['nb_root']``
    names (overlays parented to the camera)."""
    seen = obj
    while seen is not None:
        if seen.get(ROOT_MARKER):
            return seen
        seen = seen.parent
    named = bpy.data.objects.get(obj.get("nb_root", "")) if obj is not None else None
    return named if named is not None and named.get(ROOT_MARKER) else None


def cell_objects(root) -> list:
    """The cell mesh objects of a simulation root."""
    return [obj for obj in root.children if obj.type == "MESH" and obj.get("nb_root")]


def set_colormap(root, colormap: str, mode: str | None = None) -> None:
    """Switch the simulation's colormap (any matplotlib name; e.g. 'viridis', 'coolwarm_r')."""
    from neuroblend.colormaps import luts as colormaps

    colormap = colormaps.resolve_name(colormap)
    mode = mode or root.get("nb_colormap_mode", "exact")
    material = bpy.data.materials.get(root.get("nb_material", ""))
    if material is None:
        raise NeuroBlendError(f"{root.name}: its playback material is missing")
    set_colormap_node(material.node_tree.nodes[COLORMAP_NODE], colormap, mode)
    root["nb_colormap"] = colormap
    root["nb_colormap_mode"] = mode
    for obj in root.children:
        if obj.get("nb_overlay") == "colorbar":
            spike_overlays.refresh_colorbar(obj, root)


def baked_values(root) -> np.ndarray:
    """The values baked into the simulation's image, [compartments, samples]."""
    image = bpy.data.images.get(root.get("nb_image", ""))
    if image is None or "nb_layout" not in root:
        raise NeuroBlendError(f"{root.name}: its baked data image is missing")
    rows, band_rows, row_pixels = (int(v) for v in root["nb_layout"])
    width, height = image.size
    layout = BakeLayout(rows, int(root["nb_samples"]), float(root["nb_data_time_start"]),
                        float(root["nb_data_step"]), band_rows, row_pixels, width, height)
    pixels = np.empty(width * height * 4, dtype=np.float32)
    image.pixels.foreach_get(pixels)
    return unpack_values(pixels.reshape(height, width, 4), layout)


def range_from_data(root, percentiles: tuple[float, float] = (1.0, 99.9)) -> tuple[float, float]:
    """Set the colour range to percentiles of the baked values (works without the data file)."""
    lo, hi = value_range(baked_values(root), SpikeSettings(percentiles=tuple(percentiles)))
    root["nb_value_min"], root["nb_value_max"] = lo, hi
    return lo, hi


def fit_timeline(root, scene=None, end_time: float | None = None) -> tuple[int, int]:
    """Set the scene's frame range to cover the recording (from the start frame's time to
    ``end_time``, default the last sample) at the current timing; makes sure the scene has the
    playback clock (e.g. for a simulation appended from another file)."""
    scene = scene or bpy.context.scene
    playback_clock.ensure_clock(scene)
    t0 = float(root["nb_time_start"])
    t1 = float(root["nb_data_time_end"] if end_time is None else end_time)
    start, end = timebase.frame_range(t0, max(t1, t0), float(root["nb_frames_per_ms"]),
                                      int(round(root["nb_start_frame"])))
    scene.frame_start, scene.frame_end = start, max(end, start)
    return scene.frame_start, scene.frame_end


def frame_simulation(root, scene=None, **camera_options):
    """Point the scene camera at the simulation's cells (studio.frame_camera), leaving the
    overlays' bands free (``OVERLAY_RESERVE``, whether or not overlays are shown, so a shot
    looks the same with and without them), and bind the minimum on-screen width to it."""
    scene = scene or bpy.context.scene
    bpy.context.view_layer.update()
    lo, hi = world_bounds(cell_objects(root), what="cells in the simulation")
    camera_options.setdefault("reserve", OVERLAY_RESERVE)
    camera = studio.frame_camera(lo, hi, scene, **camera_options)
    tube_thickness.bind_camera(cell_objects(root), scene)
    spike_overlays.place_overlays(root, scene)
    return camera
