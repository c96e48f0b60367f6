"""The NeuroBlend Units add-on: registers, imports a units file (with atlas regions), controls
on the root, and bad files reported as one error."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import pytest

from neuroblend.files.fileformat import save_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import units_docs  # noqa: E402

ADDON = "neuroblend_units"


def test_import_units_with_controls(addon, tmp_path):
    save_document(units_docs.random_units(12, 300, 2000.0), tmp_path / "u.pkl")
    result = bpy.ops.neuroblend.import_units(filepath=str(tmp_path / "u.pkl"), color_by="probe",
                                             frames_per_ms=0.05)
    assert result == {"FINISHED"}
    root = bpy.context.active_object
    assert root.get("nb_units") == 12 and root["nb_frames_per_ms"] == pytest.approx(0.05)
    scene = bpy.context.scene
    assert scene.camera is not None and scene.frame_end == scene.frame_start + 100
    units = bpy.data.objects["u units"]
    assert units.parent == root
    assert len(units.data.vertices) == 12
    shanks = [o for o in root.children if o is not units]
    assert len(shanks) == 4  # one line per shank
    material = bpy.data.materials["NB Units u"]  # the root's controls drive its material
    driven = {d.data_path: d.driver.variables[0].targets[0] for d in
              material.node_tree.animation_data.drivers}
    for key in ("nb_unit_glow", "nb_unit_brightness", "nb_time_start", "nb_frames_per_ms"):
        target = driven[f'nodes["{key}"].outputs[0].default_value']
        assert target.id == root and target.data_path == f'["{key}"]'
    assert root["nb_time_start"] == 0.0 and root["nb_unit_glow"] == 6.0


def test_import_reports_bad_files(addon, tmp_path):
    with pytest.raises(RuntimeError, match="no such file|not a NeuroBlend|cannot"):
        bpy.ops.neuroblend.import_units(filepath=str(tmp_path / "missing.pkl"))
    atlas_like = tmp_path / "u.pkl"
    save_document(units_docs.random_units(3, 10, 100.0), atlas_like)
    with pytest.raises(RuntimeError, match="not placed in an atlas|is a neuroblend.units"):
        bpy.ops.neuroblend.import_units(filepath=str(atlas_like), atlas_file=str(atlas_like))
