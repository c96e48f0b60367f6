"""NeuroBlend Studio: the studio look (black world, Standard colours, Cycles CPU, bloom) and
camera framing, from the 3D viewport's sidebar tab "NeuroBlend".

The operators are thin: the work is done by ``neuroblend.blender.studio`` (bundled wheel).
"""

from __future__ import annotations

import bpy
import numpy as np
from bpy.props import BoolProperty, EnumProperty, FloatProperty, IntProperty, PointerProperty

from neuroblend.blender import studio
from neuroblend.errors import NeuroBlendError

# Object types without a geometric extent of their own: left out of the framed bounds.
_NOT_FRAMED = {"CAMERA", "LIGHT", "LIGHT_PROBE", "SPEAKER"}


class NeuroBlendStudioSettings(bpy.types.PropertyGroup):
    """What "Set up studio scene" applies to the scene."""

    engine: EnumProperty(
        name="Engine",
        items=(
            ("cycles", "Cycles", "Path tracing on the CPU (works everywhere, headless too)"),
            ("eevee", "EEVEE", "Real-time engine (needs a GPU for speed)"),
            ("workbench", "Workbench", "Fast preview shading"),
        ),
        default="cycles",
    )
    samples: IntProperty(name="Samples", description="Render samples per pixel",
                         default=32, min=1, soft_max=1024)
    denoise: BoolProperty(name="Denoise", description="Denoise Cycles renders", default=True)
    bloom: BoolProperty(name="Bloom", description="Glow around bright parts (compositor)",
                        default=True)
    bloom_strength: FloatProperty(name="Bloom Strength", default=0.6, min=0.0, max=1.0)


def selection_bounds(objects, depsgraph):
    """World-space (min, max) corners of the evaluated bounding boxes of ``objects``, or None."""
    corners = []
    for obj in objects:
        if obj.type in _NOT_FRAMED:
            continue
        evaluated = obj.evaluated_get(depsgraph)
        local = np.array([tuple(c) for c in evaluated.bound_box], dtype=np.float64)
        matrix = np.array(evaluated.matrix_world, dtype=np.float64)
        corners.append(local @ matrix[:3, :3].T + matrix[:3, 3])
    if not corners:
        return None
    stacked = np.concatenate(corners)
    return stacked.min(axis=0), stacked.max(axis=0)


class NEUROBLEND_OT_SetupStudio(bpy.types.Operator):
    """Black world, Standard view transform, Cycles on the CPU and compositor bloom"""

    bl_idname = "neuroblend.setup_studio"
    bl_label = "Set up studio scene"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        if context.scene is None:
            cls.poll_message_set("No scene to set up")
            return False
        return True

    def execute(self, context):
        scene = context.scene
        settings = scene.neuroblend_studio
        try:
            studio.setup_studio_scene(
                scene, engine=settings.engine,
                resolution=(scene.render.resolution_x, scene.render.resolution_y),
                samples=settings.samples, denoise=settings.denoise, bloom=settings.bloom,
                bloom_strength=settings.bloom_strength, fps=scene.render.fps,
            )
        except (NeuroBlendError, ValueError) as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        self.report({"INFO"}, f"Studio scene: {settings.engine}, {settings.samples} samples, "
                              f"bloom {'on' if settings.bloom else 'off'}")
        return {"FINISHED"}


class NEUROBLEND_OT_FrameCamera(bpy.types.Operator):
    """Point the scene camera (created if missing) so all selected objects are in view"""

    bl_idname = "neuroblend.frame_camera"
    bl_label = "Frame camera on selection"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        if not any(o.type not in _NOT_FRAMED for o in context.selected_objects):
            cls.poll_message_set("Select the objects to frame (cameras and lights do not count)")
            return False
        return True

    def execute(self, context):
        bounds = selection_bounds(context.selected_objects, context.evaluated_depsgraph_get())
        if bounds is None:
            self.report({"ERROR"}, "Nothing to frame: select objects with geometry")
            return {"CANCELLED"}
        try:
            camera = studio.frame_camera(*bounds, scene=context.scene)
        except (NeuroBlendError, ValueError) as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        count = len(context.selected_objects)
        self.report({"INFO"}, f"{camera.name} framed on {count} object{'s' * (count != 1)}")
        return {"FINISHED"}


class NEUROBLEND_PT_studio(bpy.types.Panel):
    bl_label = "Studio"
    bl_idname = "NEUROBLEND_PT_studio"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "NeuroBlend"

    def draw(self, context):
        layout = self.layout
        settings = context.scene.neuroblend_studio
        layout.use_property_split = True
        layout.prop(settings, "engine")
        layout.prop(settings, "samples")
        if settings.engine == "cycles":
            layout.prop(settings, "denoise")
        layout.prop(settings, "bloom")
        row = layout.row()
        row.active = settings.bloom
        row.prop(settings, "bloom_strength", text="Strength")
        layout.operator(NEUROBLEND_OT_SetupStudio.bl_idname, icon="WORLD")
        layout.operator(NEUROBLEND_OT_FrameCamera.bl_idname, icon="VIEW_CAMERA")


classes = (
    NeuroBlendStudioSettings,
    NEUROBLEND_OT_SetupStudio,
    NEUROBLEND_OT_FrameCamera,
    NEUROBLEND_PT_studio,
)


def register():
    for cls in classes:
        bpy.utils.register_class(cls)
    bpy.types.Scene.neuroblend_studio = PointerProperty(type=NeuroBlendStudioSettings)


def unregister():
    del bpy.types.Scene.neuroblend_studio
    for cls in reversed(classes):
        bpy.utils.unregister_class(cls)
