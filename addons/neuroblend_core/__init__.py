"""NeuroBlend Studio: the studio look (black world, Standard colours, Cycles on the best device
found, bloom) and camera framing, from the 3D viewport's sidebar tab "NeuroBlend".

The operators are thin: the work is done by ``neuroblend.blender.core.studio`` (bundled wheel).
"""

from __future__ import annotations

import bpy
import numpy as np
from bpy.props import BoolProperty, EnumProperty, FloatProperty, IntProperty

from neuroblend.blender.core import devices, studio
from neuroblend.blender.core.operator_utils import addon_registration, poll_require, run_reported
from neuroblend.errors import NeuroBlendError
from neuroblend.render_device import DEVICES

# Object types without a geometric extent of their own: left out of the framed bounds.
_NOT_FRAMED = {"CAMERA", "LIGHT", "LIGHT_PROBE", "SPEAKER"}
# The studio functions also refuse bad settings with ValueError.
_REPORTED_ERRORS = (NeuroBlendError, ValueError)


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
    device: EnumProperty(
        name="Device",
        description="Where Cycles renders: Auto takes the best GPU Cycles finds, else the CPU",
        items=[(d, d.upper() if len(d) > 4 else d.title(), "") for d in DEVICES],
        default="auto",
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
    """Black world, Standard view transform, Cycles on the chosen device and compositor bloom"""

    bl_idname = "neuroblend.setup_studio"
    bl_label = "Set up studio scene"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return poll_require(cls, context.scene is not None, "No scene to set up")

    def execute(self, context):
        settings = context.scene.neuroblend_studio

        def done(choice) -> str:
            return (f"Studio scene: {settings.engine}, {settings.samples} samples, "
                    f"bloom {'on' if settings.bloom else 'off'}; {choice.describe()}")

        return run_reported(self, _set_up_studio, context.scene, settings,
                            errors=_REPORTED_ERRORS, success=done)


def _set_up_studio(scene, settings):
    """The studio look from the panel's settings, then the render device (its choice)."""
    studio.setup_studio_scene(
        scene, engine=settings.engine,
        resolution=(scene.render.resolution_x, scene.render.resolution_y),
        samples=settings.samples, denoise=settings.denoise, bloom=settings.bloom,
        bloom_strength=settings.bloom_strength, fps=scene.render.fps)
    return devices.use_device(scene, settings.device, log=lambda _line: None)


class NEUROBLEND_OT_FrameCamera(bpy.types.Operator):
    """Point the scene camera (created if missing) so all selected objects are in view"""

    bl_idname = "neuroblend.frame_camera"
    bl_label = "Frame camera on selection"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return poll_require(cls, any(o.type not in _NOT_FRAMED for o in context.selected_objects),
                            "Select the objects to frame (cameras and lights do not count)")

    def execute(self, context):
        bounds = selection_bounds(context.selected_objects, context.evaluated_depsgraph_get())
        if bounds is None:
            self.report({"ERROR"}, "Nothing to frame: select objects with geometry")
            return {"CANCELLED"}

        def framed(camera) -> str:
            count = len(context.selected_objects)
            return f"{camera.name} framed on {count} object{'s' * (count != 1)}"

        return run_reported(self, studio.frame_camera, *bounds, scene=context.scene,
                            errors=_REPORTED_ERRORS, success=framed)


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
            layout.prop(settings, "device")
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

register, unregister = addon_registration(
    classes, properties=[(bpy.types.Scene, "neuroblend_studio", NeuroBlendStudioSettings)])
