"""Atlas shot of a film: atlas regions with the glass context brain (no clock)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroblend.blender.core import studio
from neuroblend.blender.core.bounds import world_bounds


def build(job: dict, scene) -> dict:
    """Atlas regions with the glass context brain (no clock)."""
    from neuroblend.blender.atlas import atlas_import
    from neuroblend.blender.core import scale_bar

    look = dict(job["look"])
    setting = look.pop("scale_bar", "auto")
    imported = atlas_import.import_atlas_file(Path(job["data"]), scene=scene, **look)
    lo, hi = world_bounds(imported.objects, vertices=True, what="atlas regions")
    studio.frame_camera(lo, hi, scene, view=tuple(job["view"]))
    scale_bar.add_camera_scale_bar(scene, setting, micrometres=1000.0)
    return {"center": ((np.asarray(lo) + np.asarray(hi)) / 2).tolist()}
