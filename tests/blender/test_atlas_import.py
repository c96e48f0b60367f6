"""Atlas import into Blender: collection + provenance Empty, exact vertices, linear colours,
material presets, the add-on's operators and a rendered view that shows right as right."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import numpy as np
import pytest

from neuroblend.atlas import atlas_export
from neuroblend.atlas import brainglobe as atlas
from neuroblend.blender.atlas import atlas_import
from neuroblend.colormaps import luts as colormaps
from neuroblend.errors import NeuroBlendError
from neuroblend.files.fileformat import save_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import atlas_fixtures as fx  # noqa: E402

ADDON = "neuroblend_atlas"


@pytest.fixture(scope="session")
def bg(tmp_path_factory):
    return fx.synthetic_atlas(tmp_path_factory)


@pytest.fixture(scope="session")
def atlas_file(bg, tmp_path_factory):
    found = atlas.open_atlas(bg[1], bg[0])
    doc, _ = atlas_export.export_regions(found, ["root", "HPF", "RO", "MID", "NM"], descendants=True)
    path = tmp_path_factory.mktemp("atlas") / "regions.pkl"
    save_document(doc, path)
    return path, doc


def vertices(obj):
    co = np.empty(len(obj.data.vertices) * 3, dtype=np.float32)
    obj.data.vertices.foreach_get("co", co)
    return co.reshape(-1, 3)


def test_import_file_builds_collection_root_and_regions(atlas_file, fresh_scene):
    path, doc = atlas_file
    result = atlas_import.import_atlas_file(path)
    assert result.collection.name in fresh_scene.collection.children
    root = result.root
    assert root.type == "EMPTY" and root.name in result.collection.objects
    assert root["atlas_name"] == fx.ATLAS_NAME and root["atlas_orientation"] == "asr"
    assert root["source"] == str(path) and root["regions"] == "root HPF CA3 DG RO MID"
    assert np.allclose(np.reshape(root["transform_atlas_um_to_blender_mm"], (4, 4)),
                       doc["transform"])
    assert any("NM" in w for w in result.warnings)
    by_name = {o["neuroblend_acronym"]: o for o in result.objects}
    assert set(by_name) == {"root", "HPF", "CA3", "DG", "RO", "MID"}
    for region in doc["regions"]:
        obj = by_name[region["acronym"]]
        assert obj.parent == root and obj.name in result.collection.objects
        assert np.array_equal(vertices(obj), region["vertices"])
        loops = np.empty(len(obj.data.loops), dtype=np.int32)
        obj.data.loops.foreach_get("vertex_index", loops)
        assert np.array_equal(loops.reshape(-1, 3), region["faces"])
    # Blender's own normals agree that the meshes face outward: the RO sphere's normals point
    # away from its centre
    ro = by_name["RO"].data
    normals = np.empty(len(ro.polygons) * 3, dtype=np.float32)
    ro.polygons.foreach_get("normal", normals)
    centers = np.empty(len(ro.polygons) * 3, dtype=np.float32)
    ro.polygons.foreach_get("center", centers)
    centers = centers.reshape(-1, 3)
    assert (np.einsum("ij,ij->i", normals.reshape(-1, 3), centers - centers.mean(0)) > 0).all()


def test_presets_and_linear_colours(atlas_file, fresh_scene):
    path, doc = atlas_file
    result = atlas_import.import_atlas_file(path, region_preset="atlas", context_preset="glass")
    by_name = {o["neuroblend_acronym"]: o for o in result.objects}
    assert by_name["root"]["neuroblend_preset"] == "glass"
    assert by_name["CA3"]["neuroblend_preset"] == "atlas"
    glass = by_name["root"].active_material
    assert any(n.bl_idname == "ShaderNodeBsdfTransparent" for n in glass.node_tree.nodes)
    ca3 = by_name["CA3"].active_material
    expected = colormaps.srgb_to_linear(np.array(fx.REGIONS[2][3]) / 255.0)
    assert np.allclose(ca3.diffuse_color[:3], expected, atol=1e-5)
    assert not np.allclose(expected, np.array(fx.REGIONS[2][3]) / 255.0, atol=0.02)
    # importing again reuses (rebuilds) the materials instead of piling up copies
    atlas_import.import_atlas_file(path)
    assert len([m for m in bpy.data.materials if m.name.startswith("NeuroBlend Atlas CA3 ")]) == 1
    assert len(bpy.data.collections) == 2
    with pytest.raises(NeuroBlendError, match="unknown region preset"):
        atlas_import.import_atlas_file(path, region_preset="chrome")


def test_glow_preset_uses_the_shared_colormap_group(atlas_file, fresh_scene):
    pytest.importorskip("neuroblend.blender.colormaps.nodes")
    path, _ = atlas_file
    result = atlas_import.import_atlas_file(path, region_preset="glow", gradient_axis="Y",
                                            colormap="magma")
    material = next(o for o in result.objects if o["neuroblend_acronym"] == "CA3").active_material
    group = next(n for n in material.node_tree.nodes if n.bl_idname == "ShaderNodeGroup")
    assert group.inputs["Value"].is_linked
    assert group.inputs["Value"].links[0].from_socket.name == "Y"


def test_import_directly_from_brainglobe(bg, fresh_scene):
    result = atlas_import.import_from_brainglobe(bg[1], ["RO"], brainglobe_dir=bg[0],
                                                 hemisphere="right")
    names = [o["neuroblend_acronym"] for o in result.objects]
    assert names == ["root", "RO"]  # the whole brain is added as context
    assert vertices(result.objects[0])[:, 0].min() >= -1e-6  # right half of the brain only
    assert vertices(result.objects[1])[:, 0].min() > 1.0
    with pytest.raises(NeuroBlendError, match="close matches: CA3"):
        atlas_import.import_from_brainglobe(bg[1], ["CA"], brainglobe_dir=bg[0])




def test_addon_operators(addon, bg, atlas_file, tmp_path, fresh_scene):
    settings = fresh_scene.neuroblend_atlas
    assert not bpy.ops.neuroblend.import_atlas.poll()  # no regions yet
    settings.brainglobe_dir = str(tmp_path / "empty")
    assert [i[0] for i in addon._list_atlases(settings, bpy.context)] == [addon._NO_ATLAS]
    settings.brainglobe_dir = str(bg[0])
    assert bpy.ops.neuroblend.refresh_atlases() == {"FINISHED"}
    settings.atlas = bg[1]
    # completion by acronym prefix and by name, with the names shown
    assert ("CA3", "Field CA3") in addon._search_regions(settings, bpy.context, "ca")
    assert ("DG", "Dentate gyrus") in addon._search_regions(settings, bpy.context, "dentate")
    settings.region_search = "CA3"
    assert bpy.ops.neuroblend.add_atlas_region() == {"FINISHED"}
    assert bpy.ops.neuroblend.add_atlas_region(acronym="RO") == {"FINISHED"}
    assert bpy.ops.neuroblend.add_atlas_region(acronym="CA3") == {"FINISHED"}
    assert settings.regions == "CA3 RO"
    with pytest.raises(RuntimeError, match="not a region"):
        bpy.ops.neuroblend.add_atlas_region(acronym="XYZ")
    settings.hemisphere = "left"
    assert bpy.ops.neuroblend.import_atlas() == {"FINISHED"}
    imported = [o for o in bpy.data.objects if "neuroblend_acronym" in o]
    assert sorted(o["neuroblend_acronym"] for o in imported) == ["CA3", "root"]  # RO: right only
    settings.regions = "CA3 CAX"
    with pytest.raises(RuntimeError, match="close matches"):
        bpy.ops.neuroblend.import_atlas()
    assert bpy.ops.neuroblend.import_atlas_file(filepath=str(atlas_file[0])) == {"FINISHED"}
    with pytest.raises(RuntimeError, match="no such file"):
        bpy.ops.neuroblend.import_atlas_file(filepath=str(tmp_path / "missing.pkl"))


def test_addon_survives_reloading_the_file(addon, bg, tmp_path, fresh_scene):
    """Like undo, reopening a .blend replaces every Blender datablock: nothing may go stale."""
    settings = fresh_scene.neuroblend_atlas
    settings.brainglobe_dir, settings.atlas, settings.regions = str(bg[0]), bg[1], "DG"
    assert bpy.ops.neuroblend.import_atlas() == {"FINISHED"}
    blend = tmp_path / "scene.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(blend))
    bpy.ops.wm.open_mainfile(filepath=str(blend))
    settings = bpy.context.scene.neuroblend_atlas
    assert settings.regions == "DG"
    assert ("DG", "Dentate gyrus") in addon._search_regions(settings, bpy.context, "DG")
    assert bpy.ops.neuroblend.import_atlas() == {"FINISHED"}
    assert len([c for c in bpy.data.collections if c.name.startswith("Atlas ")]) == 2


@pytest.mark.render
def test_rendered_front_view_shows_the_right_hemisphere_on_the_viewers_left(atlas_file,
                                                                           artifact_dir):
    """Facing the brain from the front (camera anterior, looking back), the subject's right is on
    the viewer's left, as when facing a person: the right-only region (orange, inferior) must
    appear in the lower-left quadrant and nowhere else."""
    from neuroblend.blender.jobs import render_atlas
    from neuroblend.cli.render import job_options

    path, _ = atlas_file
    written = render_atlas.run(job_options("atlas", [
        str(path), "--out", str(artifact_dir), "--resolution", "160x120", "--samples", "4",
        "--view", "0,1,0.3"]))
    assert written == [artifact_dir / "frame_0001.png"]
    image = bpy.data.images.load(str(artifact_dir / "frame_0001.png"))
    width, height = image.size
    pixels = np.array(image.pixels[:]).reshape(height, width, 4)[::-1]  # row 0 at the top
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    # orange (green about half of red), not the yellow region's darker rim (green ~0.9 red)
    orange = (red > 0.6) & (green > 0.2) & (green < 0.6) & (blue < 0.35) & (green < 0.75 * red)
    rows, cols = np.nonzero(orange)
    assert len(rows) > 5
    lower_left = (cols < width / 2) & (rows > height / 2)
    assert lower_left.mean() > 0.9  # a stray anti-aliased edge pixel elsewhere is tolerated
    assert cols.mean() < width / 2 and rows.mean() > height / 2


@pytest.mark.render
def test_turntable_orbits_the_regions(atlas_file, artifact_dir):
    from neuroblend.blender.core import studio
    from neuroblend.blender.jobs import render_atlas
    from neuroblend.cli.render import job_options

    path, _ = atlas_file
    render_atlas.run(job_options("atlas", [
        str(path), "--turntable", "--frames", "1-4", "--out", str(artifact_dir), "--resolution",
        "96x54", "--samples", "2", "--save-blend", str(artifact_dir / "turntable.blend")]))
    scene = bpy.context.scene
    pivot = bpy.data.objects[studio.PIVOT_NAME]
    assert scene.camera.parent == pivot and (scene.frame_start, scene.frame_end) == (1, 4)
    frames = []
    for k in (1, 3):
        image = bpy.data.images.load(str(artifact_dir / f"frame_{k:04d}.png"))
        frames.append(np.array(image.pixels[:]).reshape(image.size[1], image.size[0], 4))
    assert frames[0][..., :3].max() > 0.3 and frames[1][..., :3].max() > 0.3
    assert np.abs(frames[0] - frames[1]).mean() > 0.005  # half a turn apart: the view changed
