"""NeuroBlend Surface: import a heightmap (NeuroBlend file, array or image) as a 3-D surface cut
by a slicing plane, with its controls, in the 3D viewport's sidebar tab "NeuroBlend".

The operators and property updates are thin: the work is done by ``neuroblend.blender.surface.slicer``
and ``neuroblend.blender.surface.mesh`` (bundled wheel).
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
    fill_settings,
    poll_require,
    run_reported,
    select_only,
    settings_updater,
)
from neuroblend.blender.surface import slicer
from neuroblend.errors import NeuroBlendError


def _is_sliced(obj) -> bool:
    return obj is not None and "nb_slicer" in obj


def _updater(apply):
    return settings_updater(apply, "NeuroBlend Surface")


class NeuroBlendSlicerSettings(bpy.types.PropertyGroup):
    """Slicer controls of one heightmap surface (stored on the surface object)."""

    axis: EnumProperty(
        name="Axis", description="World axis the slicing plane cuts across",
        items=(("X", "X", "Cut across X"), ("Y", "Y", "Cut across Y"),
               ("Z", "Z", "Cut across height")),
        update=_updater(lambda o, s: slicer.set_slice_axis(o, s.axis)))
    position: FloatProperty(
        name="Position", description="Plane position as a fraction of the surface's extent",
        default=0.5, soft_min=-0.1, soft_max=1.1, subtype="FACTOR",
        update=_updater(lambda o, s: slicer.set_slice_position(o, s.position)))
    flip: BoolProperty(
        name="Flip Sides", description="Swap the solid and the wireframe side",
        update=_updater(lambda o, s: slicer.set_band(o, flip=s.flip)))
    band_width: FloatProperty(
        name="Band Width", description="Width of the glowing band at the cut (scene units)",
        default=0.02, min=0.0, soft_max=0.5, subtype="DISTANCE",
        update=_updater(lambda o, s: slicer.set_band(o, width=s.band_width)))
    band_color: FloatVectorProperty(
        name="Band Color", subtype="COLOR", size=3, min=0.0, max=1.0,
        default=(0.15, 0.7, 1.0),
        update=_updater(lambda o, s: slicer.set_band(o, color=s.band_color)))
    band_strength: FloatProperty(
        name="Band Glow", description="Emission strength of the band", default=3.0, min=0.0,
        soft_max=50.0, update=_updater(lambda o, s: slicer.set_band(o, strength=s.band_strength)))
    wireframe: BoolProperty(
        name="Wireframe", description="Show the wireframe where the surface is cut away",
        default=True, update=_updater(lambda o, s: slicer.set_wireframe(o, s.wireframe)))
    height_scale: FloatProperty(
        name="Height Scale", description="Multiply the heights (stored values stay exact)",
        default=1.0, soft_min=0.0, soft_max=1000.0,
        update=_updater(lambda o, s: slicer.set_relief(o, s.height_scale)))
    colormap: StringProperty(
        name="Colormap", description="matplotlib colormap name", default="viridis",
        search=colormap_search,
        update=_updater(lambda o, s: slicer.set_colormap(o, s.colormap)))
    color_by: EnumProperty(
        name="Color By", description="What the colormap shows",
        items=(("height", "Height", "The raw value"), ("x", "X", "Position along x"),
               ("y", "Y", "Position along y")),
        update=_updater(lambda o, s: slicer.set_colormap(o, s.colormap, color_by=s.color_by)))


def sync_settings(obj) -> None:
    """Fill the object's panel properties from its actual slicer state (without side effects)."""
    fill_settings(obj.neuroblend_slicer, slicer.slicer_settings(obj))


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
            sync_settings(obj)
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
