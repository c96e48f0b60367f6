"""The NeuroBlend Network add-on: registers, imports a network file, timing and colour controls."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import numpy as np
import pytest

from neuroblend.blender.core import compat
from neuroblend.blender.graph import scene as graph_scene
from neuroblend.files.fileformat import save_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import graph_fixtures as fx  # noqa: E402

ADDON = "neuroblend_network"




def _factor_keys(obj) -> list[tuple[float, float]]:
    (curve,) = compat.fcurves(obj)
    return [tuple(p.co) for p in curve.keyframe_points]


def test_import_then_retime_recolour_and_edge_look(addon, tmp_path):
    save_document(fx.small_network(), tmp_path / "net.pkl")
    result = bpy.ops.neuroblend.import_network(filepath=str(tmp_path / "net.pkl"),
                                               rearrange_start=10, rearrange_end=40,
                                               edge_density=0.5, colormap="viridis")
    assert result == {"FINISHED"}
    root = bpy.context.active_object
    obj = graph_scene.graph_object(root)
    assert len(obj.data.vertices) == 12 and len(obj.data.edges) == 16
    assert _factor_keys(obj) == [(10.0, 0.0), (40.0, 1.0)]
    assert bpy.context.scene.camera is not None and bpy.context.scene.frame_end >= 40
    settings = root.neuroblend_graph
    assert (settings.rearrange_start, settings.rearrange_end) == (10, 40)
    assert settings.colormap == "viridis"

    delays = np.empty(12, dtype=np.float32)
    obj.data.attributes["nb_delay"].data.foreach_get("value", delays)
    settings.rearrange_end = 70
    settings.stagger = 0.0
    assert _factor_keys(obj) == [(10.0, 0.0), (70.0, 1.0)]
    obj.data.attributes["nb_delay"].data.foreach_get("value", delays)
    assert np.all(delays == 0.0)  # no stagger: everyone leaves together
    settings.colormap = "magma"
    assert root["nb_colormap"] == "magma"
    settings.edge_color = (1.0, 0.0, 0.0)
    settings.edge_strength = 2.5
    look = graph_scene.graph_settings(root)
    assert look["edge_color"] == pytest.approx((1.0, 0.0, 0.0)) and look["edge_strength"] == 2.5


def test_import_reports_bad_files_and_timing(addon, tmp_path):
    with pytest.raises(RuntimeError, match="no such file"):
        bpy.ops.neuroblend.import_network(filepath=str(tmp_path / "missing.pkl"))
    save_document(fx.small_network(), tmp_path / "net.pkl")
    with pytest.raises(RuntimeError, match="END after START"):
        bpy.ops.neuroblend.import_network(filepath=str(tmp_path / "net.pkl"),
                                          rearrange_start=50, rearrange_end=20)
    assert not any(o.get("nb_graph") for o in bpy.data.objects)
