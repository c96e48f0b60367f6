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
from pathlib import Path

import bpy
import numpy as np

from neuroblend import clock
from neuroblend.blender.core import compat, playback_clock, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.core.root_properties import set_root_properties
from neuroblend.blender.spike import neuron_mesh, tube_thickness
from neuroblend.blender.spike import overlays as spike_overlays
from neuroblend.blender.spike.material import (
    COLORMAP_NODE,
    build_material,
    drive_from_root,
    set_colormap_node,
)
from neuroblend.blender.spike.settings_ui import MATERIAL_SETTINGS, SETTINGS, THICKNESS_INPUTS
from neuroblend.errors import NeuroBlendError
from neuroblend.settings_table import root_values
from neuroblend.spike.bake_layout import (
    BakeLayout,
    pack_values,
    plan_layout,
    uniform_samples,
    unpack_values,
)
from neuroblend.spike.playback_settings import PERCENTILES, SpikeLook
from neuroblend.spike.tube_geometry import TubeOptions

OVERLAY_RESERVE = spike_overlays.OVERLAY_RESERVE
ROOT_MARKER = "nb_spike"


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

def value_range(values, lo: float | None = None, hi: float | None = None,
                percentiles: tuple[float, float] = PERCENTILES) -> tuple[float, float]:
    """Colormap range: ``lo``/``hi`` as given, else ``percentiles`` of the finite values."""
    finite = np.asarray(values)[np.isfinite(values)] if lo is None or hi is None else None
    if finite is not None and finite.size:
        plo, phi = np.percentile(finite, percentiles)
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
                      tube: TubeOptions | None = None, settings: SpikeLook | None = None,
                      time_label: bool = False, colorbar: bool = False,
                      progress: Callable[[int, int, str], None] | None = None,
                      build_cells: Callable | None = None):
    """Build the playback scene of a simulation file or document; returns the root Empty.

    Creates a collection with a root Empty (the settings: ``settings``' table rows), one tube
    mesh per cell (``tube``, default ``settings.tube()``) parented to it, the baked data image and
    the playback material. ``build_cells`` (default
    ``neuron_mesh.build_cell_objects``, same signature) makes the cell objects, e.g. at a
    network's level of detail.
    """
    doc = load_simulation(source) if isinstance(source, (str, Path)) else source
    scene = scene or bpy.context.scene
    settings = settings or SpikeLook()
    tube = tube or settings.tube()
    name = name or (Path(source).stem if isinstance(source, (str, Path)) else "Simulation")
    tube, settings = _checked(tube, settings)
    playback_clock.ensure_clock(scene)
    collection = bpy.data.collections.new(f"NB Spike {name}")
    scene.collection.children.link(collection)
    root = bpy.data.objects.new(f"NB Spike {name}", None)
    root.empty_display_type = "PLAIN_AXES"
    root.rotation_euler = (math.pi / 2, 0.0, 0.0)  # morphology +Y (apical, towards pia) up
    collection.objects.link(root)
    image, layout = bake_values(f"NB Spike Data {name}", doc["time"], doc["values"])
    _init_root(root, doc, layout, settings, tube)
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
        for key, socket in THICKNESS_INPUTS.items():
            drive_from_root(obj, compat.modifier_input_path(mod, socket), root, key)
    if time_label:
        spike_overlays.add_time_label(root, scene)
    if colorbar:
        spike_overlays.add_colorbar(root, scene)
    return root


def _checked(tube: TubeOptions, settings: SpikeLook) -> tuple[TubeOptions, SpikeLook]:
    """The options checked (a clear error naming the bad one), the colormap name resolved."""
    from neuroblend.colormaps import luts as colormaps

    try:
        tube = tube.check()
    except ValueError as exc:
        raise NeuroBlendError(str(exc)) from None
    settings = SpikeLook(**{f: getattr(settings, f) for f in SpikeLook.__dataclass_fields__})
    settings.colormap = colormaps.resolve_name(settings.colormap)
    if settings.colormap_mode not in ("exact", "ramp"):
        raise NeuroBlendError(f"colormap mode {settings.colormap_mode!r}: use 'exact' or 'ramp'")
    return tube, settings


def _init_root(root, doc, layout: BakeLayout, settings: SpikeLook, tube: TubeOptions):
    """The root's settings: the table's rows, the colour range and rate resolved from the data,
    the tube's own values and the clock's start time."""
    root[ROOT_MARKER] = 1
    lo, hi = value_range(doc["values"], settings.vmin, settings.vmax)
    fpms = settings.frames_per_ms or (1.0 / layout.step if layout.samples > 1 else 1.0)
    values = {**root_values(SpikeLook, settings),
              "nb_value_min": lo, "nb_value_max": hi,
              clock.FRAMES_PER_MS: clock.check_frames_per_ms(fpms),
              clock.TIME_START: float(layout.time0),
              **{key: float(getattr(tube, key[3:])) for key in THICKNESS_INPUTS}}
    set_root_properties(root, values, SETTINGS)
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


def range_from_data(root, percentiles: tuple[float, float] = PERCENTILES) -> tuple[float, float]:
    """Set the colour range to percentiles of the baked values (works without the data file)."""
    lo, hi = value_range(baked_values(root), percentiles=tuple(percentiles))
    root["nb_value_min"], root["nb_value_max"] = lo, hi
    return lo, hi


def fit_timeline(root, scene=None, end_time: float | None = None) -> tuple[int, int]:
    """Set the scene's frame range to cover the recording (from the start frame's time to
    ``end_time``, default the last sample) at the current timing; makes sure the scene has the
    playback clock (e.g. for a simulation appended from another file)."""
    scene = scene or bpy.context.scene
    playback_clock.ensure_clock(scene)
    rate, first, t0 = clock.root_clock(root)
    t1 = float(root["nb_data_time_end"] if end_time is None else end_time)
    start, end = clock.frame_range(t0, max(t1, t0), rate, int(round(first)))
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
