"""The ``neuroblend.heightmap`` file format (v1): a float32 height grid, optionally animated.

Payload:

- ``z``: float32 ``[ny, nx]`` or ``[n_frames, ny, nx]``; NaN marks a hole (no surface there).
  Row 0 is the far (+Y) edge and column 0 the left (-X) edge, as ``imshow(origin="upper")``
  shows the array.
- ``extent``: ``(xmin, xmax, ymin, ymax)``, the positions of the first/last column and of the
  last/first row (the grid's corner samples, not pixel edges).

Units: ``{"xy": str, "z": str}`` (free text, e.g. ``"mm"``; empty when unknown).
"""

from __future__ import annotations

import math

import numpy as np

VERSION = 1


def problems(doc: dict) -> list[str]:
    """What is wrong with a heightmap document's payload, field by field."""
    found = []
    z = doc.get("z")
    if not isinstance(z, np.ndarray):
        found.append(f"z: expected a numpy array, got {type(z).__name__}")
    else:
        if z.dtype != np.float32:
            found.append(f"z: expected float32, got {z.dtype}")
        if z.ndim not in (2, 3):
            found.append(f"z: expected 2 (ny, nx) or 3 (frames, ny, nx) dimensions, got {z.ndim}")
        elif z.shape[-1] < 2 or z.shape[-2] < 2 or z.shape[0] < 1:
            found.append(f"z: shape {z.shape} needs at least 2 rows and 2 columns")
        elif z.dtype.kind == "f" and not np.isfinite(z).any():
            found.append("z: every value is NaN or infinite")
        elif z.dtype.kind == "f" and np.isinf(z).any():
            found.append("z: holds infinite values (holes must be NaN)")
    extent = doc.get("extent")
    if not isinstance(extent, (tuple, list)) or len(extent) != 4:
        found.append(f"extent: expected (xmin, xmax, ymin, ymax), got {extent!r}")
    elif not all(isinstance(v, (int, float)) and math.isfinite(v) for v in extent):
        found.append(f"extent: values must be finite numbers, got {extent!r}")
    elif not (extent[0] < extent[1] and extent[2] < extent[3]):
        found.append(f"extent: needs xmin < xmax and ymin < ymax, got {tuple(extent)}")
    units = doc.get("units")
    if not isinstance(units, dict) or not all(isinstance(units.get(k, ""), str)
                                              for k in ("xy", "z")):
        found.append("units: expected {'xy': str, 'z': str}")
    return found


def summarize(doc: dict) -> dict:
    """Grid size, frame count, extent and value range for ``neuroblend inspect``."""
    z = doc["z"]
    finite = z[np.isfinite(z)]
    return {
        "grid": f"{z.shape[-2]} rows x {z.shape[-1]} columns",
        "frames": 1 if z.ndim == 2 else int(z.shape[0]),
        "extent": tuple(float(v) for v in doc["extent"]),
        "z_range": (float(finite.min()), float(finite.max())),
        "holes": int(np.isnan(z).any(axis=0).sum() if z.ndim == 3 else np.isnan(z).sum()),
    }
