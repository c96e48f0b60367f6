"""Ring frames of tube stations (numpy only): tangents along each section and a normal/binormal
pair per station with little twist. ``st`` is the station dict built by ``neuron_mesh``.
"""

from __future__ import annotations

import numpy as np

EPS = 1e-6  # lengths below this (um) count as zero


def tangents(st):
    """Unit tangent per station (shared by the two rings of a compartment boundary)."""
    pos = st["pos"]
    m = len(pos)
    seg = np.zeros((m, 3))
    seg[:-1] = np.diff(pos, axis=0)
    seg[~(st["link"] | st["split_a"])] = 0.0
    seg_len = np.linalg.norm(seg, axis=1, keepdims=True)
    unit = np.where(seg_len > EPS, seg / np.maximum(seg_len, EPS), 0.0)
    prev = np.zeros_like(unit)
    prev[1:] = unit[:-1]
    prev[st["first"]] = 0.0
    tangent = prev + unit
    # the two rings of a boundary pair share one tangent (no crack at bends)
    a = np.flatnonzero(st["split_a"])
    if len(a):
        shared = prev[a] + unit[a + 1]
        tangent[a] = tangent[a + 1] = shared
    norm = np.linalg.norm(tangent, axis=1, keepdims=True)
    bad = norm[:, 0] < EPS
    if bad.any():  # isolated zero-length steps: fall back to the section's overall direction
        tangent[bad] = section_direction(st)[bad]
        norm = np.linalg.norm(tangent, axis=1, keepdims=True)
    return tangent / np.maximum(norm, EPS)


def section_direction(st):
    """Each station's section direction (first to last station)."""
    pos, sec = st["pos"], st["sec"]
    starts = np.flatnonzero(st["first"])
    ends = np.flatnonzero(st["last"])
    direction = pos[ends] - pos[starts]
    direction[np.linalg.norm(direction, axis=1) < EPS] = (0.0, 0.0, 1.0)
    run = np.searchsorted(starts, np.arange(len(sec)), side="right") - 1
    return direction[run]


def ring_frames(tangent, run_direction):
    """Normal/binormal per station from one reference axis per section (little twist)."""
    axes = np.eye(3)
    ref = axes[np.argmin(np.abs(run_direction), axis=1)]
    normal = ref - np.sum(ref * tangent, axis=1, keepdims=True) * tangent
    weak = np.linalg.norm(normal, axis=1) < 0.05
    if weak.any():
        alt = axes[np.argmin(np.abs(tangent[weak]), axis=1)]
        normal[weak] = alt - np.sum(alt * tangent[weak], axis=1, keepdims=True) * tangent[weak]
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    return normal, np.cross(tangent, normal)
