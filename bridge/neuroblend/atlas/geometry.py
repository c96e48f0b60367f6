"""Geometry for atlas meshes: BrainGlobe space -> Blender frame, outward winding, midline clipping.

The Blender frame is right-handed: +X = the subject's right, +Y = anterior, +Z = superior, in
millimetres. A BrainGlobe space is described by an orientation string such as ``"asr"``: each letter
names the side where that axis *starts* (``"asr"``: axis 0 runs anterior->posterior, axis 1
superior->inferior, axis 2 right->left), coordinates in micrometres. That frame is left-handed, so
the mapping is a reflection (determinant -1): a rotation alone would mirror the brain left-right.
"""

from __future__ import annotations

import numpy as np

from neuroblend.errors import NeuroBlendError

# Blender axis and sign of an atlas axis that starts at the given side (runs away from it).
_AXIS_OF_SIDE = {
    "r": (0, -1.0), "l": (0, 1.0),
    "a": (1, -1.0), "p": (1, 1.0),
    "s": (2, -1.0), "i": (2, 1.0),
}


def orientation_matrix(orientation: str) -> np.ndarray:
    """3x3 matrix taking a BrainGlobe-space vector (any orientation string) to Blender axes."""
    letters = orientation.lower()
    if len(letters) != 3 or {_AXIS_OF_SIDE.get(c, (None,))[0] for c in letters} != {0, 1, 2}:
        raise NeuroBlendError(
            f"unsupported atlas orientation {orientation!r}: expected three letters, one of "
            "a/p, one of s/i and one of r/l (BrainGlobe convention, e.g. 'asr')")
    rot = np.zeros((3, 3))
    for atlas_axis, side in enumerate(letters):
        blender_axis, sign = _AXIS_OF_SIDE[side]
        rot[blender_axis, atlas_axis] = sign
    return rot


def blender_transform(orientation: str, origin_um) -> np.ndarray:
    """4x4 affine: atlas point (um, atlas axis order) -> Blender point (mm), ``origin_um`` -> 0.

    ``blender = R @ (atlas - origin) / 1000`` with ``R = orientation_matrix(orientation)``.
    """
    rot = orientation_matrix(orientation) / 1000.0
    matrix = np.eye(4)
    matrix[:3, :3] = rot
    matrix[:3, 3] = -rot @ np.asarray(origin_um, dtype=float)
    return matrix


def apply_transform(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Apply a 4x4 affine to points [N,3]; float64 result."""
    points = np.asarray(points, dtype=float)
    return points @ matrix[:3, :3].T + matrix[:3, 3]


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Signed volume of a closed triangle mesh: positive when its normals face outward."""
    v = np.asarray(vertices, dtype=float)
    f = np.asarray(faces)
    if len(f) == 0:
        return 0.0
    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    centre = v.mean(axis=0)  # reduces round-off; the volume of a closed mesh does not depend on it
    return float(np.einsum("ij,ij->i", a - centre, np.cross(b - centre, c - centre)).sum() / 6.0)


def orient_outward(vertices: np.ndarray, faces: np.ndarray, flip: bool) -> np.ndarray:
    """Faces wound so normals face outward in a right-handed frame.

    ``flip`` says the transform reflected the mesh (determinant < 0), which reverses every
    triangle's orientation; the result is then checked by signed volume and reversed again if the
    source mesh itself was wound inward.
    """
    faces = np.asarray(faces)
    if flip:
        faces = faces[:, ::-1]
    if signed_volume(vertices, faces) < 0:
        faces = faces[:, ::-1]
    return np.ascontiguousarray(faces, dtype=np.int32)


def clip_half_space(vertices: np.ndarray, faces: np.ndarray, axis: int, value: float,
                    keep_above: bool) -> tuple[np.ndarray, np.ndarray]:
    """Cut a mesh by the plane ``x[axis] = value`` and keep one side, exactly.

    Triangles crossing the plane are split at the plane (shared edge points are merged, so the
    cut edge is clean); the cut is left open. Winding is preserved. Returns compacted
    (vertices float32 [V,3], faces int32 [F,3]).
    """
    v = np.asarray(vertices, dtype=float)
    f = np.asarray(faces, dtype=np.int64)
    dist = v[:, axis] - value
    if not keep_above:
        dist = -dist
    inside = dist >= 0
    count = inside[f].sum(axis=1)
    pieces = [f[count == 3]]
    new_points = np.empty((0, 3))
    partial = (count == 1) | (count == 2)
    if partial.any():
        tri = f[partial]
        odd_is_inside = count[partial] == 1
        flags = inside[tri] == odd_is_inside[:, None]
        k = flags.argmax(axis=1)  # position of the vertex alone on its side
        order = (k[:, None] + np.arange(3)) % 3
        tri = np.take_along_axis(tri, order, axis=1)  # rotated, cyclic order kept
        a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
        edges = np.concatenate([np.stack([a, b], 1), np.stack([c, a], 1)])
        lo, hi = edges.min(axis=1), edges.max(axis=1)
        keys, inverse = np.unique(lo * len(v) + hi, return_inverse=True)
        u, w = keys // len(v), keys % len(v)
        t = dist[u] / (dist[u] - dist[w])
        new_points = v[u] + t[:, None] * (v[w] - v[u])
        ids = len(v) + inverse
        p_ab, p_ca = ids[: len(tri)], ids[len(tri):]
        lone_in = odd_is_inside
        pieces.append(np.stack([a, p_ab, p_ca], 1)[lone_in])
        quad = ~lone_in
        pieces.append(np.stack([p_ab[quad], b[quad], c[quad]], 1))
        pieces.append(np.stack([p_ab[quad], c[quad], p_ca[quad]], 1))
    all_points = np.vstack([v, new_points])
    kept = np.vstack(pieces)
    used = np.unique(kept)
    remap = np.full(len(all_points), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return (all_points[used].astype(np.float32),
            remap[kept].astype(np.int32).reshape(-1, 3))
