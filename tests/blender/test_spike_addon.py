"""The neuroblend_spike add-on: register/unregister, import operator, panel operators, reload."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import pytest
from spike_docs import toy_document

from neuroblend.files.fileformat import save_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from network_docs import toy_network  # noqa: E402

ADDON = "neuroblend_spike"




@pytest.fixture
def sim_file(tmp_path):
    path = tmp_path / "toy.pkl"
    save_document(toy_document(n_cells=2), path)
    return path


def test_register_unregister_is_clean(addon):
    assert hasattr(bpy.types, "NEUROBLEND_PT_spike_playback")
    addon.unregister()
    assert not hasattr(bpy.types, "NEUROBLEND_PT_spike_playback")
    assert "import_spike" not in dir(bpy.ops.neuroblend)
    addon.register()  # the fixture unregisters again


def test_import_operator_builds_the_scene(addon, sim_file):
    assert bpy.ops.neuroblend.fit_timeline.poll() is False  # nothing selected yet
    result = bpy.ops.neuroblend.import_spike(filepath=str(sim_file), colorbar=True)
    assert result == {"FINISHED"}
    root = bpy.context.view_layer.objects.active
    assert root.name == "NB Spike toy" and root["nb_spike"] == 1
    cells = [o for o in root.children if o.type == "MESH"]
    assert sorted(o.name for o in cells) == ["toy toy0", "toy toy1"]
    scene = bpy.context.scene
    assert (scene.frame_start, scene.frame_end) == (1, 21)  # one frame per sample
    assert scene.camera is not None
    # panel operators act on the active simulation
    root["nb_frames_per_ms"] = 4.0
    assert bpy.ops.neuroblend.fit_timeline() == {"FINISHED"}
    assert scene.frame_end == 41
    assert bpy.ops.neuroblend.set_colormap(colormap="viridis") == {"FINISHED"}
    assert root["nb_colormap"] == "viridis"
    assert bpy.ops.neuroblend.frame_simulation() == {"FINISHED"}
    assert bpy.ops.neuroblend.range_from_data(low=0.0, high=100.0) == {"FINISHED"}
    assert (root["nb_value_min"], root["nb_value_max"]) == (-70.0, 30.0)  # the toy data's range
    # camera presets: the soma close-up is nearer than the whole view; dolly keyframes the camera
    whole = scene.camera.matrix_world.translation.length
    assert bpy.ops.neuroblend.camera_preset(preset="soma") == {"FINISHED"}
    assert scene.camera.matrix_world.translation.length < whole
    assert bpy.ops.neuroblend.camera_preset(preset="dolly") == {"FINISHED"}
    assert scene.camera.animation_data.action is not None


def test_bad_file_is_reported_not_raised_deep(addon, tmp_path):
    bad = tmp_path / "bad.pkl"
    bad.write_text("not a pickle")
    with pytest.raises(RuntimeError, match="not a pickle file"):
        bpy.ops.neuroblend.import_spike(filepath=str(bad))
    assert not bpy.data.objects


def test_operators_work_on_a_reloaded_file(addon, sim_file, tmp_path):
    """Reopening a .blend replaces every datablock, as undo does (undo itself needs a window's
    undo stack, which background Blender lacks): the panel operators must find the new ones."""
    bpy.ops.neuroblend.import_spike(filepath=str(sim_file))
    blend = tmp_path / "scene.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(blend))
    bpy.ops.wm.open_mainfile(filepath=str(blend))
    root = bpy.data.objects["NB Spike toy"]
    bpy.context.view_layer.objects.active = root
    bpy.context.scene.frame_end = 2
    assert bpy.ops.neuroblend.fit_timeline() == {"FINISHED"}
    assert bpy.context.scene.frame_end > 2
    assert bpy.ops.neuroblend.set_colormap(colormap="magma") == {"FINISHED"}
    assert root["nb_colormap"] == "magma"


def test_import_operator_brings_networks_at_the_chosen_level_of_detail(addon, tmp_path):
    path = tmp_path / "net.pkl"
    save_document(toy_network(), path)
    result = bpy.ops.neuroblend.import_spike(filepath=str(path), level_of_detail="soma")
    assert result == {"FINISHED"}
    root = bpy.context.view_layer.objects.active
    assert root["nb_level_of_detail"] == "soma"
    assert sorted(o.name for o in root.children if o.type == "MESH") == [
        "net connections", "net somata", "net synapses"]
