"""Keys of a shot's clock: one keyframe per output frame, held until the next."""

from __future__ import annotations

from neuroblend.blender.core import compat


def constant_keys(id_data) -> None:
    """Hold every keyframe of ``id_data`` until the next (one key per output frame)."""
    for curve in compat.fcurves(id_data):
        for point in curve.keyframe_points:
            point.interpolation = "CONSTANT"
