"""Version differences (compat) and the never-half-built node-group rule, in this Blender."""

from __future__ import annotations

from pathlib import Path

import bpy
import pytest

from neuroblend.blender.core import compat, node_build
from neuroblend.blender.core.templates import STUDIO_TEMPLATE
from neuroblend.blender.surface import mesh as surface

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crossversion"


def test_eevee_id_is_one_this_blender_accepts(fresh_scene):
    fresh_scene.render.engine = compat.engine_id("eevee")
    assert fresh_scene.render.engine == compat.EEVEE_ENGINE


@pytest.mark.parametrize("path, version", [(STUDIO_TEMPLATE, (5, 0)),
                                           (FIXTURES / "spike-blender4.2.blend", (4, 2))])
def test_blend_header_version_of_compressed_files_old_and_new_format(path, version):
    assert compat.blend_file_version(path) == version
    assert compat.file_opens_here(path) == (version <= bpy.app.version[:2])


def test_header_of_a_file_saved_here_names_this_version(tmp_path):
    path = tmp_path / "plain.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path), compress=False, copy=True)
    assert compat.blend_file_version(path) == bpy.app.version[:2]
    (tmp_path / "junk.blend").write_bytes(b"not a blend file at all")
    with pytest.raises(ValueError, match="not a .blend"):
        compat.blend_file_version(tmp_path / "junk.blend")


def test_failed_build_leaves_no_half_built_group():
    def broken(group):
        compat.new_socket(group, "Geometry", "INPUT", "NodeSocketGeometry")
        group.nodes.new("GeometryNodeSetShadeSmooth").inputs["No Such Socket"]

    with pytest.raises(KeyError):
        node_build.node_group("NB Broken", "GeometryNodeTree", broken)
    assert bpy.data.node_groups.get("NB Broken") is None
    built = node_build.node_group("NB Broken", "GeometryNodeTree", lambda g: None)
    assert node_build.node_group("NB Broken", "GeometryNodeTree", None) is built  # fetched


def test_wire_group_links_shade_smooth_in_every_version():
    group = surface.wire_node_group()
    smooth = next(n for n in group.nodes if n.bl_idname == "GeometryNodeSetShadeSmooth")
    assert smooth.inputs[0].is_linked and smooth.outputs[0].is_linked


def test_modifier_inputs_and_driver_paths(fresh_scene):
    obj = bpy.data.objects.new("grid", bpy.data.meshes.new("grid"))
    fresh_scene.collection.objects.link(obj)
    mod = obj.modifiers.new("NB", "NODES")
    mod.node_group = surface.surface_node_group()
    compat.set_modifier_input(mod, "Height Scale", 2.5)
    assert compat.get_modifier_input(mod, "Height Scale") == pytest.approx(2.5)
    assert obj.path_resolve(compat.modifier_input_path(mod, "Height Scale")) == pytest.approx(2.5)


def test_strip_end_and_content_length(fresh_scene, tmp_path):
    from PIL import Image

    for i in range(3):
        Image.new("RGB", (8, 8), (200, 0, 0)).save(tmp_path / f"f{i}.png")
    strips = compat.sequencer_strips(fresh_scene)
    strip = strips.new_image("img", str(tmp_path / "f0.png"), 1, 1)
    for i in (1, 2):
        strip.elements.append(f"f{i}.png")
    assert compat.strip_content_frames(strip) == 3
    compat.set_strip_end(strip, 11)
    assert compat.strip_content_frames(strip) == 3
    end = strip.right_handle if hasattr(strip, "right_handle") else strip.frame_final_end  # 5.3+
    assert end == 11
