"""Settings kept as custom properties of a scene's root Empty, with their slider range and
tooltip (the one place they are written; drivers carry them into materials and modifiers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def set_root_properties(root, values: Mapping[str, Any],
                        ui: Mapping[str, tuple[float, float, str]]) -> None:
    """Set ``root[key] = value`` for each of ``values``, with ``ui[key]`` = (soft min, soft
    max, description) as its property UI (booleans get only the description)."""
    for key, value in values.items():
        root[key] = value
        soft_min, soft_max, description = ui[key]
        limits = {} if isinstance(value, bool) else {"soft_min": soft_min, "soft_max": soft_max}
        root.id_properties_ui(key).update(description=description, **limits)
