"""The ``neuroblend.atlas`` format (v1): atlas regions as meshes already in the Blender frame.

Payload (besides format/version/units/meta)::

    units: {"space": "mm", "source_space": "um"}
    atlas: {name, version, layout ("v3"|"v2"), path, species, citation, atlas_link,
            orientation (BrainGlobe string, e.g. "asr"), resolution_um [3], shape [3], symmetric}
    transform: float64 [4, 4]   # atlas point (um, atlas axis order) -> Blender point (mm)
    origin_um: float64 [3]      # the atlas point placed at Blender's origin
    midline_x: float            # Blender X of the left-right midline plane
    hemisphere: "both"|"left"|"right"   # what was requested
    regions: list of {
        "id": int, "acronym": str, "name": str, "rgb": (r, g, b) ints 0-255 (sRGB),
        "parent_id": int (-1 for the root), "structure_id_path": list[int],
        "vertices": float32 [V, 3] (mm, Blender frame: +X right, +Y anterior, +Z superior),
        "faces": int32 [F, 3] (counter-clockwise seen from outside: normals face outward),
        "hemisphere": "both"|"left"|"right"   # where this mesh lies
    }

``blender = transform @ [atlas_um, 1]``; the transform includes the handedness flip of BrainGlobe's
left-handed spaces, and triangle winding is corrected so every closed mesh has positive volume.
"""

from __future__ import annotations

import numpy as np

from neuroblend.files.limits import MAX_ATLAS_FACES

VERSION = 1
_HEMIS = ("both", "left", "right")


def problems(doc: dict) -> list[str]:
    """What is wrong with an atlas document's payload, field by field."""
    out: list[str] = []
    if not isinstance(doc.get("atlas"), dict) or "name" not in doc.get("atlas", {}):
        out.append("'atlas' must be a dict with the atlas 'name'")
    transform = doc.get("transform")
    if not (isinstance(transform, np.ndarray) and transform.shape == (4, 4)
            and np.isfinite(transform).all()):
        out.append("'transform' must be a finite 4x4 array")
    if doc.get("hemisphere") not in _HEMIS:
        out.append(f"'hemisphere' must be one of {', '.join(_HEMIS)}")
    regions = doc.get("regions")
    if not isinstance(regions, list) or not regions:
        out.append("'regions' must be a non-empty list")
        return out
    for i, region in enumerate(regions):
        out.extend(f"regions[{i}]: {p}" for p in _region_problems(region))
    if not out:
        faces = sum(len(r["faces"]) for r in regions)
        if faces > MAX_ATLAS_FACES:
            out.append(f"its regions hold {faces:,} triangles, over the limit of "
                       f"{MAX_ATLAS_FACES:,} (export fewer regions with `neuroblend atlas export "
                       "--regions ...`)")
    return out


def _region_problems(region) -> list[str]:
    if not isinstance(region, dict):
        return ["must be a dict"]
    out = []
    for key, kind in (("id", int), ("acronym", str), ("name", str)):
        if not isinstance(region.get(key), kind):
            out.append(f"'{key}' must be a {kind.__name__}")
    rgb = region.get("rgb")
    if not (isinstance(rgb, (tuple, list)) and len(rgb) == 3
            and all(isinstance(c, (int, np.integer)) and 0 <= c <= 255 for c in rgb)):
        out.append("'rgb' must be three integers 0-255")
    if region.get("hemisphere") not in _HEMIS:
        out.append(f"'hemisphere' must be one of {', '.join(_HEMIS)}")
    v, f = region.get("vertices"), region.get("faces")
    if not (isinstance(v, np.ndarray) and v.dtype == np.float32 and v.ndim == 2
            and v.shape[1] == 3 and len(v) > 0):
        out.append("'vertices' must be a float32 [V, 3] array")
        return out
    if not np.isfinite(v).all():
        out.append("'vertices' contain NaN or infinite values")
    if not (isinstance(f, np.ndarray) and f.dtype == np.int32 and f.ndim == 2
            and f.shape[1] == 3 and len(f) > 0):
        out.append("'faces' must be an int32 [F, 3] array")
    elif f.min() < 0 or f.max() >= len(v):
        out.append(f"'faces' index outside 0..{len(v) - 1}")
    return out


def summarize(doc: dict) -> dict:
    """Atlas, regions and sizes, for ``neuroblend inspect``."""
    regions = doc["regions"]
    allv = np.vstack([r["vertices"] for r in regions])
    return {
        "atlas": f"{doc['atlas'].get('name')} v{doc['atlas'].get('version', '?')}",
        "hemisphere": doc["hemisphere"],
        "regions": ", ".join(f"{r['acronym']} ({r['hemisphere']})" for r in regions),
        "triangles": int(sum(len(r["faces"]) for r in regions)),
        "vertices": int(len(allv)),
        "bounds_mm": {"min": allv.min(0).round(3).tolist(), "max": allv.max(0).round(3).tolist()},
        "warnings": len(doc.get("meta", {}).get("warnings", [])),
    }
