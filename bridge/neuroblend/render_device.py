"""Which device Cycles renders on, decided from the devices Cycles reports (no bpy here).

``auto`` takes the best GPU backend found (OptiX, then CUDA, HIP, oneAPI, Metal), else the CPU;
``gpu`` takes the best one or fails; a backend name takes that backend or fails, listing what
Cycles sees so the user knows what to ask for instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from neuroblend.errors import NeuroBlendError

BACKENDS = ("optix", "cuda", "hip", "oneapi", "metal")  # best first
DEVICES = ("auto", "cpu", "gpu", *BACKENDS)


@dataclass(frozen=True)
class DeviceChoice:
    """The device a render uses: ``backend`` is ``"cpu"`` or one of :data:`BACKENDS`."""

    backend: str
    names: tuple[str, ...] = ()

    @property
    def is_gpu(self) -> bool:
        return self.backend != "cpu"

    def describe(self) -> str:
        """One line for the console: which device renders."""
        if not self.is_gpu:
            return "Cycles renders on the CPU"
        return f"Cycles renders on the GPU: {', '.join(self.names)} ({self.backend.upper()})"


def seen(found: Mapping[str, tuple[str, ...]]) -> str:
    """What Cycles reports, for error messages: ``"CPU only"`` or ``"CUDA: RTX 4090; CPU"``."""
    gpus = [f"{backend.upper()}: {', '.join(names)}" for backend, names in found.items() if names]
    return "; ".join([*gpus, "CPU"]) if gpus else "CPU only"


def choose_device(request: str, found: Mapping[str, tuple[str, ...]]) -> DeviceChoice:
    """The device for ``request`` (one of :data:`DEVICES`) given ``found``: GPU device names by
    backend, as Cycles reports them."""
    request = request.lower()
    if request not in DEVICES:
        raise NeuroBlendError(f"unknown render device {request!r}: choose one of "
                              f"{', '.join(DEVICES)}")
    available = [b for b in BACKENDS if found.get(b)]
    if request == "cpu" or (request == "auto" and not available):
        return DeviceChoice("cpu")
    if request in ("auto", "gpu"):
        if not available:
            raise NeuroBlendError(f"no GPU that Cycles can use on this machine (Cycles sees "
                                  f"{seen(found)}): render on the CPU or choose 'auto'")
        return DeviceChoice(available[0], tuple(found[available[0]]))
    if not found.get(request):
        raise NeuroBlendError(f"no {request.upper()} device on this machine (Cycles sees "
                              f"{seen(found)}): choose a device it sees, or 'auto'")
    return DeviceChoice(request, tuple(found[request]))
