"""A small synthetic BrainGlobe atlas, built with brainglobe-atlasapi's own generation API.

Layout of the atlas (BrainGlobe "asr" space, micrometres; axis 0 anterior->posterior,
axis 1 superior->inferior, axis 2 right->left), volume 4 x 3 x 5 mm at 100 um:

- ``root`` (997): an ellipsoid filling the volume
- ``HPF`` (1): a parent region (bilateral spheres) with children ``CA3`` (2) and ``DG`` (3)
- ``RO`` (4): a region only in the RIGHT hemisphere (small axis-2 values)
- ``NM`` (5): a region with voxels but no mesh
- ``MID`` (6): a sphere straddling the midline

``DG`` and ``RO`` meshes are written with inverted triangle winding on purpose.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np

NAME = "neuroblend_synth"
RESOLUTION_UM = 100
SHAPE = (40, 30, 50)
ATLAS_NAME = f"{NAME}_{RESOLUTION_UM}um"
MIDLINE_UM = SHAPE[2] * RESOLUTION_UM / 2  # 2500 um along axis 2

# id: (acronym, name, parent id, rgb, spheres [(centre a, s, r), radii (a, s, r)], invert)
REGIONS = {
    997: ("root", "root", None, (200, 200, 200),
          [((2000, 1500, 2500), (1800, 1300, 2300))], False),
    1: ("HPF", "Hippocampal formation", 997, (126, 208, 75),
        [((2400, 1000, 1300), (550, 450, 550)), ((2400, 1000, 3700), (550, 450, 550))], False),
    2: ("CA3", "Field CA3", 1, (90, 200, 60),
        [((2200, 1000, 1300), (260, 260, 260)), ((2200, 1000, 3700), (260, 260, 260))], False),
    3: ("DG", "Dentate gyrus", 1, (110, 180, 255),
        [((2650, 1000, 1300), (240, 240, 240)), ((2650, 1000, 3700), (240, 240, 240))], True),
    4: ("RO", "Right-only nucleus", 997, (250, 120, 40),
        [((1000, 2000, 1000), (300, 300, 300))], True),
    5: ("NM", "No-mesh area", 997, (240, 40, 200),
        [((3300, 2300, 2500), (250, 250, 250))], False),
    6: ("MID", "Midline nucleus", 997, (255, 220, 40),
        [((1400, 800, 2500), (350, 300, 700))], False),
}
NO_MESH = {5}


def uv_sphere(center, radii, n_lat=12, n_lon=18):
    """Closed UV ellipsoid (points [V,3], triangles [F,3]) with outward winding in a
    right-handed frame."""
    theta = np.pi * np.arange(1, n_lat) / n_lat
    phi = 2 * np.pi * np.arange(n_lon) / n_lon
    t, p = np.meshgrid(theta, phi, indexing="ij")
    ring = np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], -1).reshape(-1, 3)
    unit = np.vstack([[0, 0, 1], ring, [0, 0, -1]])
    points = np.asarray(center, float) + unit * np.asarray(radii, float)
    n_rings = n_lat - 1
    j = np.arange(n_lon)
    jn = (j + 1) % n_lon
    faces = [np.stack([np.zeros(n_lon, int), 1 + j, 1 + jn], 1)]
    for r in range(n_rings - 1):
        a, b = 1 + r * n_lon + j, 1 + (r + 1) * n_lon + j
        c, d = 1 + (r + 1) * n_lon + jn, 1 + r * n_lon + jn
        faces += [np.stack([a, b, c], 1), np.stack([a, c, d], 1)]
    last = len(points) - 1
    base = 1 + (n_rings - 1) * n_lon
    faces.append(np.stack([base + j, np.full(n_lon, last), base + jn], 1))
    return points, np.vstack(faces)


def region_mesh(region_id, n_lat=12, n_lon=18, regions=None):
    """The synthetic mesh of one region in atlas (asr, um) coordinates, before packaging."""
    regions = REGIONS if regions is None else regions
    parts = [uv_sphere(c, r, n_lat, n_lon) for c, r in regions[region_id][4]]
    points, faces, offset = [], [], 0
    for pts, tri in parts:
        points.append(pts)
        faces.append(tri + offset)
        offset += len(pts)
    faces = np.vstack(faces)
    if regions[region_id][5]:
        faces = faces[:, ::-1]
    return np.vstack(points), faces


def _structure(rid, regions) -> dict:
    """BrainGlobe's structures.json entry of region ``rid`` (its id path runs from the root)."""
    acronym, full, parent, rgb = regions[rid][:4]
    path = [rid]
    while parent is not None:
        path.insert(0, parent)
        parent = regions[parent][2]
    return {"id": rid, "acronym": acronym, "name": full, "structure_id_path": path,
            "rgb_triplet": list(rgb)}


def _volumes():
    grid = np.stack(np.meshgrid(*[np.arange(n) * RESOLUTION_UM for n in SHAPE],
                                indexing="ij"), -1).astype(float)
    annotation = np.zeros(SHAPE, np.uint32)
    for rid in [997, 1, 2, 3, 4, 5, 6]:
        for center, radii in REGIONS[rid][4]:
            inside = (((grid - center) / radii) ** 2).sum(-1) <= 1.0
            annotation[inside] = rid
    reference = (annotation > 0).astype(np.uint16) * 1000 + (annotation % 7).astype(np.uint16) * 50
    return reference, annotation


def build_synthetic_atlas(root: Path, *, n_lat=12, n_lon=18, name=NAME,
                          extra_regions: dict | None = None) -> str:
    """Generate the atlas under ``root`` (a BrainGlobe dir) and return its atlas name.

    ``extra_regions`` adds {id: (acronym, parent, [(centre, radii)])} regions (for benchmarks).
    """
    import meshio
    from brainglobe_atlasapi.atlas_generation.wrapup import wrapup_atlas_from_data

    root = Path(root)
    mesh_dir = root / "source_meshes"
    mesh_dir.mkdir(parents=True, exist_ok=True)
    reference, annotation = _volumes()
    structures, meshes = [], {}
    regions = dict(REGIONS)
    for rid, (acr, parent, spheres) in (extra_regions or {}).items():
        regions[rid] = (acr, f"Extra region {acr}", parent, (80, 160, 240), spheres, False)
    for rid in regions:
        structures.append(_structure(rid, regions))
        if rid in NO_MESH:
            continue
        points, faces = region_mesh(rid, n_lat, n_lon, regions)
        file = mesh_dir / f"{rid}.obj"
        meshio.write(file, meshio.Mesh(points, [("triangle", faces)]))
        meshes[rid] = file
        if rid not in REGIONS:  # extra regions need voxels to be kept
            for center, _radii in regions[rid][4]:
                idx = tuple(int(c // RESOLUTION_UM) for c in center)
                annotation[idx] = rid
    with contextlib.redirect_stdout(io.StringIO()):
        wrapup_atlas_from_data(
            atlas_name=name, atlas_minor_version=0, citation="unpublished",
            atlas_link="http://example.org/neuroblend-synthetic", species="Synthetic (test)",
            resolution=(RESOLUTION_UM,) * 3, orientation="asr", root_id=997,
            reference_stack=reference, annotation_stack=annotation,
            structures_list=structures, meshes_dict=meshes, working_dir=root,
            atlas_packager="NeuroBlend tests",
        )
    return f"{name}_{RESOLUTION_UM}um"


_BUILT: dict[str, tuple[Path, str]] = {}


def synthetic_atlas(tmp_path_factory) -> tuple[Path, str]:
    """(BrainGlobe dir, atlas name) of the v3 synthetic atlas, built once per test session."""
    if "v3" not in _BUILT:
        root = tmp_path_factory.mktemp("brainglobe")
        _BUILT["v3"] = (root, build_synthetic_atlas(root))
    return _BUILT["v3"]


def build_v2_atlas(root: Path, name: str = "neuroblend_v2_100um", version: str = "1.2") -> str:
    """A BrainGlobe v2-layout atlas (metadata.json, structures.json, meshes/ID.obj) under root."""
    import json

    folder = Path(root) / f"{name}_v{version}"
    (folder / "meshes").mkdir(parents=True)
    meta = {"name": name, "citation": "unpublished", "atlas_link": "http://example.org",
            "species": "Synthetic (test)", "symmetric": True, "resolution": [RESOLUTION_UM] * 3,
            "orientation": "asr", "version": version, "shape": list(SHAPE),
            "trasform_to_bg": [], "additional_references": []}
    (folder / "metadata.json").write_text(json.dumps(meta))
    structures = []
    for rid in REGIONS:
        structures.append(_structure(rid, REGIONS))
        if rid in NO_MESH:
            continue
        points, faces = region_mesh(rid)
        lines = [f"v {x:.4f} {y:.4f} {z:.4f}" for x, y, z in points]
        lines += [f"f {a + 1} {b + 1} {c + 1}" for a, b, c in faces]
        (folder / "meshes" / f"{rid}.obj").write_text("\n".join(lines) + "\n")
    (folder / "structures.json").write_text(json.dumps(structures))
    return name
