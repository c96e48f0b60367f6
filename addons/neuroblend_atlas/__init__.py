"""NeuroBlend Atlas: BrainGlobe regions by acronym, in place inside a glassy whole brain.

Sidebar tab "NeuroBlend" > Atlas: pick a local atlas (the list is re-read from disk whenever it
opens, or with Refresh: no restart needed), search regions by acronym or name with completion,
see where a region sits in the hierarchy, choose descendants / hemisphere / material presets and
import. Files written by ``neuroblend atlas export`` import with numpy alone.

Operators are thin: the work is done by ``neuroblend.blender.atlas.atlas_import`` (bundled wheel). No
Blender data is kept in Python between operator calls, so undo and file reloads are safe.
"""

from __future__ import annotations

import bpy
from bpy.props import BoolProperty, EnumProperty, StringProperty

from neuroblend.blender.atlas import atlas_import
from neuroblend.blender.core.operator_utils import addon_registration, poll_require, run_reported
from neuroblend.errors import NeuroBlendError

_NO_ATLAS = "__none__"
# Enum items must stay referenced while Blender shows them; plain Python data only (undo-safe).
_atlas_items: list[tuple[str, str, str]] = []
_hierarchies: dict[tuple[str, str], dict] = {}


def _brainglobe_dir(settings) -> str | None:
    return bpy.path.abspath(settings.brainglobe_dir) if settings.brainglobe_dir else None


def _list_atlases(self, context):
    from neuroblend.atlas.brainglobe import list_local_atlases

    _atlas_items.clear()
    for entry in list_local_atlases(_brainglobe_dir(self)):
        _atlas_items.append((entry["name"], entry["name"],
                             f"v{entry['version']} ({entry['layout']}) {entry['species']}"))
    if not _atlas_items:
        _atlas_items.append((_NO_ATLAS, "No local atlases", "No BrainGlobe atlas in this folder"))
    return _atlas_items


def hierarchy(settings) -> dict:
    """{"rows": [(id, acronym, name, depth, path)], "error": str} of the chosen atlas (cached)."""
    from neuroblend.atlas import brainglobe as atlas_mod

    key = (settings.brainglobe_dir, settings.atlas)
    if key not in _hierarchies:
        try:
            found = atlas_mod.open_atlas(settings.atlas, _brainglobe_dir(settings))
            rows = [(r.id, r.acronym, r.name, len(r.path) - 1, r.path) for r in found.regions]
            _hierarchies[key] = {"rows": rows, "error": ""}
        except NeuroBlendError as exc:
            _hierarchies[key] = {"rows": [], "error": str(exc)}
    return _hierarchies[key]


def _search_regions(self, context, edit_text):
    """Completion for the region field: acronyms (with names) matching the typed text."""
    text = edit_text.strip().lower()
    rows = hierarchy(self)["rows"] if self.atlas != _NO_ATLAS else []
    starts = [(a, n) for _i, a, n, _d, _p in rows if a.lower().startswith(text)]
    inside = [(a, n) for _i, a, n, _d, _p in rows
              if text and (text in n.lower()) and not a.lower().startswith(text)]
    return [(a, n) for a, n in (starts + inside)[:200]]


def _forget_hierarchies(self, context):
    _hierarchies.clear()


_PRESET_ITEMS = (
    ("atlas", "Atlas colours", "Opaque, in the atlas's own colour"),
    ("glass", "Glass", "See-through shell with a bright silhouette"),
    ("glow", "Glow", "Bright emission with a colormap gradient along an axis"),
)


class NeuroBlendAtlasSettings(bpy.types.PropertyGroup):
    """What the Atlas panel imports."""

    brainglobe_dir: StringProperty(
        name="BrainGlobe Folder", subtype="DIR_PATH", update=_forget_hierarchies,
        description="Folder holding BrainGlobe atlases (empty: BrainGlobe's default, ~/.brainglobe)")
    atlas: EnumProperty(name="Atlas", items=_list_atlases, update=_forget_hierarchies,
                        description="A BrainGlobe atlas present on this computer")
    region_search: StringProperty(
        name="Find", search=_search_regions,
        description="Type an acronym or part of a name; pick a region to see it in the hierarchy")
    regions: StringProperty(name="Regions", default="",
                            description="Acronyms to import, separated by spaces, e.g. CA3 DG")
    descendants: BoolProperty(name="Include Descendants", default=False,
                              description="Also import every region below the chosen ones")
    hemisphere: EnumProperty(
        name="Hemisphere", default="both",
        items=(("both", "Both", "Whole regions"),
               ("left", "Left", "Clip at the midline and keep the left half"),
               ("right", "Right", "Clip at the midline and keep the right half")))
    context_brain: BoolProperty(name="Whole Brain as Context", default=True,
                                description="Also import the atlas root (the whole brain)")
    region_preset: EnumProperty(name="Regions", items=_PRESET_ITEMS, default="atlas")
    context_preset: EnumProperty(name="Context", items=_PRESET_ITEMS, default="glass")
    gradient_axis: EnumProperty(
        name="Gradient Axis", default="Z",
        items=(("X", "X (left-right)", ""), ("Y", "Y (posterior-anterior)", ""),
               ("Z", "Z (inferior-superior)", "")))
    colormap: StringProperty(name="Colormap", default="viridis",
                             description="Colormap of the Glow preset (any matplotlib name)")


def _options(settings) -> dict:
    return {"region_preset": settings.region_preset, "context_preset": settings.context_preset,
            "gradient_axis": settings.gradient_axis, "colormap": settings.colormap}


def _import_reported(operator, func, *args, **kwargs) -> set[str]:
    """Run an atlas import for ``operator``: warnings, then the regions imported, or the error."""
    def imported(result) -> str:
        for line in result.warnings:
            operator.report({"WARNING"}, line)
        return f"Imported {len(result.objects)} regions into '{result.collection.name}'"

    return run_reported(operator, func, *args, success=imported, **kwargs)


def _poll_atlas(cls, context) -> bool:
    settings = context.scene.neuroblend_atlas if context.scene else None
    return poll_require(cls, settings is not None and settings.atlas != _NO_ATLAS,
                        "Choose a local atlas first")


class NEUROBLEND_OT_RefreshAtlases(bpy.types.Operator):
    """Re-read the atlases and region lists from disk (after downloading a new atlas)"""

    bl_idname = "neuroblend.refresh_atlases"
    bl_label = "Refresh Atlases"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return poll_require(cls, context.scene is not None, "No scene")

    def execute(self, context):
        _hierarchies.clear()
        items = _list_atlases(context.scene.neuroblend_atlas, context)
        found = [i for i in items if i[0] != _NO_ATLAS]
        self.report({"INFO"}, f"{len(found)} local atlases")
        return {"FINISHED"}


class NEUROBLEND_OT_AddAtlasRegion(bpy.types.Operator):
    """Add the region in the Find field to the regions to import"""

    bl_idname = "neuroblend.add_atlas_region"
    bl_label = "Add Region"
    bl_options = {"REGISTER", "UNDO"}

    acronym: StringProperty(name="Acronym", description="Region to add (default: the Find field)")

    poll = classmethod(_poll_atlas)

    def execute(self, context):
        settings = context.scene.neuroblend_atlas
        acronym = (self.acronym or settings.region_search).strip()
        known = {row[1] for row in hierarchy(settings)["rows"]}
        if acronym not in known:
            self.report({"ERROR"}, f"'{acronym}' is not a region of {settings.atlas}; "
                                   "type part of an acronym or name and pick from the list")
            return {"CANCELLED"}
        chosen = settings.regions.split()
        if acronym not in chosen:
            settings.regions = " ".join(chosen + [acronym])
        return {"FINISHED"}


class NEUROBLEND_OT_ImportAtlas(bpy.types.Operator):
    """Import the chosen regions from the local BrainGlobe atlas"""

    bl_idname = "neuroblend.import_atlas"
    bl_label = "Import Regions"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return _poll_atlas(cls, context) and poll_require(
            cls, context.scene.neuroblend_atlas.regions.split(),
            "Add at least one region (e.g. CA3)")

    def execute(self, context):
        settings = context.scene.neuroblend_atlas
        return _import_reported(
            self, atlas_import.import_from_brainglobe, settings.atlas, settings.regions.split(),
            descendants=settings.descendants, hemisphere=settings.hemisphere,
            context=settings.context_brain, brainglobe_dir=_brainglobe_dir(settings),
            scene=context.scene, **_options(settings))


class NEUROBLEND_OT_ImportAtlasFile(bpy.types.Operator):
    """Import a neuroblend.atlas file written by `neuroblend atlas export`"""

    bl_idname = "neuroblend.import_atlas_file"
    bl_label = "Import Atlas File"
    bl_options = {"REGISTER", "UNDO"}

    filepath: StringProperty(subtype="FILE_PATH")
    filter_glob: StringProperty(default="*.pkl", options={"HIDDEN"})

    @classmethod
    def poll(cls, context):
        return poll_require(cls, context.scene is not None, "No scene to import into")

    def invoke(self, context, event):
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}

    def execute(self, context):
        if not self.filepath:
            self.report({"ERROR"}, "Choose a .pkl file written by `neuroblend atlas export`")
            return {"CANCELLED"}
        return _import_reported(self, atlas_import.import_atlas_file,
                                bpy.path.abspath(self.filepath), scene=context.scene,
                                **_options(context.scene.neuroblend_atlas))


class NEUROBLEND_PT_atlas(bpy.types.Panel):
    bl_label = "Atlas"
    bl_idname = "NEUROBLEND_PT_atlas"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "NeuroBlend"

    def draw(self, context):
        layout = self.layout
        settings = context.scene.neuroblend_atlas
        layout.prop(settings, "brainglobe_dir", text="")
        row = layout.row(align=True)
        row.prop(settings, "atlas", text="")
        row.operator(NEUROBLEND_OT_RefreshAtlases.bl_idname, text="", icon="FILE_REFRESH")
        if settings.atlas != _NO_ATLAS:
            self._draw_regions(layout, settings)
        box = layout.box()
        box.use_property_split = True
        box.prop(settings, "descendants")
        box.prop(settings, "hemisphere")
        box.prop(settings, "context_brain")
        box.prop(settings, "region_preset")
        box.prop(settings, "context_preset")
        if "glow" in (settings.region_preset, settings.context_preset):
            box.prop(settings, "gradient_axis")
            box.prop(settings, "colormap")
        layout.operator(NEUROBLEND_OT_ImportAtlas.bl_idname, icon="IMPORT")
        layout.operator(NEUROBLEND_OT_ImportAtlasFile.bl_idname, icon="FILE_FOLDER")

    @staticmethod
    def _draw_regions(layout, settings):
        info = hierarchy(settings)
        if info["error"]:
            layout.label(text=info["error"][:120], icon="ERROR")
            return
        row = layout.row(align=True)
        row.prop(settings, "region_search", text="", icon="VIEWZOOM")
        row.operator(NEUROBLEND_OT_AddAtlasRegion.bl_idname, text="", icon="ADD")
        layout.prop(settings, "regions")
        by_acronym = {r[1]: r for r in info["rows"]}
        current = by_acronym.get(settings.region_search.strip())
        if current is None:
            return
        by_id = {r[0]: r for r in info["rows"]}
        col = layout.box().column(align=True)
        for depth, rid in enumerate(current[4]):
            _i, acronym, name, _d, _p = by_id[rid]
            col.label(text=f"{'   ' * depth}{acronym}  {name}",
                      icon="RIGHTARROW_THIN" if rid == current[0] else "BLANK1")
        children = [r for r in info["rows"] if len(r[4]) > 1 and r[4][-2] == current[0]]
        for _i, acronym, name, _d, _p in children[:12]:
            op = col.operator(NEUROBLEND_OT_AddAtlasRegion.bl_idname,
                              text=f"{'   ' * len(current[4])}{acronym}  {name}", emboss=False,
                              icon="ADD")
            op.acronym = acronym
        if len(children) > 12:
            col.label(text=f"{'   ' * len(current[4])}... {len(children) - 12} more")


classes = (
    NeuroBlendAtlasSettings,
    NEUROBLEND_OT_RefreshAtlases,
    NEUROBLEND_OT_AddAtlasRegion,
    NEUROBLEND_OT_ImportAtlas,
    NEUROBLEND_OT_ImportAtlasFile,
    NEUROBLEND_PT_atlas,
)

register, _unregister = addon_registration(
    classes, properties=[(bpy.types.Scene, "neuroblend_atlas", NeuroBlendAtlasSettings)])


def unregister():
    _unregister()
    _atlas_items.clear()
    _hierarchies.clear()
