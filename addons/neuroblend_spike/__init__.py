"""NeuroBlend Spike: NEURON simulations glowing on their morphologies, baked into the scene.

File > Import > NeuroBlend Simulation (or drag a .pkl into the 3D viewport) builds one tube mesh
per cell and a material that reads the baked values from the frame number: playback needs no
Python per frame, survives reopening the file, and renders on machines without this add-on.
Sidebar tab "NeuroBlend" > Spike Playback changes colormap, range, glow, thickness and timing of
the selected simulation at any time (they are custom properties of its root Empty, wired to the
material and modifiers by drivers).

Operators are thin: the work is done by ``neuroblend.blender.spike.playback`` (bundled wheel).
Nothing of Blender's data is kept in Python between calls, so undo and file reloads are safe.
"""

from __future__ import annotations

import bpy
from bpy.props import BoolProperty, EnumProperty, FloatProperty, IntProperty, StringProperty
from bpy_extras.io_utils import ImportHelper

from neuroblend.blender.core.operator_utils import (
    addon_registration,
    poll_require,
    run_reported,
    select_only,
)
from neuroblend.blender.simulation.scene import import_simulation_file
from neuroblend.blender.spike import camera as spike_camera
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.blender.spike.settings_ui import import_property, panel_groups
from neuroblend.spike.playback_settings import SpikeLook

# Enum items must stay referenced while Blender shows them; plain strings only (undo-safe).
_colormap_items: list[tuple[str, str, str]] = []


def _colormaps(self, context):
    if not _colormap_items:
        from neuroblend.colormaps.luts import list_colormaps

        _colormap_items.extend((n, n, f"matplotlib's {n}") for n in list_colormaps())
    return _colormap_items


def _active_root(context):
    obj = context.active_object
    return spike_playback.find_root(obj) if obj is not None else None


def _poll_root(cls, context) -> bool:
    return poll_require(cls, _active_root(context) is not None,
                        "Select an imported simulation (its root Empty or a cell)")


class NEUROBLEND_OT_ImportSpike(bpy.types.Operator, ImportHelper):
    """Import a NeuroBlend simulation file: glowing neurons driven by the baked values"""

    bl_idname = "neuroblend.import_spike"
    bl_label = "Import NeuroBlend Simulation"
    bl_options = {"REGISTER", "UNDO"}

    filename_ext = ".pkl"
    filter_glob: StringProperty(default="*.pkl;*.pickle", options={"HIDDEN"})
    directory: StringProperty(subtype="DIR_PATH", options={"HIDDEN", "SKIP_SAVE"})
    colormap: EnumProperty(name="Colormap", items=_colormaps)
    soma: EnumProperty(name="Soma", default=SpikeLook.soma, items=(
        ("auto", "Auto", "The traced outline when the file has one, else a sphere"),
        ("sphere", "Sphere", "A sphere of equal area"),
        ("traced", "Traced", "Shaped from the traced soma outline")))
    tube_resolution: IntProperty(**import_property("tube_resolution", "Tube Resolution"))
    smoothing: IntProperty(**import_property("smoothing", "Smoothing"))
    radius_scale: FloatProperty(**import_property("radius_scale", "Radius Scale"))
    min_radius: FloatProperty(**import_property("min_radius", "Minimum Radius (um)"))
    fit_timeline: BoolProperty(name="Fit Timeline", default=True,
                               description="Set the frame range to the recording")
    frame_camera: BoolProperty(name="Frame Camera", default=True,
                               description="Point the scene camera at the cells")
    time_label: BoolProperty(name="Time Label", default=True, description="Show '12.5 ms'")
    colorbar: BoolProperty(name="Colorbar", default=False)
    level_of_detail: EnumProperty(
        name="Level of Detail", description="How networks draw their cells",
        items=(("auto", "Automatic", "Full up to 150 cells, simplified up to 400, then somata"),
               ("full", "Full", "Every section's traced shape"),
               ("simplified", "Simplified", "Straight sections, fewer sides"),
               ("soma", "Soma Only", "One sphere per cell")))

    def invoke(self, context, event):
        if self.filepath and not self.filepath.endswith(("/", "\\")):  # drag and drop
            return self.execute(context)
        if not self.properties.is_property_set("colormap"):
            self.colormap = "plasma"
        return ImportHelper.invoke(self, context, event)

    def execute(self, context):
        wm = context.window_manager
        wm.progress_begin(0, 100)

        def progress(done: int, total: int, detail: str) -> None:
            wm.progress_update(int(100 * done / max(total, 1)))

        def import_simulation():
            try:
                root = import_simulation_file(
                    self.filepath, scene=context.scene, level=self.level_of_detail,
                    settings=SpikeLook(colormap=self.colormap, radius_scale=self.radius_scale,
                                       min_radius=self.min_radius, soma=self.soma,
                                       tube_resolution=self.tube_resolution,
                                       smoothing=self.smoothing),
                    time_label=self.time_label, colorbar=self.colorbar, progress=progress)
                if self.fit_timeline:
                    spike_playback.fit_timeline(root, context.scene)
                if self.frame_camera:
                    spike_playback.frame_simulation(root, context.scene)
            finally:
                wm.progress_end()
            return root

        def imported(root) -> str:
            select_only(context, root)
            return f"Imported {root.name}"

        return run_reported(self, import_simulation, success=imported)


class NEUROBLEND_FH_SpikeSimulation(bpy.types.FileHandler):
    bl_idname = "NEUROBLEND_FH_spike_simulation"
    bl_label = "NeuroBlend Simulation"
    bl_import_operator = "neuroblend.import_spike"
    bl_file_extensions = ".pkl;.pickle"

    @classmethod
    def poll_drop(cls, context):
        return context.area is not None and context.area.type == "VIEW_3D"


class NEUROBLEND_OT_FitTimeline(bpy.types.Operator):
    """Set the scene's frame range to the whole recording at the current timing"""

    bl_idname = "neuroblend.fit_timeline"
    bl_label = "Fit Timeline to Simulation"
    bl_options = {"REGISTER", "UNDO"}

    poll = classmethod(_poll_root)

    def execute(self, context):
        start, end = spike_playback.fit_timeline(_active_root(context), context.scene)
        self.report({"INFO"}, f"Frames {start}-{end}")
        return {"FINISHED"}


class NEUROBLEND_OT_FrameSimulation(bpy.types.Operator):
    """Point the scene camera at the selected simulation's cells"""

    bl_idname = "neuroblend.frame_simulation"
    bl_label = "Frame Camera"
    bl_options = {"REGISTER", "UNDO"}

    poll = classmethod(_poll_root)

    def execute(self, context):
        return run_reported(self, spike_playback.frame_simulation, _active_root(context),
                            context.scene)


class NEUROBLEND_OT_CameraPreset(bpy.types.Operator):
    """Set up the scene camera for a shot of the selected simulation over the frame range"""

    bl_idname = "neuroblend.camera_preset"
    bl_label = "Camera Preset"
    bl_options = {"REGISTER", "UNDO"}

    preset: EnumProperty(name="Shot", items=(
        ("whole", "Whole", "The whole cell, clear of the overlays"),
        ("soma", "Soma", "A close-up of the soma and its trunks"),
        ("dolly", "Dolly", "From the whole cell in to the soma, arriving as the spike starts"),
        ("orbit", "Orbit", "Turn once around the cells over the frame range")))

    poll = classmethod(_poll_root)

    def execute(self, context):
        return run_reported(self, spike_camera.apply_camera_preset, _active_root(context),
                            context.scene, self.preset,
                            success=lambda _camera: f"Camera: {self.preset}")


class NEUROBLEND_OT_SetColormap(bpy.types.Operator):
    """Colour the selected simulation with another matplotlib colormap"""

    bl_idname = "neuroblend.set_colormap"
    bl_label = "Set Colormap"
    bl_options = {"REGISTER", "UNDO"}
    bl_property = "colormap"

    colormap: EnumProperty(name="Colormap", items=_colormaps)

    poll = classmethod(_poll_root)

    def invoke(self, context, event):
        context.window_manager.invoke_search_popup(self)
        return {"RUNNING_MODAL"}

    def execute(self, context):
        return run_reported(self, spike_playback.set_colormap, _active_root(context),
                            self.colormap)


class NEUROBLEND_OT_RangeFromData(bpy.types.Operator):
    """Set the colour range to percentiles of the simulation's values (baked in the file)"""

    bl_idname = "neuroblend.range_from_data"
    bl_label = "Range from Data"
    bl_options = {"REGISTER", "UNDO"}

    low: FloatProperty(name="Low Percentile", default=1.0, min=0.0, max=100.0)
    high: FloatProperty(name="High Percentile", default=99.9, min=0.0, max=100.0)

    poll = classmethod(_poll_root)

    def execute(self, context):
        return run_reported(self, spike_playback.range_from_data, _active_root(context),
                            (self.low, self.high),
                            success=lambda lohi: f"Range {lohi[0]:.4g} .. {lohi[1]:.4g}")


class NEUROBLEND_PT_SpikePlayback(bpy.types.Panel):
    bl_label = "Spike Playback"
    bl_idname = "NEUROBLEND_PT_spike_playback"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "NeuroBlend"

    def draw(self, context):
        layout = self.layout
        layout.operator(NEUROBLEND_OT_ImportSpike.bl_idname, icon="IMPORT")
        root = _active_root(context)
        if root is None:
            layout.label(text="Select a simulation to edit it", icon="INFO")
            return
        layout.label(text=root.name, icon="EMPTY_AXIS")
        row = layout.row(align=True)
        row.label(text=f"Colormap: {root.get('nb_colormap', '?')}")
        row.operator(NEUROBLEND_OT_SetColormap.bl_idname, text="", icon="COLOR")
        for title, props in panel_groups():
            box = layout.box()
            box.label(text=title)
            col = box.column(align=True)
            for key, label in props:
                col.prop(root, f'["{key}"]', text=label)
            if title == "Colour range":
                col.operator(NEUROBLEND_OT_RangeFromData.bl_idname, icon="SORTSIZE")
        data = layout.box().column(align=True)
        data.label(text=f"{root.get('nb_variable', '')} recorded "
                        f"{root.get('nb_data_time_start', 0):g}-{root.get('nb_data_time_end', 0):g}"
                        f" ms, {root.get('nb_samples', 0)} samples")
        row = layout.row(align=True)
        row.operator(NEUROBLEND_OT_FitTimeline.bl_idname, icon="TIME")
        row.operator(NEUROBLEND_OT_FrameSimulation.bl_idname, icon="CAMERA_DATA")
        shots = layout.row(align=True)
        shots.label(text="Shot")
        for preset in spike_camera.PRESETS:
            shots.operator(NEUROBLEND_OT_CameraPreset.bl_idname,
                           text=preset.title()).preset = preset


def _menu_import(self, context):
    self.layout.operator(NEUROBLEND_OT_ImportSpike.bl_idname,
                         text="NeuroBlend Simulation (.pkl)")


classes = (
    NEUROBLEND_OT_ImportSpike,
    NEUROBLEND_FH_SpikeSimulation,
    NEUROBLEND_OT_FitTimeline,
    NEUROBLEND_OT_FrameSimulation,
    NEUROBLEND_OT_CameraPreset,
    NEUROBLEND_OT_SetColormap,
    NEUROBLEND_OT_RangeFromData,
    NEUROBLEND_PT_SpikePlayback,
)

register, unregister = addon_registration(
    classes, menus=[(bpy.types.TOPBAR_MT_file_import, _menu_import)])
