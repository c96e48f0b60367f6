"""NeuroBlend Network: import a branching-network file as a graph whose glowing neurons fly from
shuffled places into their layers, with timing and colour controls in the 3D viewport's sidebar
tab "NeuroBlend".

The operators and property updates are thin: the work is done by
``neuroblend.blender.graph.scene`` (bundled wheel).
"""

# No `from __future__ import annotations`: Blender evaluates the property annotations itself.

import bpy
from bpy.props import FloatProperty, FloatVectorProperty, IntProperty, StringProperty
from bpy_extras.io_utils import ImportHelper

from neuroblend import clock
from neuroblend.blender.core.operator_utils import (
    addon_registration,
    colormap_search,
    live_property,
    poll_require,
    run_reported,
    select_only,
)
from neuroblend.blender.graph import scene as graph_scene

ACTIVITY_PROPS = (("nb_start_frame", "First Step Frame"), ("nb_frames_per_step", "Frames per Step"),
                  ("nb_value_min", "Activity Min"), ("nb_value_max", "Activity Max"),
                  ("nb_brightness", "Brightness"), ("nb_glow", "Glow"))


def _live(key: str, apply) -> dict:
    return live_property(graph_scene.graph_settings, key, apply, "NeuroBlend Network")


def _retime(root, **change) -> None:
    timing = {k: graph_scene.graph_settings(root)[k]
              for k in ("rearrange_start", "rearrange_end", "stagger")}
    timing.update(change)
    if timing["rearrange_end"] > timing["rearrange_start"]:
        graph_scene.set_rearrange(root, timing["rearrange_start"], timing["rearrange_end"],
                                  timing["stagger"])


class NeuroBlendGraphSettings(bpy.types.PropertyGroup):
    """Timing and colours of one network graph: views of its root Empty and edge material."""

    rearrange_start: IntProperty(name="Move Start", description="Frame the neurons leave",
                                 **_live("rearrange_start",
                                         lambda r, v: _retime(r, rearrange_start=v)))
    rearrange_end: IntProperty(name="Move End", description="Frame all neurons are in place",
                               **_live("rearrange_end", lambda r, v: _retime(r, rearrange_end=v)))
    stagger: FloatProperty(name="Stagger", description="Spread of the departure times",
                           min=0.0, max=0.95, subtype="FACTOR",
                           **_live("stagger", lambda r, v: _retime(r, stagger=v)))
    colormap: StringProperty(name="Colormap", search=colormap_search,
                             **_live("colormap", graph_scene.set_colormap))
    edge_color: FloatVectorProperty(
        name="Edge Color", subtype="COLOR", size=3, min=0.0, max=1.0,
        **_live("edge_color", lambda r, v: graph_scene.set_edge_look(r, color=v)))
    edge_strength: FloatProperty(
        name="Edge Glow", min=0.0, soft_max=20.0,
        **_live("edge_strength", lambda r, v: graph_scene.set_edge_look(r, strength=v)))


class NEUROBLEND_OT_ImportNetwork(bpy.types.Operator, ImportHelper):
    """Import a network file (.pkl) as a graph whose neurons fly into their layers"""

    bl_idname = "neuroblend.import_network"
    bl_label = "Import Network Graph"
    bl_options = {"REGISTER", "UNDO"}

    filter_glob: StringProperty(default="*.pkl", options={"HIDDEN"})
    rearrange_start: IntProperty(name="Move Start", default=30,
                                 description="Frame the neurons leave their shuffled places")
    rearrange_end: IntProperty(name="Move End", default=90,
                               description="Frame every neuron is in its layer")
    stagger: FloatProperty(name="Stagger", default=0.5, min=0.0, max=0.95, subtype="FACTOR")
    edge_density: FloatProperty(name="Edge Density", default=0.0, min=0.0, max=1.0,
                                description="Fraction of connections drawn (0: the file's "
                                "edges, or 2% if it has none)")
    colormap: StringProperty(name="Colormap", default="inferno", search=colormap_search)
    frames_per_step: FloatProperty(name="Frames per Step", default=1.0, min=0.01)

    @classmethod
    def poll(cls, context):
        return poll_require(cls, context.scene is not None, "No scene to import into")

    def execute(self, context):
        from neuroblend.graph.model import GraphOptions
        from neuroblend.graph.motion import Rearrange

        scene = context.scene
        options = GraphOptions(Rearrange(self.rearrange_start, self.rearrange_end, self.stagger),
                               density=self.edge_density or None,
                               frames_per_step=self.frames_per_step,
                               start_frame=scene.frame_start)

        def imported(result) -> str:
            root, graph = result
            graph_scene.frame_graph(graph, scene)
            graph_scene.fit_timeline(root, graph, scene)
            select_only(context, root)
            return (f"Imported {root.name}: {graph.layers} x {graph.neurons} neurons, "
                    f"{len(graph.edges)} edges")

        return run_reported(
            self, graph_scene.import_network_graph, self.filepath, options,
            look=graph_scene.GraphLook(colormap=self.colormap), scene=scene, success=imported)


class NEUROBLEND_PT_network(bpy.types.Panel):
    bl_label = "Network Graph"
    bl_idname = "NEUROBLEND_PT_network"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "NeuroBlend"

    def draw(self, context):
        layout = self.layout
        layout.operator(NEUROBLEND_OT_ImportNetwork.bl_idname, icon="IMPORT")
        root = graph_scene.find_root(context.active_object)
        if root is None:
            layout.label(text="Select an imported network graph for its controls", icon="INFO")
            return
        settings = root.neuroblend_graph
        layout.use_property_split = True
        col = layout.column(heading="Rearrange")
        col.prop(settings, "rearrange_start")
        col.prop(settings, "rearrange_end")
        col.prop(settings, "stagger")
        col = layout.column(heading="Activity")
        for key, label in ACTIVITY_PROPS:  # older files keep the rate as nb_frames_per_ms
            key = clock.rate_key(root) if key == clock.FRAMES_PER_STEP else key
            col.prop(root, f'["{key}"]', text=label)
        col.prop(settings, "colormap")
        col = layout.column(heading="Edges")
        col.prop(settings, "edge_color")
        col.prop(settings, "edge_strength")


def _menu_import(self, context):
    self.layout.operator(NEUROBLEND_OT_ImportNetwork.bl_idname,
                         text="NeuroBlend Network Graph (.pkl)")


classes = (
    NeuroBlendGraphSettings,
    NEUROBLEND_OT_ImportNetwork,
    NEUROBLEND_PT_network,
)

register, unregister = addon_registration(
    classes, properties=[(bpy.types.Object, "neuroblend_graph", NeuroBlendGraphSettings)],
    menus=[(bpy.types.TOPBAR_MT_file_import, _menu_import)])
