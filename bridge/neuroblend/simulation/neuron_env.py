"""NEURON, imported the one way NeuroBlend uses it (no GUI); NEURON is imported only when called."""

from __future__ import annotations

import os
from typing import Any


def neuron_h() -> Any:
    """NEURON's ``h``, imported without its GUI (no DISPLAY warnings on headless machines)."""
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h

    return h
