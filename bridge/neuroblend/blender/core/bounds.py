"""World-space bounding boxes of objects (the one home for framing and placement bounds)."""

from __future__ import annotations

import bpy
import numpy as np

from neuroblend.errors import NeuroBlendError


def _corners(obj, vertices: bool, evaluated: bool) -> np.ndarray:
    instanced: list[np.ndarray] = []
    if evaluated:
        depsgraph = bpy.context.evaluated_depsgraph_get()
        instanced = [] if vertices else _instance_corners(obj, depsgraph)
        obj = obj.evaluated_get(depsgraph)
        if instanced and not _has_own_geometry(obj):  # geometry nodes made only instances
            return np.concatenate(instanced)
    matrix = np.array(obj.matrix_world)
    if vertices:
        co = np.empty(len(obj.data.vertices) * 3, dtype=np.float32)
        obj.data.vertices.foreach_get("co", co)
        local = co.reshape(-1, 3)
    else:
        local = np.array([tuple(c) for c in obj.bound_box] or [(0.0, 0.0, 0.0)], dtype=np.float64)
    return np.concatenate([local @ matrix[:3, :3].T + matrix[:3, 3], *instanced])


def _instance_corners(obj, depsgraph) -> list[np.ndarray]:
    """World corners of the bounding boxes of every instance ``obj`` makes (geometry nodes)."""
    found = []
    for instance in depsgraph.object_instances:
        if instance.is_instance and instance.parent and instance.parent.original == obj.original:
            box = np.array([tuple(c) for c in instance.object.bound_box], dtype=np.float64)
            matrix = np.array(instance.matrix_world)
            found.append(box @ matrix[:3, :3].T + matrix[:3, 3])
    return found


def _has_own_geometry(evaluated) -> bool:
    data = evaluated.data
    return bool(getattr(data, "vertices", None) and len(data.vertices)) or \
        bool(getattr(data, "points", None) and len(data.points))


def world_bounds(objects, *, vertices: bool = False, evaluated: bool = False,
                 what: str = "objects") -> tuple[np.ndarray, np.ndarray]:
    """World-space (min, max) of ``objects``: their bounding-box corners, or every mesh vertex
    (``vertices``), of the evaluated objects (``evaluated``: modifiers applied, and the
    instances geometry nodes make counted)."""
    points = [_corners(obj, vertices, evaluated) for obj in objects]
    if not points:
        raise NeuroBlendError(f"nothing to frame: no {what}")
    stacked = np.concatenate(points)
    return stacked.min(axis=0), stacked.max(axis=0)
