"""World-space bounding boxes of objects (the one home for framing and placement bounds)."""

from __future__ import annotations

import bpy
import numpy as np

from neuroblend.errors import NeuroBlendError


def _corners(obj, vertices: bool, evaluated: bool) -> np.ndarray:
    if evaluated:
        obj = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
    matrix = np.array(obj.matrix_world)
    if vertices:
        co = np.empty(len(obj.data.vertices) * 3, dtype=np.float32)
        obj.data.vertices.foreach_get("co", co)
        local = co.reshape(-1, 3)
    else:
        local = np.array([tuple(c) for c in obj.bound_box] or [(0.0, 0.0, 0.0)], dtype=np.float64)
    return local @ matrix[:3, :3].T + matrix[:3, 3]


def world_bounds(objects, *, vertices: bool = False, evaluated: bool = False,
                 what: str = "objects") -> tuple[np.ndarray, np.ndarray]:
    """World-space (min, max) of ``objects``: their bounding-box corners, or every mesh vertex
    (``vertices``), of the evaluated objects (``evaluated``: modifiers applied)."""
    points = [_corners(obj, vertices, evaluated) for obj in objects]
    if not points:
        raise NeuroBlendError(f"nothing to frame: no {what}")
    stacked = np.concatenate(points)
    return stacked.min(axis=0), stacked.max(axis=0)
