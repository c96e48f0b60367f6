"""Every add-on property named like a setting of its feature's options starts at that option's
default: the add-ons read their defaults from the settings tables (or this test says which
one drifted), so a user gets the same look from the panel as from the command line."""

from __future__ import annotations

import importlib
import sys
from dataclasses import MISSING, fields
from pathlib import Path

import pytest

from neuroblend.atlas.render_options import AtlasRenderOptions
from neuroblend.graph.render_options import NetworkRenderOptions
from neuroblend.nwb.render_options import UnitsRenderOptions
from neuroblend.spike.playback_settings import SpikeLook
from neuroblend.surface.render_options import SurfaceRenderOptions

ADDONS = Path(__file__).resolve().parents[2] / "addons"
OPTIONS = {"neuroblend_network": NetworkRenderOptions, "neuroblend_surface": SurfaceRenderOptions,
           "neuroblend_atlas": AtlasRenderOptions, "neuroblend_units": UnitsRenderOptions,
           "neuroblend_spike": SpikeLook}
# deliberate differences, with their reason
DIFFERENT = {("neuroblend_spike", "colorbar"): "an import into the user's own scene adds a "
             "camera-parented colorbar only when asked; a render shows one by default"}


def _defaults(cls) -> dict:
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


def _properties(module) -> list[tuple[str, str, object]]:
    """(class, property, default) of every property of the add-on's registered classes."""
    found = []
    for cls in module.classes:
        for name, deferred in getattr(cls, "__annotations__", {}).items():
            if isinstance(deferred, str):  # the add-on's own source, as Blender evaluates it
                deferred = eval(deferred, vars(module))  # noqa: S307
            keywords = getattr(deferred, "keywords", None)
            if keywords is not None and "default" in keywords:
                found.append((cls.__name__, name, keywords["default"]))
    return found


def _same(a, b) -> bool:
    if isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(b, float) or isinstance(a, float):
        return a == pytest.approx(b, rel=1e-6, abs=1e-6)
    return a == b


@pytest.mark.parametrize("addon", sorted(OPTIONS))
def test_addon_defaults_are_the_options_defaults(addon):
    sys.path.insert(0, str(ADDONS))
    try:
        module = importlib.import_module(addon)
    finally:
        sys.path.remove(str(ADDONS))
    options = _defaults(OPTIONS[addon])
    checked = [(c, n, d) for c, n, d in _properties(module)
               if n in options and options[n] is not None]
    drifted = [f"{c}.{n} = {d!r}, options say {options[n]!r}" for c, n, d in checked
               if not _same(d, options[n]) and (addon, n) not in DIFFERENT]
    assert checked, f"{addon}: no property shares a name with {OPTIONS[addon].__name__}"
    assert not drifted, drifted
