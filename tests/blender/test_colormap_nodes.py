"""The shared colormap node group: rendered colours match matplotlib, geometry nodes match shaders."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from PIL import Image

from neuroblend.blender.colormaps import colorbar
from neuroblend.blender.colormaps.nodes import (
    SOCKETS,
    apply_to_color_ramp,
    colormap_node_group,
    group_name,
    lut_image,
)
from neuroblend.blender.core import compat, render
from neuroblend.colormaps import luts as cm
from neuroblend.colormaps import ramp_fit
from neuroblend.errors import NeuroBlendError

mpl = pytest.importorskip("matplotlib")
CHECKED = ["viridis", "magma", "coolwarm", "twilight", "gray", "viridis_r"]
COLUMNS = np.arange(64) * 4 + 1  # 64 sample positions along a 256-pixel strip
CENTRES = (np.arange(256) + 0.5) / 256


def matplotlib_8bit(name: str, x) -> np.ndarray:
    return cm.to_8bit(mpl.colormaps[name](x)[:, :3]).astype(int)


def render_strip(path, name: str, mode: str, **options) -> np.ndarray:
    """Render a 256 x 4 colorbar and return its middle row as int RGB [256, 3]."""
    scene = colorbar.build_colorbar_scene(name, mode=mode, size=(256, 4), samples=1, **options)
    with bpy.context.temp_override(scene=scene):
        render.render_still(scene, path)
    return np.asarray(Image.open(path))[2, :, :3].astype(int)


@pytest.mark.parametrize("mode,tolerance", [("exact", 2), ("ramp", 4)])
def test_rendered_strips_match_matplotlib(artifact_dir, mode, tolerance):
    for name in CHECKED:
        row = render_strip(artifact_dir / f"{name}_{mode}.png", name, mode)
        diff = np.abs(row[COLUMNS] - matplotlib_8bit(name, CENTRES[COLUMNS]))
        assert diff.max() <= tolerance, (name, mode, diff.max(), int(diff.max(axis=1).argmax()))


def test_reverse_and_value_range_give_the_same_colours(artifact_dir):
    forward = render_strip(artifact_dir / "range.png", "magma", "exact", vmin=-70.0, vmax=30.0)
    np.testing.assert_array_equal(forward[COLUMNS], matplotlib_8bit("magma", CENTRES[COLUMNS]))
    reverse = render_strip(artifact_dir / "reverse.png", "magma", "exact", reverse=True)
    np.testing.assert_array_equal(reverse[COLUMNS], matplotlib_8bit("magma_r", CENTRES[COLUMNS]))


def test_interface_contract_and_defaults():
    lut = cm.get_lut("plasma", "linear")
    for kind in ("shader", "geometry"):
        for mode in ("exact", "ramp"):
            tree = colormap_node_group("plasma", mode=mode, kind=kind)
            sockets = [(s.name, s.in_out, s.socket_type) for s in tree.interface.items_tree
                       if s.item_type == "SOCKET"]
            assert sockets == [s[:3] for s in SOCKETS]
            items = {s.name: s for s in tree.interface.items_tree if s.in_out == "INPUT"}
            assert items["Min"].default_value == 0.0 and items["Max"].default_value == 1.0
            assert items["Reverse"].default_value is False
            np.testing.assert_allclose(items["Under Color"].default_value[:3], lut[0, :3], atol=1e-6)
            np.testing.assert_allclose(items["Over Color"].default_value[:3], lut[-1, :3], atol=1e-6)
            np.testing.assert_allclose(items["NaN Color"].default_value, cm.nan_color("plasma"))
            assert all(n.label for n in tree.nodes)


def test_builder_is_idempotent_and_keeps_links_when_stops_change():
    tree = colormap_node_group("viridis", mode="ramp", kind="shader", n_stops=8)
    n_nodes, n_groups, n_images = len(tree.nodes), len(bpy.data.node_groups), len(bpy.data.images)
    assert colormap_node_group("viridis", mode="ramp", kind="shader", n_stops=8) is tree
    assert (len(tree.nodes), len(bpy.data.node_groups), len(bpy.data.images)) == (
        n_nodes, n_groups, n_images)
    material = bpy.data.materials.new("user")
    compat.enable_nodes(material)
    node = material.node_tree.nodes.new("ShaderNodeGroup")
    node.node_tree = tree
    value = material.node_tree.nodes.new("ShaderNodeValue")
    material.node_tree.links.new(value.outputs[0], node.inputs["Value"])
    rebuilt = colormap_node_group("viridis", mode="ramp", kind="shader", n_stops=16)
    assert rebuilt is tree and tree.name == group_name("viridis", "ramp", "shader")
    ramp = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeValToRGB")
    assert len(ramp.color_ramp.elements) == 16
    assert node.inputs["Value"].is_linked
    colormap_node_group("viridis", mode="exact", kind="shader")
    colormap_node_group("viridis", mode="exact", kind="geometry")
    assert len([i for i in bpy.data.images if i.name.startswith("NeuroBlend LUT")]) == 1
    assert not [g for g in bpy.data.node_groups if g.name.endswith(".001")]


def test_color_ramp_model_matches_blender_and_apply_reports_error():
    tree = bpy.data.node_groups.new("ramp test", "ShaderNodeTree")
    ramp = tree.nodes.new("ShaderNodeValToRGB").color_ramp
    for name, stops in (("twilight", 32), ("jet", 9), ("tab20", 32)):
        error = apply_to_color_ramp(ramp, name, stops)
        fit = ramp_fit.fit_ramp(name, stops, ramp_fit.default_interpolation(name))
        assert error == pytest.approx(fit.max_error_8bit)
        assert len(ramp.elements) == len(fit.positions) <= stops
        x = np.linspace(0, 1, 777)
        blender = np.array([ramp.evaluate(float(v)) for v in x])
        model = ramp_fit.evaluate_ramp(fit.positions, fit.colors_linear, x, fit.interpolation)
        np.testing.assert_allclose(blender, model, atol=2e-6, err_msg=name)


def test_lut_image_is_packed_and_survives_save_and_reopen(artifact_dir):
    scene = colorbar.build_colorbar_scene("coolwarm", size=(256, 4), samples=1)
    assert lut_image("coolwarm").packed_file is not None
    path = artifact_dir / "lut.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.wm.open_mainfile(filepath=str(path))
    tree = bpy.data.node_groups[group_name("coolwarm", "exact", "shader")]
    image = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeTexImage").image
    assert image.packed_file is not None
    pixels = np.empty(256 * 4, dtype=np.float32)
    image.pixels.foreach_get(pixels)
    np.testing.assert_array_equal(pixels.reshape(256, 4)[:, :3],
                                  cm.get_lut("coolwarm", "linear")[:, :3])
    scene = bpy.data.scenes[colorbar.SCENE_NAME]
    with bpy.context.temp_override(scene=scene):
        render.render_still(scene, artifact_dir / "reopened.png")
    row = np.asarray(Image.open(artifact_dir / "reopened.png"))[2, :, :3].astype(int)
    np.testing.assert_array_equal(row, matplotlib_8bit("coolwarm", CENTRES))


def _geometry_colours(name: str, mode: str, values, vmin: float, vmax: float, reverse=False):
    """Colour ``values`` (one per vertex) through the geometry-nodes group; linear RGBA."""
    mesh = bpy.data.meshes.new("points")
    mesh.vertices.add(len(values))
    mesh.attributes.new("value", "FLOAT", "POINT").data.foreach_set(
        "value", np.asarray(values, dtype=np.float32))
    obj = bpy.data.objects.new("points", mesh)
    bpy.context.scene.collection.objects.link(obj)
    tree = bpy.data.node_groups.new("store colour", "GeometryNodeTree")
    tree.interface.new_socket(name="Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")
    tree.interface.new_socket(name="Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")
    gin, gout = tree.nodes.new("NodeGroupInput"), tree.nodes.new("NodeGroupOutput")
    read = tree.nodes.new("GeometryNodeInputNamedAttribute")
    read.data_type = "FLOAT"
    read.inputs["Name"].default_value = "value"
    cmap = tree.nodes.new("GeometryNodeGroup")
    cmap.node_tree = colormap_node_group(name, mode=mode, kind="geometry")
    cmap.inputs["Min"].default_value, cmap.inputs["Max"].default_value = vmin, vmax
    cmap.inputs["Reverse"].default_value = reverse
    store = tree.nodes.new("GeometryNodeStoreNamedAttribute")
    store.data_type = "FLOAT_COLOR"
    store.inputs["Name"].default_value = "colour"
    links = tree.links
    links.new(read.outputs["Attribute"], cmap.inputs["Value"])
    links.new(gin.outputs["Geometry"], store.inputs["Geometry"])
    links.new(cmap.outputs["Color"], store.inputs["Value"])
    links.new(store.outputs["Geometry"], gout.inputs["Geometry"])
    obj.modifiers.new("colour", "NODES").node_group = tree
    evaluated = obj.evaluated_get(bpy.context.evaluated_depsgraph_get()).data
    out = np.empty(len(values) * 4, dtype=np.float32)
    evaluated.attributes["colour"].data.foreach_get("color", out)
    return out.reshape(-1, 4)


def test_geometry_nodes_give_the_shader_colours(artifact_dir):
    values = -2.0 + 4.0 * CENTRES  # the strip's pixel centres for vmin=-2, vmax=2
    for mode in ("exact", "ramp"):
        shader = render_strip(artifact_dir / f"shader_{mode}.png", "viridis", mode,
                              vmin=-2.0, vmax=2.0)
        geometry = _geometry_colours("viridis", mode, values, -2.0, 2.0)
        geometry_8bit = cm.to_8bit(cm.linear_to_srgb(geometry[:, :3])).astype(int)
        assert np.abs(geometry_8bit - shader).max() <= 1, mode
    exact = _geometry_colours("viridis", "exact", values, -2.0, 2.0)
    np.testing.assert_allclose(exact, cm.sample("viridis", values, -2.0, 2.0, space="linear"),
                               atol=1e-6)


@pytest.mark.parametrize("mode", ["exact", "ramp"])
def test_nan_under_over_in_geometry_nodes(mode):
    values = [np.nan, -5.0, 0.5, 5.0, np.inf, -np.inf]
    got = _geometry_colours("viridis", mode, values, 0.0, 1.0)
    lut = cm.get_lut("viridis", "linear")
    np.testing.assert_allclose(got[0], cm.nan_color("viridis"), atol=1e-6)
    np.testing.assert_allclose(got[1], lut[0], atol=1e-6)
    np.testing.assert_allclose(got[3], lut[-1], atol=1e-6)
    np.testing.assert_allclose(got[4], lut[-1], atol=1e-6)
    np.testing.assert_allclose(got[5], lut[0], atol=1e-6)
    flipped = _geometry_colours("viridis", mode, [-5.0, 5.0], 0.0, 1.0, reverse=True)
    np.testing.assert_allclose(flipped, lut[[-1, 0]], atol=1e-6)  # like matplotlib's viridis_r


def test_nan_under_over_in_rendered_shader(artifact_dir):
    """Three faces carrying NaN, below-range and above-range values render in the set colours."""
    scene = colorbar.build_colorbar_scene("viridis", size=(24, 4), samples=1)
    strip = next(o for o in scene.objects if o.type == "MESH")
    mesh = bpy.data.meshes.new("three faces")
    w, h = 0.24, 0.04
    verts = [(x * w / 3, y, 0.001) for x in range(4) for y in (0.0, h)]
    mesh.from_pydata(verts, [], [(0, 2, 3, 1), (2, 4, 5, 3), (4, 6, 7, 5)])
    mesh.attributes.new("value", "FLOAT", "FACE").data.foreach_set(
        "value", np.array([np.nan, -3.0, 3.0], dtype=np.float32))
    material = strip.data.materials[0].copy()
    tree = material.node_tree
    cmap = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeGroup")
    attribute = tree.nodes.new("ShaderNodeAttribute")
    attribute.attribute_name = "value"
    tree.links.new(attribute.outputs["Fac"], cmap.inputs["Value"])
    cmap.inputs["Under Color"].default_value = (1.0, 0.0, 0.0, 1.0)
    cmap.inputs["Over Color"].default_value = (0.0, 0.0, 1.0, 1.0)
    mesh.materials.append(material)
    obj = bpy.data.objects.new("three faces", mesh)
    scene.collection.objects.link(obj)
    path = artifact_dir / "nan_under_over.png"
    with bpy.context.temp_override(scene=scene):
        render.render_still(scene, path)
    row = np.asarray(Image.open(path))[2, :, :3].astype(int)
    nan_8bit = cm.to_8bit(cm.nan_color("viridis", "srgb")[:3]).astype(int)
    assert np.abs(row[4] - nan_8bit).max() <= 1
    assert np.abs(row[12] - [255, 0, 0]).max() <= 1
    assert np.abs(row[20] - [0, 0, 255]).max() <= 1


def test_bad_input_is_a_clear_error():
    with pytest.raises(NeuroBlendError, match="closest names: viridis"):
        colormap_node_group("viridiss")
    with pytest.raises(NeuroBlendError, match="mode"):
        colormap_node_group("viridis", mode="fast")
    with pytest.raises(NeuroBlendError, match="kind"):
        colormap_node_group("viridis", kind="compositor")
    with pytest.raises(NeuroBlendError, match="2..32"):
        colormap_node_group("viridis", mode="ramp", n_stops=40)
    tree = bpy.data.node_groups.new("r", "ShaderNodeTree").nodes.new("ShaderNodeValToRGB")
    with pytest.raises(NeuroBlendError, match="2..32"):
        apply_to_color_ramp(tree.color_ramp, "viridis", 1)
    with pytest.raises(NeuroBlendError, match="min < max"):
        colorbar.build_colorbar_scene("viridis", vmin=1.0, vmax=1.0)


def test_exact_group_is_repaired_when_its_lookup_image_is_deleted():
    tree = colormap_node_group("inferno", mode="exact", kind="geometry")
    bpy.data.images.remove(lut_image("inferno"))
    assert colormap_node_group("inferno", mode="exact", kind="geometry") is tree
    node = next(n for n in tree.nodes if n.bl_idname == "GeometryNodeImageTexture")
    assert node.inputs["Image"].default_value == bpy.data.images["NeuroBlend LUT inferno"]
