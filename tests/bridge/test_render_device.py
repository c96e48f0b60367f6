"""Choosing the render device from what Cycles reports (no Blender needed)."""

from __future__ import annotations

import pytest

from neuroblend.errors import NeuroBlendError
from neuroblend.render_device import DEVICES, choose_device

NONE: dict = {}
WORKSTATION = {"cuda": ("NVIDIA RTX 4090",), "optix": ("NVIDIA RTX 4090",)}
AMD = {"hip": ("AMD Radeon PRO W7900",)}


def test_auto_takes_the_best_backend_and_falls_back_to_the_cpu():
    assert choose_device("auto", WORKSTATION).backend == "optix"
    assert choose_device("auto", AMD).backend == "hip"
    cpu = choose_device("auto", NONE)
    assert cpu.backend == "cpu" and not cpu.is_gpu
    assert cpu.describe() == "Cycles renders on the CPU"
    assert "NVIDIA RTX 4090 (OPTIX)" in choose_device("auto", WORKSTATION).describe()


def test_named_backends_and_cpu():
    assert choose_device("cuda", WORKSTATION).backend == "cuda"
    assert choose_device("CPU", WORKSTATION).backend == "cpu"
    assert choose_device("gpu", AMD).names == ("AMD Radeon PRO W7900",)


@pytest.mark.parametrize("request_, found, says", [
    ("gpu", NONE, "Cycles sees CPU only"),
    ("optix", NONE, "no OPTIX device"),
    ("cuda", AMD, "HIP: AMD Radeon PRO W7900; CPU"),
    ("metal", WORKSTATION, "CUDA: NVIDIA RTX 4090"),
    ("vulkan", NONE, "choose one of " + ", ".join(DEVICES)),
])
def test_a_device_that_is_not_there_is_a_clear_error(request_, found, says):
    with pytest.raises(NeuroBlendError, match=says.replace("(", r"\(").replace(")", r"\)")):
        choose_device(request_, found)
