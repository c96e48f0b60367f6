"""NeuroBlend Surface: import a heightmap (NeuroBlend file, array or image) as a 3-D surface cut
by a slicing plane, with its controls, in the 3D viewport's sidebar tab "NeuroBlend".

The settings live in one place, the surface itself (slicer Empty, materials, modifier, ``nb_*``
properties): the panel's properties get and set that state (no copy to keep in sync). The work is
done by ``neuroblend.blender.surface.slicer`` and ``.mesh`` (bundled wheel).
"""

# No `from __future__ import annotations`: Blender evaluates the property annotations itself, and
# the update lambdas must see this module's globals.

import bpy
from bpy.props import (
    BoolProperty,
    EnumProperty,
    FloatProperty,
    FloatVectorProperty,
    StringProperty,
)
from bpy_extras.io_utils import ImportHelper

from neuroblend.blender.core.operator_utils import (
    addon_registration,
    colormap_search,
    live_property,
    poll_require,
    run_reported,
    select_only,
)
from neuroblend.blender.surface import slicer
from neuroblend.errors import NeuroBlendError


def _is_sliced(obj) -> bool:
    return obj is not None and "nb_slicer" in obj


AXES = (("X", "X", "Cut across X"), ("Y", "Y", "Cut across Y"), ("Z", "Z", "Cut across height"))
COLOR_BY = (("height", "Height", "The raw value"), ("x", "X", "Position along x"),
            ("y", "Y", "Position along y"))


def _live(key: str, apply, items=None) -> dict:
    return live_property(slicer.slicer_settings, key, apply, "NeuroBlend Surface", items)


class NeuroBlendSlicerSettings(bpy.types.PropertyGroup):
    """Slicer controls of one heightmap surface: views of the surface's own state."""

    axis: EnumProperty(
        name="Axis", description="World axis the slicing plane cuts across", items=AXES,
        **_live("axis", slicer.set_slice_axis, AXES))
    position: FloatProperty(
        name="Position", description="Plane position as a fraction of the surface's extent",
        soft_min=-0.1, soft_max=1.1, subtype="FACTOR",
        **_live("position", slicer.set_slice_position))
    flip: BoolProperty(
        name="Flip Sides", description="Swap the solid and the wireframe side",
        **_live("flip", lambda o, v: slicer.set_band(o, flip=v)))
    band_width: FloatProperty(
        name="Band Width", description="Width of the glowing band at the cut (scene units)",
        min=0.0, soft_max=0.5, subtype="DISTANCE",
        **_live("band_width", lambda o, v: slicer.set_band(o, width=v)))
    band_color: FloatVectorProperty(
        name="Band Color", subtype="COLOR", size=3, min=0.0, max=1.0,
        **_live("band_color", lambda o, v: slicer.set_band(o, color=v)))
    band_strength: FloatProperty(
        name="Band Glow", description="Emission strength of the band", min=0.0, soft_max=50.0,
        **_live("band_strength", lambda o, v: slicer.set_band(o, strength=v)))
    wireframe: BoolProperty(
        name="Wireframe", description="Show the wireframe where the surface is cut away",
        **_live("wireframe", slicer.set_wireframe))
    height_scale: FloatProperty(
        name="Height Scale", description="Multiply the heights (stored values stay exact)",
        soft_min=0.0, soft_max=1000.0, **_live("height_scale", slicer.set_relief))
    colormap: StringProperty(
        name="Colormap", description="matplotlib colormap name", search=colormap_search,
        **_live("colormap", slicer.set_colormap))
    color_by: EnumProperty(
        name="Color By", description="What the colormap shows", items=COLOR_BY,
        **_live("color_by", lambda o, v: slicer.set_colormap(o, o["nb_colormap"], color_by=v),
                COLOR_BY))


class NEUROBLEND_OT_ImportHeightmap(bpy.types.Operator, ImportHelper):
    """Import a heightmap (.pkl, .npy, .npz, .csv, .png, .tif) as a sliced 3-D surface"""

    bl_idname = "neuroblend.import_heightmap"
    bl_label = "Import Heightmap"
    bl_options = {"REGISTER", "UNDO"}

    filter_glob: StringProperty(default="*.pkl;*.npy;*.npz;*.csv;*.txt;*.png;*.tif;*.tiff",
                                options={"HIDDEN"})
    key: StringProperty(name="Array Key", description="Array to use from an .npz holding several")
    mode: EnumProperty(
        name="Mode", items=(("mesh", "Exact Mesh", "Heights stored in the vertices"),
                            ("displace", "Displace", "Flat grid + Displace modifier, float image")))
    colormap: StringProperty(name="Colormap", default="viridis", search=colormap_search)
    frames_per_step: FloatProperty(name="Frames per Step", default=1.0, min=0.01,
                                   description="Scene frames per frame of an animated heightmap")

    @classmethod
    def poll(cls, context):
        return poll_require(cls, context.scene is not None, "No scene to import into")

    def execute(self, context):
        def imported(result) -> str:
            obj, notes = result
            for note in notes:
                self.report({"WARNING"}, note)
            select_only(context, obj)
            ny, nx = obj.data["nb_grid"]
            return f"Imported {obj.name}: {ny} x {nx} grid, {obj.data['nb_frames']} frame(s)"

        return run_reported(
            self, slicer.import_heightmap, self.filepath, key=self.key or None, mode=self.mode,
            colormap=self.colormap, frames_per_step=self.frames_per_step,
            frame_start=context.scene.frame_start, success=imported)


class _SurfaceOperator:
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return (poll_require(cls, _is_sliced(context.active_object),
                             "Select a heightmap surface imported with NeuroBlend")
                and poll_require(cls, context.scene.frame_end > context.scene.frame_start,
                                 "The scene's frame range must be longer than one frame"))


class NEUROBLEND_OT_AnimateSlice(_SurfaceOperator, bpy.types.Operator):
    """Sweep the slicing plane across the surface over the scene's frame range"""

    bl_idname = "neuroblend.animate_slice"
    bl_label = "Animate Slice"

    start: FloatProperty(name="From", default=-0.02, soft_min=-0.2, soft_max=1.2,
                         description="Plane position at the first frame (fraction of extent)")
    end: FloatProperty(name="To", default=1.02, soft_min=-0.2, soft_max=1.2,
                       description="Plane position at the last frame (fraction of extent)")

    def execute(self, context):
        scene = context.scene
        return run_reported(
            self, slicer.animate_slice, context.active_object, scene.frame_start, scene.frame_end,
            start=self.start, end=self.end,
            success=f"Slice sweeps frames {scene.frame_start}-{scene.frame_end}")


class NEUROBLEND_OT_OrbitCamera(_SurfaceOperator, bpy.types.Operator):
    """Circle the camera once around the surface over the scene's frame range"""

    bl_idname = "neuroblend.orbit_camera"
    bl_label = "Orbit Camera"

    def execute(self, context):
        scene = context.scene
        return run_reported(
            self, slicer.orbit_camera, context.active_object, scene.frame_start, scene.frame_end,
            scene=scene, errors=(NeuroBlendError, ValueError),
            success=f"Camera orbits over frames {scene.frame_start}-{scene.frame_end}")


class NEUROBLEND_PT_surface(bpy.types.Panel):
    bl_label = "Heightmap Surface"
    bl_idname = "NEUROBLEND_PT_surface"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "NeuroBlend"

    def draw(self, context):
        layout = self.layout
        layout.operator(NEUROBLEND_OT_ImportHeightmap.bl_idname, icon="IMPORT")
        obj = context.active_object
        if not _is_sliced(obj):
            layout.label(text="Select an imported surface for its controls", icon="INFO")
            return
        try:
            slicer.slicer_parts(obj)
        except NeuroBlendError as exc:
            layout.label(text=str(exc)[:80], icon="ERROR")
            return
        settings = obj.neuroblend_slicer
        layout.use_property_split = True
        col = layout.column(heading="Slicer")
        col.prop(settings, "axis", expand=True)
        col.prop(settings, "position")
        col.prop(settings, "flip")
        col = layout.column(heading="Band")
        col.prop(settings, "band_width")
        col.prop(settings, "band_color")
        col.prop(settings, "band_strength")
        col = layout.column(heading="Look")
        col.prop(settings, "wireframe")
        col.prop(settings, "height_scale")
        col.prop(settings, "colormap")
        col.prop(settings, "color_by")
        row = layout.row(align=True)
        row.operator(NEUROBLEND_OT_AnimateSlice.bl_idname, icon="ANIM")
        row.operator(NEUROBLEND_OT_OrbitCamera.bl_idname, icon="CON_FOLLOWPATH")


def _menu_import(self, context):
    self.layout.operator(NEUROBLEND_OT_ImportHeightmap.bl_idname,
                         text="NeuroBlend Heightmap (.pkl/.npy/.png/.tif)")


classes = (
    NeuroBlendSlicerSettings,
    NEUROBLEND_OT_ImportHeightmap,
    NEUROBLEND_OT_AnimateSlice,
    NEUROBLEND_OT_OrbitCamera,
    NEUROBLEND_PT_surface,
)

register, unregister = addon_registration(
    classes, properties=[(bpy.types.Object, "neuroblend_slicer", NeuroBlendSlicerSettings)],
    menus=[(bpy.types.TOPBAR_MT_file_import, _menu_import)])
