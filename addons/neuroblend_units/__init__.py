"""NeuroBlend Units: import recorded units (a units file from ``neuroblend import nwb``) as
spheres flashing on their spikes, optionally inside atlas regions, with brightness and timing
controls in the 3D viewport's sidebar tab "NeuroBlend".

The operator is thin: the work is done by ``neuroblend.blender.units.units_scene`` (bundled
wheel). NWB files themselves are read by the command line (pynwb is not bundled).
"""

# No `from __future__ import annotations`: Blender evaluates the property annotations itself.

from pathlib import Path

import bpy
from bpy.props import BoolProperty, EnumProperty, FloatProperty, StringProperty
from bpy_extras.io_utils import ImportHelper

from neuroblend.blender.core.operator_utils import (
    addon_registration,
    poll_require,
    run_reported,
    select_only,
)
from neuroblend.blender.units import units_scene
from neuroblend.nwb.render_options import COLOR_BY, UnitsRenderOptions

D = UnitsRenderOptions
ROOT_PROPS = (("nb_start_frame", "Start Frame"), ("nb_frames_per_ms", "Frames per ms"),
              ("nb_time_start", "Time at Start (ms)"), ("nb_unit_brightness", "Brightness"),
              ("nb_unit_glow", "Spike Glow"), ("nb_region_glow", "Region Glow"))


def find_root(obj):
    """The units root Empty of ``obj`` (itself or an ancestor), else None."""
    while obj is not None and not obj.get(units_scene.ROOT_MARKER):
        obj = obj.parent
    return obj


class NEUROBLEND_OT_ImportUnits(bpy.types.Operator, ImportHelper):
    """Import recorded units (.pkl from `neuroblend import nwb`) flashing on their spikes"""

    bl_idname = "neuroblend.import_units"
    bl_label = "Import Recorded Units"
    bl_options = {"REGISTER", "UNDO"}

    filter_glob: StringProperty(default="*.pkl", options={"HIDDEN"})
    atlas_file: StringProperty(name="Atlas File", subtype="FILE_PATH",
                               description="Atlas regions (.pkl from `neuroblend atlas export`) "
                               "of the atlas the units were placed in (optional)")
    color_by: EnumProperty(name="Colour By", default=D.color_by,
                           items=[(c, c.title(), f"Colour units by {c}") for c in COLOR_BY])
    region_activity: BoolProperty(name="Region Activity", default=False,
                                  description="Regions named by the units glow by their rate")
    probes: BoolProperty(name="Probe Shanks", default=D.probes)
    unit_radius: FloatProperty(name="Unit Radius (mm)", default=D.unit_radius, min=0.001)
    frames_per_ms: FloatProperty(name="Frames per ms", default=0.0, min=0.0,
                                 description="Frames per ms of recording (0: real time)")

    @classmethod
    def poll(cls, context):
        return poll_require(cls, context.scene is not None, "No scene to import into")

    def execute(self, context):
        scene = context.scene
        options = UnitsRenderOptions(
            input=Path(self.filepath), out=Path("."),
            atlas_file=Path(bpy.path.abspath(self.atlas_file)) if self.atlas_file else None,
            color_by=self.color_by, region_activity=self.region_activity, probes=self.probes,
            unit_radius=self.unit_radius, frames_per_ms=self.frames_per_ms or None,
            fps=scene.render.fps, start_frame=scene.frame_start)

        def imported(result) -> str:
            built, plan = result
            scene.frame_end = scene.frame_start + plan.frames - 1
            units_scene.frame_units(built, scene)
            select_only(context, built.root)
            return (f"Imported {built.root.name}: {len(plan.positions)} units, "
                    f"{plan.frames} frames")

        return run_reported(self, units_scene.import_units_file, options, scene,
                            success=imported)


class NEUROBLEND_PT_units(bpy.types.Panel):
    bl_label = "Recorded Units"
    bl_idname = "NEUROBLEND_PT_units"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "NeuroBlend"

    def draw(self, context):
        layout = self.layout
        layout.operator(NEUROBLEND_OT_ImportUnits.bl_idname, icon="IMPORT")
        root = find_root(context.active_object)
        if root is None:
            layout.label(text="Select imported units for their controls", icon="INFO")
            return
        layout.use_property_split = True
        col = layout.column()
        for key, label in ROOT_PROPS:
            col.prop(root, f'["{key}"]', text=label)


def _menu_import(self, context):
    self.layout.operator(NEUROBLEND_OT_ImportUnits.bl_idname,
                         text="NeuroBlend Recorded Units (.pkl)")


classes = (
    NEUROBLEND_OT_ImportUnits,
    NEUROBLEND_PT_units,
)

register, unregister = addon_registration(
    classes, menus=[(bpy.types.TOPBAR_MT_file_import, _menu_import)])
