"""The NeuroBlend Surface add-on: registers, imports a heightmap, controls and operators work."""

from __future__ import annotations

import bpy
import numpy as np
import pytest

from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.surface import mesh as surface
from neuroblend.blender.surface import slicer
from neuroblend.surface.heightmap import save_heightmap

ADDON = "neuroblend_surface"




def test_import_controls_and_animation_operators(addon, tmp_path):
    z = np.add.outer(np.linspace(0, 1, 12), np.linspace(0, 3, 16))
    z[3, 3] = np.nan
    with pytest.warns(UserWarning, match="1 NaN"):
        save_heightmap(z, extent=(0, 3, 0, 2), path=tmp_path / "hm.pkl")
    assert not bpy.ops.neuroblend.animate_slice.poll()  # nothing selected yet
    result = bpy.ops.neuroblend.import_heightmap(filepath=str(tmp_path / "hm.pkl"),
                                                 colormap="plasma")
    assert result == {"FINISHED"}
    obj = bpy.context.active_object
    assert obj.name == "hm" and tuple(obj.data["nb_grid"]) == (12, 16)
    settings = obj.neuroblend_slicer
    assert settings.colormap == "plasma" and settings.position == pytest.approx(0.5)
    assert bpy.context.scene.camera is not None

    empty, wire, *_ = slicer.slicer_parts(obj)
    settings.axis = "Y"
    settings.position = 0.25
    lo, hi = world_bounds([obj], evaluated=True, what="surface")
    assert empty.location.y == pytest.approx(lo[1] + 0.25 * (hi[1] - lo[1]))
    settings.wireframe = False
    assert wire.hide_render
    settings.height_scale = 2 * settings.height_scale
    assert surface.get_height_scale(obj) == pytest.approx(settings.height_scale)
    settings.band_width = 0.123
    assert slicer.slicer_settings(obj)["band_width"] == pytest.approx(0.123)
    settings.colormap = "no-such-map"  # a console message, the old colormap stays
    assert obj["nb_colormap"] == "plasma" and settings.colormap == "plasma"
    slicer.set_band(obj, strength=7.0)  # changed from Python: the panel shows it, no copy to sync
    assert settings.band_strength == pytest.approx(7.0)

    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1, 20
    assert bpy.ops.neuroblend.animate_slice() == {"FINISHED"}
    scene.frame_set(1)
    first = empty.location.y
    scene.frame_set(20)
    assert empty.location.y > first
    assert bpy.ops.neuroblend.orbit_camera() == {"FINISHED"}
    assert scene.camera.parent is not None


def test_import_of_a_bad_file_reports_an_error(addon, tmp_path):
    (tmp_path / "bad.png").write_bytes(b"no image")
    with pytest.raises(RuntimeError, match="cannot be read as an image"):
        bpy.ops.neuroblend.import_heightmap(filepath=str(tmp_path / "bad.png"))
    assert not any("nb_slicer" in o for o in bpy.data.objects)
