"""Cycles' render device: what Cycles reports, and a scene set to render on the chosen one.

The scene stores only ``cycles.device`` (``GPU``/``CPU``); which GPU backend is used lives in
Blender's preferences, not in the .blend, and Cycles renders a GPU scene on the CPU where no GPU
is configured, so a file saved on a GPU machine renders unchanged on a CPU-only farm node.
"""

from __future__ import annotations

import bpy

from neuroblend.blender.core import compat
from neuroblend.console import blender_output_hidden
from neuroblend.render_device import BACKENDS, DeviceChoice, choose_device


def _cycles_preferences():
    return bpy.context.preferences.addons["cycles"].preferences


def gpu_devices() -> dict[str, tuple[str, ...]]:
    """GPU device names by backend (``{"optix": ("NVIDIA RTX A6000",)}``), as Cycles reports
    them on this machine; empty where Cycles sees only the CPU."""
    prefs = _cycles_preferences()
    found = {}
    for backend in BACKENDS:
        try:
            with blender_output_hidden():  # Cycles' "CUEW initialization failed" warnings
                devices = prefs.get_devices_for_type(backend.upper())
        except (TypeError, ValueError, KeyError):  # a backend this build does not know
            continue
        names = tuple(d.name for d in devices if d.type == backend.upper())
        if names:
            found[backend] = names
    return found


def use_device(scene, request: str = "auto", *, found=None, log=print) -> DeviceChoice:
    """Set ``scene`` (and Cycles' preferences) to render on the device ``request`` names;
    prints one line saying which. ``found`` overrides what Cycles reports (tests)."""
    found = gpu_devices() if found is None else found
    choice = choose_device(request, found)
    prefs = _cycles_preferences()
    if choice.is_gpu:
        prefs.compute_device_type = choice.backend.upper()
        for device in prefs.get_devices_for_type(choice.backend.upper()):
            device.use = device.type == choice.backend.upper()
    scene.cycles.device = "GPU" if choice.is_gpu else "CPU"
    if scene.render.engine == "CYCLES":
        log(choice.describe())
    elif scene.render.engine == compat.EEVEE_ENGINE and not found:
        log("EEVEE: no GPU found, so it renders through software OpenGL (slowly); "
            "Cycles on the CPU is faster here")
    return choice
