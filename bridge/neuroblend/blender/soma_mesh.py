"""Soma shapes of a cell mesh (numpy only): the equal-area sphere, how to tell a traced outline
from a plain cylinder soma, and the trunk flare that blends tubes into the soma.

The traced soma itself is a smooth tube along the outline's axis (a NEURON soma traced from a
contour is a stack of widths along its long axis), built by ``neuron_mesh`` with the soma's own
side count; this module decides when to use it and how the trunks widen into the soma.
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


def soma_sphere(points, radii, nseg: int, first_row: int, shown_radius_um: float, sides: int,
                units_per_um: float) -> dict:
    """A UV sphere of ``shown_radius_um`` at the soma's centre; rows by projection on its axis."""
    center, radius = soma_center_radius(points, radii)
    points = np.asarray(points, dtype=np.float64)
    lat = max(4, sides // 2)
    theta = np.pi * np.arange(1, lat) / lat
    phi = 2 * np.pi * np.arange(sides) / sides
    unit = np.stack([np.outer(np.sin(theta), np.cos(phi)), np.outer(np.sin(theta), np.sin(phi)),
                     np.repeat(np.cos(theta)[:, None], sides, axis=1)], axis=2).reshape(-1, 3)
    unit = np.concatenate([[[0, 0, 1.0]], unit, [[0, 0, -1.0]]])
    center_bu = center * units_per_um
    positions = center_bu + unit * shown_radius_um * units_per_um
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
        "radius": np.full(len(unit), radius), "rows": rows,
        "faces": [top, bottom, quads],
    }


def flare_radii(positions, radii, soma_center, soma_radius: float):
    """Trunk radii widened near the soma: a hillock that enters the soma without a seam.

    Inside half the soma radius a trunk is 0.6 x the soma radius wide; the flare falls off
    smoothly to the traced radius one soma radius outside the surface.
    """
    distance = np.linalg.norm(np.asarray(positions) - soma_center, axis=1)
    t = np.clip((distance - 0.5 * soma_radius) / (1.5 * soma_radius), 0.0, 1.0)
    weight = (1 - t) ** 2 * (1 + 2 * t)  # smoothstep from 1 (inside) to 0 (outside)
    return np.maximum(radii, radii + weight * np.maximum(0.6 * soma_radius - radii, 0.0))
