"""NeuroBlend Colormaps: matplotlib's colormaps, exactly, in Blender's Shader and Geometry nodes.

Sidebar tab "NeuroBlend" > Colormaps in the Shader and Geometry node editors: pick a colormap
(search button or the gradient previews), then "Add Colormap Node" (the shared NeuroBlend group:
Value, Min, Max, Reverse, Under/Over/NaN colours -> Color) or "Apply to Active ColorRamp" (fitted
stops; the panel shows the error left in 8-bit levels). Mode "exact" looks colours up in a packed
256-entry table; "ramp" uses a ColorRamp with at most "Stops" fitted stops.

Operators are thin: the work is done by ``neuroblend.blender.colormaps.nodes`` (bundled wheel).
"""

from __future__ import annotations

import bpy
import bpy.utils.previews
from bpy.props import EnumProperty, FloatProperty, IntProperty

from neuroblend.blender.colormaps import nodes as colormap_nodes
from neuroblend.blender.core.operator_utils import addon_registration, poll_require, run_reported
from neuroblend.colormaps import luts as colormaps

TREE_TYPES = {"ShaderNodeTree", "GeometryNodeTree"}
PREVIEW_SIZE = (128, 32)
ICON_SIZE = (32, 32)
# Enum items must stay referenced while Blender shows them.
_colormap_items: list[tuple[str, str, str, int, int]] = []
_previews = None


def _load_previews() -> None:
    """One gradient preview (and icon) per colormap, drawn from the lookup tables."""
    global _previews
    _previews = bpy.utils.previews.new()
    _colormap_items.clear()
    for index, name in enumerate(colormaps.list_colormaps()):
        preview = _previews.new(name)
        preview.image_size = PREVIEW_SIZE
        preview.image_pixels_float.foreach_set(
            colormaps.gradient_image(name, *PREVIEW_SIZE).ravel())
        preview.icon_size = ICON_SIZE
        preview.icon_pixels_float.foreach_set(colormaps.gradient_image(name, *ICON_SIZE).ravel())
        _colormap_items.append((name, name, f"matplotlib colormap {name}", preview.icon_id, index))


def _colormap_enum(description: str) -> EnumProperty:
    names = [item[0] for item in _colormap_items]
    return EnumProperty(name="Colormap", description=description, items=_colormap_items,
                        default="viridis" if "viridis" in names else names[0])


class NeuroBlendColormapSettings(bpy.types.PropertyGroup):
    """The Colormaps panel's choices (stored with the scene)."""

    # "colormap" (an enum of every colormap with preview icons) is added in register()
    mode: EnumProperty(
        name="Mode",
        items=(("exact", "Exact", "Look colours up in a packed 256-entry table (matches matplotlib)"),
               ("ramp", "Ramp", "A ColorRamp with fitted stops (editable by hand)")),
        default="exact")
    stops: IntProperty(name="Stops", description="Most ColorRamp stops to fit (Blender allows 32)",
                       default=32, min=colormaps.MIN_STOPS, max=colormaps.MAX_STOPS)
    last_error: FloatProperty(name="Error Left", default=-1.0,
                              description="Largest difference of the last applied ramp, in 8-bit sRGB levels")


def _settings(context):
    return context.scene.neuroblend_colormaps


def _edit_tree(context):
    space = context.space_data
    if space is None or space.type != "NODE_EDITOR":
        return None
    tree = space.edit_tree
    return tree if tree is not None and tree.bl_idname in TREE_TYPES else None


class NEUROBLEND_OT_SearchColormap(bpy.types.Operator):
    """Search the colormaps by name"""

    bl_idname = "neuroblend.search_colormap"
    bl_label = "Search Colormaps"
    bl_options = {"REGISTER", "UNDO"}
    bl_property = "colormap"
    # "colormap" is added in register()

    def invoke(self, context, event):
        context.window_manager.invoke_search_popup(self)
        return {"RUNNING_MODAL"}

    def execute(self, context):
        _settings(context).colormap = self.colormap
        return {"FINISHED"}


class NEUROBLEND_OT_AddColormapNode(bpy.types.Operator):
    """Add a node group mapping a value through the chosen colormap"""

    bl_idname = "neuroblend.add_colormap_node"
    bl_label = "Add Colormap Node"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return poll_require(cls, _edit_tree(context) is not None,
                            "Open a shader or geometry node tree first")

    def execute(self, context):
        settings = _settings(context)
        return run_reported(
            self, colormap_nodes.add_colormap_node, _edit_tree(context), settings.colormap,
            mode=settings.mode, n_stops=settings.stops,
            location=tuple(context.space_data.cursor_location),
            success=lambda node: f"Added {node.node_tree.name}")


class NEUROBLEND_OT_ApplyColormap(bpy.types.Operator):
    """Replace the active ColorRamp's stops by fitted stops of the chosen colormap"""

    bl_idname = "neuroblend.apply_colormap"
    bl_label = "Apply to Active ColorRamp"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        node = getattr(context, "active_node", None)
        return poll_require(cls, node is not None and hasattr(node, "color_ramp"),
                            "Make a Color Ramp node active first")

    def execute(self, context):
        settings = _settings(context)
        ramp = context.active_node.color_ramp

        def applied(error: float) -> str | None:
            settings.last_error = error
            message = f"{settings.colormap}: {len(ramp.elements)} stops, max error {error:.2f}/255"
            if error > 4.0:
                self.report({"WARNING"}, message + "; this colormap needs the Exact node for accuracy")
                return None
            return message

        return run_reported(self, colormap_nodes.apply_to_color_ramp, ramp, settings.colormap,
                            settings.stops, success=applied)


class NEUROBLEND_PT_Colormaps(bpy.types.Panel):
    """Pick a colormap; add it as a node or apply it to a ColorRamp."""

    bl_idname = "NEUROBLEND_PT_colormaps"
    bl_label = "Colormaps"
    bl_space_type = "NODE_EDITOR"
    bl_region_type = "UI"
    bl_category = "NeuroBlend"

    @classmethod
    def poll(cls, context):
        space = context.space_data
        return space is not None and getattr(space, "tree_type", None) in TREE_TYPES

    def draw(self, context):
        settings = _settings(context)
        layout = self.layout
        row = layout.row(align=True)
        row.prop(settings, "colormap", text="")
        row.operator(NEUROBLEND_OT_SearchColormap.bl_idname, text="", icon="VIEWZOOM")
        layout.template_icon_view(settings, "colormap", show_labels=True, scale=3.0,
                                  scale_popup=4.0)
        layout.row().prop(settings, "mode", expand=True)
        layout.prop(settings, "stops")
        layout.operator(NEUROBLEND_OT_AddColormapNode.bl_idname, icon="NODE")
        layout.operator(NEUROBLEND_OT_ApplyColormap.bl_idname, icon="COLOR")
        if settings.last_error >= 0:
            layout.label(text=f"Error left: {settings.last_error:.2f} / 255", icon="INFO")


classes = (
    NeuroBlendColormapSettings,
    NEUROBLEND_OT_SearchColormap,
    NEUROBLEND_OT_AddColormapNode,
    NEUROBLEND_OT_ApplyColormap,
    NEUROBLEND_PT_Colormaps,
)

_register, _unregister = addon_registration(
    classes, properties=[(bpy.types.Scene, "neuroblend_colormaps", NeuroBlendColormapSettings)])


def register():
    _load_previews()
    NeuroBlendColormapSettings.__annotations__["colormap"] = _colormap_enum(
        "Colormap to add or apply")
    NEUROBLEND_OT_SearchColormap.__annotations__["colormap"] = _colormap_enum("Colormap")
    _register()


def unregister():
    global _previews
    _unregister()
    if _previews is not None:
        bpy.utils.previews.remove(_previews)
        _previews = None
    _colormap_items.clear()
