"""Soma shapes of a cell mesh (numpy only): a smooth closed surface, shaped from the traced
outline when the file has one (a NEURON soma traced from a contour is a stack of widths along its
long axis) or an equal-area sphere, and the trunk flare that blends tubes into the soma.
"""

from __future__ import annotations

import numpy as np


def has_traced_outline(points, diameters) -> bool:
    """True for a soma traced from an outline (many points, varying widths), not a cylinder."""
    diameters = np.asarray(diameters, dtype=np.float64)
    return len(diameters) >= 5 and float(np.std(diameters)) > 0.05 * float(np.mean(diameters))


def soma_center_radius(points, radii) -> tuple[np.ndarray, float]:
    """Centre (the mid-length point) and equal-area radius (um) of a soma section."""
    points = np.asarray(points, dtype=np.float64)
    radii = np.asarray(radii, dtype=np.float64)
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    area = float(np.sum(np.pi * (radii[1:] + radii[:-1]) * steps))
    radius = np.sqrt(area / (4 * np.pi)) if area > 0 else float(radii.max())
    cum = np.concatenate([[0.0], np.cumsum(steps)])
    center = (np.array([np.interp(cum[-1] / 2, cum, points[:, d]) for d in range(3)])
              if cum[-1] > 0 else points.mean(axis=0))
    return center, float(radius)


def sphere_sides(radius_px: float) -> int:
    """Segments around a soma sphere for an on-screen radius (smooth silhouette, 16..64)."""
    return int(np.clip(2 * np.ceil(np.pi * radius_px / 3.0), 16, 64))


def _fibonacci_sphere(n: int) -> np.ndarray:
    """``n`` nearly evenly spread unit vectors (equal solid angle each)."""
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    phi = np.pi * (1 + 5**0.5) * k
    ring = np.sqrt(1 - z**2)
    return np.stack([ring * np.cos(phi), ring * np.sin(phi), z], axis=1)


def outline_radii(points, radii, center, directions) -> np.ndarray:
    """Radius (um) of a smooth blob around the traced outline in each unit ``direction``.

    The outline (a ring of its width around every traced point) gives a support distance per
    direction (on an even spread of 256 directions); averaging it over nearby directions rounds
    off the tracing's corners.
    """
    points = np.asarray(points, dtype=np.float64)
    tangent = np.gradient(points, axis=0) if len(points) > 1 else np.array([[0.0, 0, 1]])
    tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-9)
    helper = np.where(np.abs(tangent[:, 2:3]) < 0.9, [[0.0, 0, 1]], [[1.0, 0, 0]])
    normal = np.cross(tangent, helper)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    binormal = np.cross(tangent, normal)
    angle = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    ring = (np.cos(angle)[None, :, None] * normal[:, None] + np.sin(angle)[None, :, None]
            * binormal[:, None]) * np.asarray(radii, dtype=np.float64)[:, None, None]
    cloud = (points[:, None] + ring).reshape(-1, 3) - center
    spread = _fibonacci_sphere(256)
    support = np.max(spread @ cloud.T, axis=1)
    weight = np.exp(12.0 * (directions @ spread.T - 1.0))
    return np.maximum(weight @ support / weight.sum(axis=1), 1e-3)


def soma_surface(points, radii, nseg: int, first_row: int, sides: int, traced: bool,
                 shown_um, units_per_um: float) -> dict:
    """A smooth closed soma: a UV sphere of the equal-area radius, or (``traced``) shaped from
    the traced outline. ``shown_um(radius_um)`` is the displayed radius (tube_radius); rows by
    projection on the soma's axis. ``nb_radius`` of each vertex is its radius in um."""
    center, radius = soma_center_radius(points, radii)
    points = np.asarray(points, dtype=np.float64)
    lat = max(4, sides // 2)
    theta = np.pi * np.arange(1, lat) / lat
    phi = 2 * np.pi * np.arange(sides) / sides
    unit = np.stack([np.outer(np.sin(theta), np.cos(phi)), np.outer(np.sin(theta), np.sin(phi)),
                     np.repeat(np.cos(theta)[:, None], sides, axis=1)], axis=2).reshape(-1, 3)
    unit = np.concatenate([[[0, 0, 1.0]], unit, [[0, 0, -1.0]]]) @ _pole_frame(points)
    if traced:
        center = points.mean(axis=0)
        vertex_radius = outline_radii(points, radii, center, unit)
    else:
        vertex_radius = np.full(len(unit), radius)
    center_bu = center * units_per_um
    positions = center_bu + unit * (np.asarray(shown_um(vertex_radius)) * units_per_um)[:, None]
    k = np.arange(sides)
    k1 = (k + 1) % sides
    top = np.stack([np.zeros(sides, int), 1 + k1, 1 + k], axis=1)
    south = 1 + (lat - 1) * sides
    last_band = 1 + (lat - 2) * sides
    bottom = np.stack([np.full(sides, south), last_band + k, last_band + k1], axis=1)
    band = 1 + np.arange(lat - 2)[:, None] * sides
    quads = np.stack([band + k, band + sides + k, band + sides + k1, band + k1],
                     axis=2).reshape(-1, 4)
    axis = points[-1] - points[0]
    span = float(axis @ axis)
    surface = positions / units_per_um
    f = (np.clip((surface - points[0]) @ axis / span, 0, 1 - 1e-9) if span > 0
         else np.zeros(len(surface)))
    rows = (first_row + np.minimum(np.floor(f * nseg), nseg - 1)).astype(np.int32)
    return {
        "positions": positions, "centers": np.repeat(center_bu[None], len(unit), axis=0),
        "radius": vertex_radius, "rows": rows, "faces": [top, bottom, quads],
    }


def _pole_frame(points) -> np.ndarray:
    """Rows: an orthonormal frame whose third axis (the sphere's poles) runs along the soma."""
    axis = points[-1] - points[0] if len(points) > 1 else np.zeros(3)
    if np.linalg.norm(axis) < 1e-9:
        return np.eye(3)
    axis = axis / np.linalg.norm(axis)
    helper = np.array([0.0, 0, 1]) if abs(axis[2]) < 0.9 else np.array([1.0, 0, 0])
    first = np.cross(helper, axis)
    first /= np.linalg.norm(first)
    return np.stack([first, np.cross(axis, first), axis])


def flare_radii(positions, radii, soma_center, soma_radius: float):
    """Trunk radii widened near the soma: a hillock that enters the soma without a seam.

    Inside half the soma radius a trunk is 0.6 x the soma radius wide; the flare falls off
    smoothly to the traced radius one soma radius outside the surface.
    """
    distance = np.linalg.norm(np.asarray(positions) - soma_center, axis=1)
    t = np.clip((distance - 0.5 * soma_radius) / (1.5 * soma_radius), 0.0, 1.0)
    weight = (1 - t) ** 2 * (1 + 2 * t)  # smoothstep from 1 (inside) to 0 (outside)
    return np.maximum(radii, radii + weight * np.maximum(0.6 * soma_radius - radii, 0.0))
