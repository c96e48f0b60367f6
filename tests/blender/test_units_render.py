"""Recorded units in Blender: a unit flashes on its spike frame and is dim otherwise; a unit at
a region's centroid renders inside that region; the baked scene needs no data file."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from neuroblend.atlas import atlas_export
from neuroblend.atlas import brainglobe as atlas
from neuroblend.blender.units.units_scene import build_units_scene
from neuroblend.files.fileformat import save_document
from neuroblend.nwb.render_options import UnitsRenderOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import atlas_fixtures as fx  # noqa: E402
import units_docs  # noqa: E402
from render_check import render_pixels  # noqa: E402

CA3_RIGHT_UM = (2200.0, 1000.0, 1300.0)
DG_RIGHT_UM = (2650.0, 1000.0, 1300.0)
SPIKE_MS = (100.0, 300.0)  # unit 0, unit 1
FPMS = 0.1  # 10 ms per frame: unit 0's spike is frame 11, unit 1's frame 31


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root, name = fx.synthetic_atlas(tmp_path_factory)
    found = atlas.open_atlas(name, root)
    adoc, _ = atlas_export.export_regions(found, ["CA3"], hemisphere="right")
    folder = tmp_path_factory.mktemp("units")
    save_document(adoc, folder / "ca3.pkl")
    udoc = units_docs.units_doc([CA3_RIGHT_UM, DG_RIGHT_UM], [[SPIKE_MS[0]], [SPIKE_MS[1]]],
                                (0.0, 500.0), regions=["CA3", "DG"],
                                transform=adoc["transform"], atlas=name)
    save_document(udoc, folder / "units.pkl")
    return folder / "units.pkl", folder / "ca3.pkl"


def options(files, out, **kw):
    return UnitsRenderOptions(input=files[0], atlas_file=files[1], out=out, frames_per_ms=FPMS,
                              resolution=(240, 160), samples=4, probes=False, **kw)


def pixel_of(scene, point) -> tuple[int, int]:
    """(row, column) of a world point in the render."""
    co = world_to_camera_view(scene, scene.camera, Vector(point))
    width, height = scene.render.resolution_x, scene.render.resolution_y
    return int((1.0 - co.y) * height), int(co.x * width)


def patch(pixels, rc, half=2) -> np.ndarray:
    r, c = rc
    return pixels[r - half:r + half + 1, c - half:c + half + 1].reshape(-1, 3)


def build(files, out):
    from neuroblend.blender.core import render

    opts = options(files, out)
    scene = bpy.context.scene
    built, plan = build_units_scene(opts, scene)
    render.apply_render_arguments(scene, opts)
    return scene, built, plan


def test_a_unit_flashes_on_its_spike_frame_and_is_dim_otherwise(files, artifact_dir):
    scene, built, plan = build(files, artifact_dir)
    assert plan.values[0, 10] == 1.0 and plan.values[0, 30] < 1e-3  # baked: frame 11 lit
    unit0 = pixel_of(scene, plan.positions[0])
    unit1 = pixel_of(scene, plan.positions[1])
    at_spike = render_pixels(scene, 11, artifact_dir / "frame11.png")
    later = render_pixels(scene, 31, artifact_dir / "frame31.png")
    lit0, dim0 = patch(at_spike, unit0).sum(1).max(), patch(later, unit0).sum(1).max()
    lit1, dim1 = patch(later, unit1).sum(1).max(), patch(at_spike, unit1).sum(1).max()
    assert lit0 > 1.5 * dim0 and lit0 > 400, (lit0, dim0)
    assert lit1 > 1.5 * dim1 and lit1 > 400, (lit1, dim1)


def test_a_unit_at_a_regions_centroid_renders_inside_that_region(files, artifact_dir):
    scene, built, plan = build(files, artifact_dir)
    ca3 = next(o for o in built.regions if o["neuroblend_acronym"] == "CA3")
    outline = np.array([pixel_of(scene, ca3.matrix_world @ v.co) for v in ca3.data.vertices])
    unit0 = np.array(pixel_of(scene, plan.positions[0]))
    centre = outline.mean(axis=0)
    radius = np.percentile(np.linalg.norm(outline - centre, axis=1), 90)
    assert np.linalg.norm(unit0 - centre) < 0.35 * radius  # well inside CA3's silhouette
    pixels = render_pixels(scene, 11, artifact_dir / "inside.png")
    lit = patch(pixels, tuple(unit0)).astype(float)
    background = pixels[0:4, 0:4].reshape(-1, 3).astype(float)
    assert lit.sum(1).max() > background.sum(1).max() + 300  # the unit shows there
    colour = lit[np.argmax(lit.sum(1))]
    assert np.ptp(colour) > 30  # its colour, not the glass's grey


def test_an_nwb_file_renders_in_one_command_placed_in_the_atlas_files_frame(files, tmp_path):
    pytest.importorskip("pynwb")
    import nwb_fixtures

    from neuroblend.atlas import geometry as geo
    from neuroblend.files.fileformat import load_document

    nwb = nwb_fixtures.write_units_nwb(tmp_path / "s.nwb", n_units=4,
                                       space_note=f"in {fx.ATLAS_NAME} space")
    opts = UnitsRenderOptions(input=nwb, atlas_file=files[1], out=tmp_path, frames_per_ms=FPMS)
    scene = bpy.context.scene
    built, plan = build_units_scene(opts, scene)
    atlas_doc = load_document(files[1])
    want = geo.apply_transform(atlas_doc["transform"], nwb_fixtures.unit_positions(4))
    assert np.abs(plan.positions - want).max() * 1000.0 < 1.0
    assert len(built.units.data.vertices) == 4 and scene.frame_end > scene.frame_start
