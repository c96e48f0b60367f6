"""Camera presets of a spike scene: the shots people make of a firing cell.

- ``whole``: the whole simulation, framed above the colorbar and below the time label;
- ``soma``: a close-up filling the frame with the (first) soma and its trunks;
- ``dolly``: from ``whole`` in to ``soma``, arriving at the frame where the spike starts (found in
  the baked data: the first sample where any compartment reaches a quarter of the colour range);
- ``orbit``: the whole simulation turning once around the vertical over the frame range.

Motion is keyframed on the camera (or its turntable pivot), and the minimum on-screen tube width
is bound to the camera, so the saved .blend plays the shot with no Python per frame.
"""

from __future__ import annotations

import numpy as np
from mathutils import Vector

from neuroblend import clock
from neuroblend.blender.core import studio
from neuroblend.blender.core.bounds import world_bounds
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.blender.spike import tube_thickness
from neuroblend.errors import NeuroBlendError, OptionError
from neuroblend.simulation.simulation_file import spike_onset
from neuroblend.spike.render_options import CAMERA_PRESETS

PRESETS = CAMERA_PRESETS
SOMA_VIEW_RADII = 1.2  # the close-up frames a box of this many soma radii around its centre
ONSET_FRACTION = 0.25  # the spike "starts" when a value reaches this fraction of the range


def soma_target(root) -> tuple[Vector, float]:
    """World centre and radius of the simulation's first soma (else the cells' bounds)."""
    for obj in spike_playback.cell_objects(root):
        if "nb_soma_center" in obj:
            center = obj.matrix_world @ Vector(tuple(obj["nb_soma_center"]))
            return center, float(obj["nb_soma_radius"]) * obj.matrix_world.to_scale()[0]
    lo, hi = world_bounds(spike_playback.cell_objects(root), what="cells in the simulation")
    lo, hi = Vector(lo), Vector(hi)
    return (lo + hi) / 2, (hi - lo).length / 8


def frame_soma(root, scene):
    """The ``soma`` close-up: the soma and its trunks fill the frame."""
    center, radius = soma_target(root)
    half = Vector((radius, radius, radius)) * SOMA_VIEW_RADII
    camera = studio.frame_camera(center - half, center + half, scene, margin=1.0,
                                 reserve=spike_playback.OVERLAY_RESERVE)
    lo, hi = world_bounds(spike_playback.cell_objects(root), what="cells in the simulation")
    distance = (camera.location - center).length
    camera.data.clip_start = distance * 0.01  # keep near branches, the far cell too
    camera.data.clip_end = distance + 2 * (Vector(hi) - Vector(lo)).length
    tube_thickness.bind_camera(spike_playback.cell_objects(root), scene)
    from neuroblend.blender.spike import overlays as spike_overlays

    spike_overlays.place_overlays(root, scene)
    return camera


def spike_start_frame(root) -> int | None:
    """The frame at which the spike starts (see module docstring), or None without a spike."""
    values = spike_playback.baked_values(root)
    t0, step = float(root["nb_data_time_start"]), float(root["nb_data_step"])
    lo, hi = float(root["nb_value_min"]), float(root["nb_value_max"])
    onset = spike_onset(t0 + step * np.arange(values.shape[1]), values,
                        lo + ONSET_FRACTION * (hi - lo))
    if onset is None:
        return None
    rate, first, time_start = clock.root_clock(root)
    frame = clock.time_to_frame(onset, rate, int(round(first)), time_start)
    return int(round(float(frame)))


def add_dolly(root, scene, frame_start: int, frame_arrive: int):
    """Keyframe the camera from the whole view (``frame_start``) to the soma (``frame_arrive``)."""
    spike_playback.frame_simulation(root, scene)
    camera = scene.camera
    start_location, clip = camera.location.copy(), camera.data.clip_end
    start_focus = camera.data.dof.focus_distance
    frame_soma(root, scene)
    camera.data.clip_end = max(clip, camera.data.clip_end)
    end_location, end_focus = camera.location.copy(), camera.data.dof.focus_distance
    for frame, location, focus in ((frame_start, start_location, start_focus),
                                   (max(frame_arrive, frame_start + 1), end_location, end_focus)):
        camera.location, camera.data.dof.focus_distance = location, focus
        camera.keyframe_insert("location", frame=frame)
        camera.data.keyframe_insert("dof.focus_distance", frame=frame)
    return camera


def apply_camera_preset(root, scene, preset: str = "whole"):
    """Set up the scene camera for ``preset`` (one of :data:`PRESETS`) over the scene's frame
    range; returns the camera."""
    if preset not in PRESETS:
        raise NeuroBlendError(f"camera preset {preset!r}: choose one of {', '.join(PRESETS)}")
    camera = scene.camera
    if camera is not None:
        camera.animation_data_clear()
    start, end = scene.frame_start, scene.frame_end
    if preset in ("dolly", "orbit") and end <= start:
        raise OptionError("frames", f"the {preset!r} camera needs a frame range of two frames "
                                    "or more (e.g. 1-60)")
    if preset == "whole":
        return spike_playback.frame_simulation(root, scene)
    if preset == "soma":
        return frame_soma(root, scene)
    if preset == "dolly":
        arrive = spike_start_frame(root)
        arrive = (start + end) // 2 if arrive is None else int(np.clip(arrive, start + 1, end))
        return add_dolly(root, scene, start, arrive)
    camera = spike_playback.frame_simulation(root, scene, orbit=True)
    lo, hi = world_bounds(spike_playback.cell_objects(root), what="cells in the simulation")
    center = tuple((a + b) / 2 for a, b in zip(lo, hi, strict=True))
    studio.add_turntable(scene, center, start, end)
    return camera
