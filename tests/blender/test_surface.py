"""Heightmap surfaces and the slicing look: exact heights, orientation, the cut, the job."""

from __future__ import annotations

import math

import bpy
import numpy as np
import pytest

from neuroblend.blender.core import render, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.surface import mesh as surface
from neuroblend.blender.surface import slicer
from neuroblend.surface.heightmap import make_heightmap

pytestmark = pytest.mark.filterwarnings("ignore::neuroblend.surface.heightmap.HeightmapWarning")


def evaluated_points(obj) -> tuple[np.ndarray, np.ndarray]:
    """World-independent (object-space) positions and the ``value`` attribute after modifiers."""
    mesh = obj.evaluated_get(bpy.context.evaluated_depsgraph_get()).data
    co = np.empty(len(mesh.vertices) * 3, dtype=np.float32)
    mesh.vertices.foreach_get("co", co)
    value = np.empty(len(mesh.vertices), dtype=np.float32)
    mesh.attributes["value"].data.foreach_get("value", value)
    return co.reshape(-1, 3), value


def render_pixels(scene, path) -> np.ndarray:
    """Render a still and return its pixels as float RGB in 0..1, row 0 at the top."""
    from PIL import Image

    render.render_still(scene, path)
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0


def top_view(scene, obj, resolution=(128, 96)):
    """An orthographic camera looking straight down (+Y up in the image), fitting ``obj``."""
    scene.render.resolution_x, scene.render.resolution_y = resolution
    lo, hi = world_bounds([obj], evaluated=True, what="surface")
    camera = bpy.data.objects.new("Top", bpy.data.cameras.new("Top"))
    scene.collection.objects.link(camera)
    camera.data.type = "ORTHO"
    camera.data.ortho_scale = float(max(hi[0] - lo[0], (hi[1] - lo[1]) * 4 / 3)) * 1.02
    camera.location = ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, hi[2] + 5)
    camera.data.clip_end = 100
    scene.camera = camera
    return camera


def test_vertex_heights_equal_the_array_exactly_at_documented_positions():
    rng = np.random.default_rng(7)
    z = (rng.normal(size=(5, 7)) * 1e3).astype(np.float64)  # float64 in, float32 stored
    z[2, 3] = np.nan
    doc = make_heightmap(z, extent=(-3.0, 3.0, 10.0, 14.0))
    obj = surface.build_surface(doc, height_scale=1.0)
    co, value = evaluated_points(obj)
    z32 = z.astype(np.float32)
    grid = co.reshape(5, 7, 3)
    ok = ~np.isnan(z32)
    assert np.array_equal(grid[..., 2][ok], z32[ok])  # float32-exact
    assert np.array_equal(value.reshape(5, 7)[ok], z32[ok])
    # row 0 at the far (+Y) edge, column 0 at the left (-X) edge
    assert tuple(grid[0, 0, :2]) == (-3.0, 14.0)
    assert tuple(grid[0, 6, :2]) == (3.0, 14.0)
    assert tuple(grid[4, 0, :2]) == (-3.0, 10.0)
    # the 4 cells around the NaN vertex are holes: 6*4 - 4 faces, no loose edges
    assert len(obj.data.polygons) == 20
    assert len(obj.data.edges) == 6 * 5 + 4 * 7 - 4
    assert not obj.data.validate(verbose=True)  # nothing to fix: the topology is consistent
    base = np.empty(len(obj.data.vertices) * 3, dtype=np.float32)
    obj.data.vertices.foreach_get("co", base)
    assert np.array_equal(base.reshape(5, 7, 3)[..., 2][ok], z32[ok])
    stored = np.empty(35, dtype=np.float32)
    obj.data.attributes["value"].data.foreach_get("value", stored)
    assert stored[2 * 7 + 3] == np.nanmin(z32)  # a loose hole vertex: lowest value, not NaN
    assert obj.data.polygons[0].use_smooth


def test_height_scale_multiplies_heights_and_keeps_the_floor():
    z = np.array([[0.0, 1.0], [2.0, 4.0]])
    obj = surface.build_surface(make_heightmap(z), height_scale=2.5)
    co, value = evaluated_points(obj)
    np.testing.assert_array_equal(co[:, 2], z.ravel() * 2.5)
    np.testing.assert_array_equal(value, z.ravel())
    surface.set_height_scale(obj, 0.5)
    co, _ = evaluated_points(obj)
    np.testing.assert_array_equal(co[:, 2], z.ravel() * 0.5)
    assert world_bounds([obj], evaluated=True, what="surface")[0][2] == pytest.approx(0.0, abs=1e-6)


def test_animated_surface_follows_the_frame_without_python():
    stack = np.stack([np.full((3, 4), float(i)) for i in range(3)])
    stack[1, 0, 0] = 10.0
    obj = surface.build_surface(make_heightmap(stack), height_scale=1.0, frame_start=1,
                                frames_per_step=2.0)
    seen = {}
    for frame in (1, 2, 3, 4, 5, 9):
        bpy.context.scene.frame_set(frame)
        seen[frame] = evaluated_points(obj)[0][:2, 2].tolist()
    assert seen[1] == [0.0, 0.0]
    assert seen[2] == [5.0, 0.5]  # halfway between data frames 0 and 1
    assert seen[3] == [10.0, 1.0]
    assert seen[5] == seen[9] == [2.0, 2.0]  # holds the last frame
    assert not bpy.app.handlers.frame_change_pre and not bpy.app.handlers.frame_change_post


def test_displace_mode_reads_a_float_image():
    z = np.random.default_rng(2).random((9, 12)).astype(np.float32) * 100
    obj = surface.build_surface(make_heightmap(z), mode="displace", height_scale=1.0)
    image = obj.modifiers[surface.DISPLACE_MODIFIER].texture.image
    assert image.is_float and image.packed_file is not None
    co, _ = evaluated_points(obj)
    np.testing.assert_allclose(co[:, 2], z.ravel(), rtol=1e-6)


def test_wire_twin_lies_on_the_surface_rows_and_columns():
    z = np.add.outer(np.arange(9.0), np.arange(11.0) ** 2 * 0.1)
    obj = surface.build_surface(make_heightmap(z), height_scale=1.0, wire_every=4)
    wire = surface.add_wire_twin(obj, radius=0.0)
    co = evaluated_points(wire)[0]
    # every wire vertex is a surface vertex on row 0/4/8 or column 0/4/8/10
    surf = evaluated_points(obj)[0]
    dist = np.abs(co[:, None, :] - surf[None, :, :]).max(axis=2).min(axis=1)
    assert dist.max() < 1e-5
    cols, rows = np.round(co[:, 0]).astype(int), 8 - np.round(co[:, 1]).astype(int)
    assert np.all(np.isin(rows, [0, 4, 8]) | np.isin(cols, [0, 4, 8, 10]))


def sliced_top_view(z, *, colormap="viridis", engine="cycles", **options):
    scene = studio.setup_studio_scene(engine=engine, resolution=(128, 96), samples=4,
                                      denoise=False, bloom=False)
    obj = slicer.build_sliced_surface(make_heightmap(z, extent=(-1, 1, -0.75, 0.75)),
                                      colormap=colormap, **options)
    top_view(scene, obj)
    return scene, obj


@pytest.mark.render
def test_single_peak_renders_where_imshow_shows_it(artifact_dir):
    ny, nx, row, col = 30, 40, 6, 29  # upper right in imshow(origin="upper")
    yy, xx = np.mgrid[0:ny, 0:nx]
    z = np.exp(-((yy - row) ** 2 + (xx - col) ** 2) / 8.0)
    scene, _ = sliced_top_view(z, colormap="gray", position=1.1, wireframe=False)
    pixels = render_pixels(scene, artifact_dir / "peak.png")
    grey = pixels.mean(axis=2)
    r, c = np.unravel_index(np.argmax(grey), grey.shape)
    assert abs(r / (grey.shape[0] - 1) - row / (ny - 1)) < 0.06
    assert abs(c / (grey.shape[1] - 1) - col / (nx - 1)) < 0.06


@pytest.mark.render
@pytest.mark.parametrize("engine", ["cycles", pytest.param("eevee", marks=pytest.mark.slow)])
def test_slicer_in_the_middle_shows_surface_band_and_wireframe(artifact_dir, engine):
    yy, xx = np.mgrid[0:48, 0:64]
    z = np.sin(xx / 9.0) + np.cos(yy / 7.0)
    scene, obj = sliced_top_view(z, engine=engine, position=0.5, band_color=(1.0, 0.1, 0.0),
                                 band_strength=1.0, band_width=0.1, wire_every=8)
    pixels = render_pixels(scene, artifact_dir / "slice.png")
    lit = pixels.max(axis=2) > 0.08
    mid = pixels.shape[1] // 2
    left, right = lit[:, 8:mid - 10], lit[:, mid + 10:-8]
    assert left.mean() > 0.95  # the solid coloured surface
    assert 0.05 < right.mean() < 0.6  # wire lines on black
    band = pixels[:, mid - 3:mid + 3]
    red_band = (band[..., 0] > 0.6) & (band[..., 1] < 0.4) & (band[..., 2] < 0.3)
    assert red_band.mean() > 0.5
    # the wire and the surface show the colormap (viridis: not red)
    assert pixels[:, 8:mid - 10, 0].mean() < pixels[:, 8:mid - 10, 1:].mean() + 0.2
    slicer.set_band(obj, flip=True)
    flipped = render_pixels(scene, artifact_dir / "flipped.png").max(axis=2) > 0.08
    assert flipped[:, mid + 10:-8].mean() > 0.95 and flipped[:, 8:mid - 10].mean() < 0.6


def test_slicer_controls_and_animation_helpers():
    scene = studio.setup_studio_scene(resolution=(64, 36), samples=1)
    z = np.add.outer(np.linspace(0, 1, 20), np.linspace(0, 2, 30))
    obj = slicer.build_sliced_surface(make_heightmap(z), axis="Y", position=0.25)
    empty, wire, *_ = slicer.slicer_parts(obj)
    lo, hi = world_bounds([obj], evaluated=True, what="surface")
    assert empty.location.y == pytest.approx(lo[1] + 0.25 * (hi[1] - lo[1]))
    assert empty.matrix_world.to_3x3().col[0].y == pytest.approx(1.0)  # normal along +Y
    slicer.set_slice_axis(obj, "Z", 0.5)
    assert empty.matrix_world.to_3x3().col[0].z == pytest.approx(1.0)
    slicer.set_wireframe(obj, False)
    assert wire.hide_render
    slicer.set_colormap(obj, "magma", color_by="x")
    assert "magma" in obj["nb_surface_material"].node_tree.nodes[
        slicer.N_CMAP].node_tree.name
    slicer.animate_slice(obj, 10, 30)
    positions = []
    for frame in (10, 20, 30):
        scene.frame_set(frame)
        positions.append(empty.matrix_world.translation.z)
    assert positions[0] < lo[2] < positions[1] < hi[2] < positions[2]
    pivot = slicer.orbit_camera(obj, 1, 40)
    scene.frame_set(21)
    assert pivot.rotation_euler.z == pytest.approx(math.pi, rel=0.01)
    with pytest.raises(Exception, match="choose X, Y or Z"):
        slicer.set_slice_axis(obj, "W")
    # re-running the builders reuses node groups, materials and objects, even after renaming
    counts = len(bpy.data.node_groups), len(bpy.data.materials), len(bpy.data.objects)
    obj.name = "Renamed"
    empty.name = "Renamed Slicer Empty"
    slicer.add_slicer(obj)
    assert (len(bpy.data.node_groups), len(bpy.data.materials), len(bpy.data.objects)) == counts
    assert slicer.slicer_parts(obj)[0] == empty


@pytest.mark.render
def test_render_job_demo_and_bad_input(tmp_path, capsys):
    from neuroblend.blender.jobs import render_surface
    from neuroblend.cli.render import job_options
    from neuroblend.errors import NeuroBlendError

    written = render_surface.run(job_options("surface", [
        "--out", str(tmp_path / "out"), "--resolution", "64x36", "--samples", "1",
        "--save-blend", str(tmp_path / "s.blend"), "--sweep", "--frames", "1-2"]))
    frames = sorted((tmp_path / "out").glob("frame_*.png"))
    assert [p.name for p in frames] == ["frame_0001.png", "frame_0002.png"]
    assert sorted(written) == sorted([*frames, tmp_path / "s.blend"])
    assert (tmp_path / "s.blend").stat().st_size > 0
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY garbage")
    with pytest.raises(NeuroBlendError, match="bad.npy"):
        render_surface.run(job_options("surface", [str(tmp_path / "bad.npy"), "--out",
                                                   str(tmp_path / "x")]))


def test_render_script_shim_reports_bad_input_in_one_line(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "render_surface.py"
    (tmp_path / "empty.csv").write_text("")
    result = subprocess.run([sys.executable, str(script), str(tmp_path / "empty.csv"),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].endswith("empty.csv: file is empty")


def test_exported_exr_and_png_load_in_blender_with_exact_values(tmp_path):
    from neuroblend.surface.heightmap import export_exr, export_png16

    z = np.random.default_rng(5).normal(size=(6, 9)).astype(np.float32)
    doc = make_heightmap(z)
    for path in export_exr(doc, tmp_path / "z.exr") + export_png16(doc, tmp_path / "z.png"):
        image = bpy.data.images.load(str(path))
        image.colorspace_settings.name = "Non-Color"
        pixels = np.empty(len(image.pixels), dtype=np.float32)
        image.pixels.foreach_get(pixels)
        grey = pixels.reshape(6, 9, 4)[::-1, :, 0]  # Blender's row 0 is the bottom
        if path.suffix == ".exr":
            np.testing.assert_array_equal(grey, z)
        else:  # 16 bits across the value range
            expected = (z - z.min()) / (z.max() - z.min())
            np.testing.assert_allclose(grey, expected, atol=1.0 / 65535)
