"""The glass context brain reads as glass: the regions inside keep their brightness, the shell is
a faint grey with a rim (rendered from the synthetic atlas, with and without the shell)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from neuroblend.atlas import atlas_export
from neuroblend.atlas import brainglobe as atlas
from neuroblend.blender.atlas import atlas_import
from neuroblend.blender.core import render, studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.core.node_build import add_node, fresh_material

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import atlas_fixtures as fx  # noqa: E402

SIZE = (320, 180)


@pytest.fixture(scope="module")
def regions_doc(tmp_path_factory):
    root, name = fx.synthetic_atlas(tmp_path_factory)
    doc, _ = atlas_export.export_regions(atlas.open_atlas(name, root),
                                         ["root", "HPF", "RO", "MID"], descendants=True)
    return doc


def _render(scene, path: Path, shell: bool, regions: bool) -> np.ndarray:
    """Mean of R, G, B (0..255) of a render showing the shell and/or the regions."""
    for obj in scene.objects:
        if obj.get("neuroblend_preset") is not None:
            is_shell = obj["neuroblend_acronym"] == "root"
            obj.hide_render = not (shell if is_shell else regions)
    render.render_still(scene, path)
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64).mean(axis=2)


def _footprint(scene, path: Path) -> np.ndarray:
    """Where the shell is on screen: the shell alone rendered in opaque white."""
    shell = next(o for o in scene.objects if o.get("neuroblend_acronym") == "root")
    glass = shell.material_slots[0].material
    white = fresh_material("white", reuse=False)
    light = add_node(white.node_tree, "ShaderNodeEmission", (0, 0))
    out = add_node(white.node_tree, "ShaderNodeOutputMaterial", (200, 0))
    white.node_tree.links.new(light.outputs[0], out.inputs["Surface"])
    shell.material_slots[0].material = white
    try:
        return _render(scene, path, shell=True, regions=False) > 100
    finally:
        shell.material_slots[0].material = glass


@pytest.mark.render
@pytest.mark.parametrize("engine", ["cycles", pytest.param("eevee", marks=pytest.mark.slow)])
def test_regions_read_through_a_faint_glass_shell_with_a_rim(engine, regions_doc, fresh_scene,
                                                             artifact_dir):
    scene = studio.setup_studio_scene(fresh_scene, engine=engine, resolution=SIZE, samples=16,
                                      denoise=False, bloom=False)
    imported = atlas_import.import_atlas(regions_doc, scene=scene)
    lo, hi = world_bounds(imported.objects, vertices=True, what="atlas regions")
    studio.frame_camera(lo, hi, scene, view=(1.0, -1.4, 0.8))
    alone = _render(scene, artifact_dir / "regions.png", shell=False, regions=True)
    both = _render(scene, artifact_dir / "regions_in_glass.png", shell=True, regions=True)
    shell = _render(scene, artifact_dir / "glass.png", shell=True, regions=False)
    region = alone > 20
    footprint = _footprint(scene, artifact_dir / "footprint.png") & ~region
    assert region.mean() > 0.02 and footprint.mean() > 0.1
    kept = both[region].mean() / alone[region].mean()
    print(f"{scene.render.engine}: kept {kept:.2f}, shell {shell[footprint].mean() / alone[region].mean():.2f} of the regions")
    assert kept >= 0.7, f"regions keep {kept:.0%} of their brightness behind the glass"
    assert shell[footprint].mean() < 0.25 * alone[region].mean()
    # a rim: the shell's outer band is brighter than its middle
    rows, cols = np.nonzero(footprint)
    centre = np.array([rows.mean(), cols.mean()])
    dist = np.linalg.norm(np.column_stack([rows, cols]) - centre, axis=1)
    values = shell[rows, cols]
    outer, inner = values[dist > np.percentile(dist, 90)], values[dist < np.percentile(dist, 30)]
    assert outer.mean() > 2 * inner.mean() and inner.mean() > 1  # a rim, and grey, not void
