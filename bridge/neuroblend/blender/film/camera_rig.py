"""Bake a shot's camera move: one keyframe per output frame from the eased camera keys."""

from __future__ import annotations

import math

import numpy as np
from mathutils import Matrix, Vector

from neuroblend.blender.core import compat
from neuroblend.film.camera import camera_states, keys_from_dicts


def bake_camera_move(scene, keys: list[dict], targets: dict, times) -> None:
    """Key the scene camera at frames 1..n (times in seconds into the shot).

    The builder's framing gives the direction and distance at zoom 1; ``target`` points, zoom and
    azimuth (turns around the vertical through the target) follow the eased keys.
    """
    camera = scene.camera
    if not keys or camera is None:
        return
    centre = Vector(targets["center"])
    offset = camera.matrix_world.translation - centre
    distance, direction = offset.length, offset.normalized()
    points, zoom, azimuth = camera_states(keys_from_dicts(keys), targets, np.asarray(times))
    camera.data.clip_start = max(1e-4, distance * float(zoom.min()) * 0.02)
    camera.data.clip_end = distance * 4
    for frame, (point, z, turn) in enumerate(zip(points, zoom, azimuth, strict=True), start=1):
        view = Matrix.Rotation(math.radians(float(turn)), 3, "Z") @ direction
        camera.location = Vector(point) + view * distance * float(z)
        camera.rotation_mode = "XYZ"
        camera.rotation_euler = (-view).to_track_quat("-Z", "Y").to_euler()
        camera.keyframe_insert("location", frame=frame)
        camera.keyframe_insert("rotation_euler", frame=frame)
        camera.data.dof.focus_distance = distance * float(z)  # the target's plane
        camera.data.keyframe_insert("dof.focus_distance", frame=frame)
    compat.set_linear_interpolation(camera)
    compat.set_linear_interpolation(camera.data)
