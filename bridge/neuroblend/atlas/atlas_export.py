"""Atlas regions -> a ``neuroblend.atlas`` document: selection by acronym, the Blender-frame
transform, midline sides and provenance."""

from __future__ import annotations

import numpy as np

from neuroblend.atlas import geometry as geo
from neuroblend.atlas.brainglobe import FORMAT, HEMISPHERES, LocalAtlas, Region
from neuroblend.errors import NeuroBlendError

MAX_ORIGIN_UM = 1e7  # 10 m: beyond any brain, inside float32 coordinates


def resolve_origin(atlas: LocalAtlas, origin) -> np.ndarray:
    """Atlas point (um) that becomes Blender's origin: "center"/"centre", or three numbers."""
    if origin is None or (isinstance(origin, str) and origin.lower() in ("center", "centre")):
        return atlas.centre_um
    values = [float(v) for v in (origin.replace(",", " ").split()
                                 if isinstance(origin, str) else origin)]
    if len(values) != 3 or not (np.abs(values) <= MAX_ORIGIN_UM).all():
        raise NeuroBlendError(f"--origin must be 'center' or three numbers in atlas micrometres "
                              f"within +-{MAX_ORIGIN_UM:g}, got {str(origin)[:60]!r}")
    return np.asarray(values, dtype=float)


def atlas_frame(atlas: LocalAtlas, origin=None) -> tuple[np.ndarray, np.ndarray]:
    """(4x4 transform atlas um -> Blender mm, origin um) of an export with ``origin``: the one
    frame change of atlas coordinates (region meshes, recorded units)."""
    origin_um = resolve_origin(atlas, origin)
    return geo.blender_transform(atlas.orientation, origin_um), origin_um


def select_regions(atlas: LocalAtlas, acronyms, descendants: bool = False) -> list[Region]:
    """The requested regions (plus their descendants if asked), each once, in request order."""
    if not acronyms:
        raise NeuroBlendError("no regions requested; give acronyms, e.g. --regions CA3 DG")
    chosen: dict[int, Region] = {}
    for key in acronyms:
        region = atlas.region(key)
        chosen.setdefault(region.id, region)
        if descendants:
            for child in atlas.descendants(region):
                chosen.setdefault(child.id, child)
    return list(chosen.values())


def export_regions(atlas: LocalAtlas, acronyms, *, descendants: bool = False,
                   hemisphere: str = "both", origin=None) -> tuple[dict, list[str]]:
    """Build a ``neuroblend.atlas`` document; returns (document, warnings)."""
    from neuroblend.files.document import base_meta
    from neuroblend.files.fileformat import make_document

    if hemisphere not in HEMISPHERES:
        raise NeuroBlendError(f"--hemisphere must be one of {', '.join(HEMISPHERES)}, "
                              f"got {hemisphere!r}")
    regions = select_regions(atlas, acronyms, descendants)
    matrix, origin_um = atlas_frame(atlas, origin)
    reflect = np.linalg.det(matrix[:3, :3]) < 0
    midline_x = _midline_x(atlas, matrix)
    out, warnings = [], []
    for region in regions:
        mesh = atlas.mesh(region)
        if mesh is None:
            warnings.append(
                f"region {region.acronym} ({region.name}) has no mesh in the local atlas files "
                f"({atlas.mesh_file(region)}); skipped. "
                + ("" if atlas.layout == "v2" else "Pass --download to fetch it if it exists."))
            continue
        vertices = geo.apply_transform(matrix, mesh[0])
        faces = geo.orient_outward(vertices, mesh[1], reflect)
        if hemisphere != "both":
            vertices, faces = geo.clip_half_space(vertices, faces, 0, midline_x,
                                                  keep_above=hemisphere == "right")
            if len(faces) == 0:
                warnings.append(f"region {region.acronym} has no part in the {hemisphere} "
                                "hemisphere; skipped")
                continue
        out.append({
            "id": region.id, "acronym": region.acronym, "name": region.name,
            "rgb": tuple(region.rgb), "parent_id": region.parent_id,
            "structure_id_path": list(region.path),
            "vertices": np.ascontiguousarray(vertices, dtype=np.float32),
            "faces": np.ascontiguousarray(faces, dtype=np.int32),
            "hemisphere": hemisphere if hemisphere != "both" else _sides(vertices, midline_x),
        })
    if not out:
        raise NeuroBlendError("none of the requested regions has a mesh to export: "
                              + "; ".join(warnings))
    params = {"atlas": atlas.name, "regions": list(acronyms), "descendants": descendants,
              "hemisphere": hemisphere, "origin_um": origin_um.tolist()}
    meta = base_meta(**params)
    meta["warnings"] = list(warnings)
    payload = {
        "atlas": atlas_provenance(atlas),
        "transform": matrix,
        "origin_um": origin_um,
        "midline_x": float(midline_x),
        "hemisphere": hemisphere,
        "regions": out,
    }
    doc = make_document(FORMAT, payload, units={"space": "mm", "source_space": "um"}, meta=meta)
    return doc, warnings


def _midline_x(atlas: LocalAtlas, matrix: np.ndarray) -> float:
    """Blender X of the left-right midline plane (the centre of the r/l atlas axis)."""
    lr_axis = next(i for i, c in enumerate(atlas.orientation.lower()) if c in "rl")
    point = atlas.centre_um.copy()
    point[lr_axis] = atlas.shape_um[lr_axis] / 2.0
    return float(geo.apply_transform(matrix, point[None])[0, 0])


def _sides(vertices: np.ndarray, midline_x: float) -> str:
    x = vertices[:, 0]
    if (x >= midline_x).all():
        return "right"
    if (x <= midline_x).all():
        return "left"
    return "both"


def atlas_provenance(atlas: LocalAtlas) -> dict:
    """Where the geometry came from: atlas name/version/layout/path and its space description."""
    m = atlas.metadata
    return {
        "name": atlas.name, "version": atlas.version, "layout": atlas.layout,
        "path": str(atlas.path), "species": str(m.get("species", "")),
        "citation": str(m.get("citation", "")), "atlas_link": str(m.get("atlas_link", "")),
        "orientation": atlas.orientation, "resolution_um": atlas.resolution_um.tolist(),
        "shape": [int(s) for s in m["shape"]], "symmetric": bool(m.get("symmetric", True)),
    }
