"""Branching-network activity: a layered model and its double-exponential smoothing (the grid
animation of it is :mod:`neuroblend.clips.network`).

Model: ``layers`` x ``neurons`` binary units, stepped in discrete time. Units of the first layer
switch on spontaneously with probability ``p_spont`` per step; with k units of a layer active at
step t, each unit of the next layer is active at t + 1 with probability ``min(1, sigma * k / N)``,
so one active unit activates on average exactly ``sigma`` downstream units (the branching ratio:
activity dies out below 1, is carried through the layers unchanged at 1, grows above 1 until a
layer saturates).
"""

from __future__ import annotations

import math

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_KERNEL_DECAY, check_limit

FFT_BLOCK_BYTES = 64 << 20  # temporaries of one block of the smoothing FFTs


def check_parameters(layers: int, neurons: int, sigma: float, p_spont: float, steps: int) -> None:
    """Raise a one-line error for parameters the model cannot run."""
    if layers < 1 or neurons < 1 or steps < 1:
        raise NeuroBlendError(f"layers, neurons and steps must be at least 1 "
                              f"(got {layers}, {neurons}, {steps})")
    if not 0.0 <= sigma <= neurons:
        raise NeuroBlendError(f"sigma must be between 0 and the number of neurons ({neurons}), "
                              f"got {sigma}")
    if not 0.0 <= p_spont <= 1.0:
        raise NeuroBlendError(f"p-spont is a probability (0..1), got {p_spont}")


def simulate_branching(layers: int, neurons: int, sigma: float, p_spont: float, steps: int,
                       seed: int = 0) -> np.ndarray:
    """Run the model; returns ``active`` bool [steps, layers, neurons]."""
    check_parameters(layers, neurons, sigma, p_spont, steps)
    rng = np.random.default_rng(seed)
    active = np.zeros((steps, layers, neurons), dtype=bool)
    for t in range(steps):
        active[t, 0] = rng.random(neurons) < p_spont
        if t and layers > 1:
            drivers = active[t - 1, :-1].sum(axis=1)
            p_on = np.minimum(1.0, sigma * drivers / neurons)
            active[t, 1:] = rng.random((layers - 1, neurons)) < p_on[:, None]
    return active


def double_exponential_kernel(rise: float, decay: float, tail: float = 1e-3) -> np.ndarray:
    """``exp(-t/decay) - exp(-t/rise)`` at t = 0, 1, ... steps, normalised to sum to 1.

    Cut where it falls below ``tail`` of its peak. ``rise`` must be shorter than ``decay``.
    """
    if not 0 < rise < decay:
        raise NeuroBlendError(f"kernel time constants need 0 < rise < decay (got rise={rise}, "
                              f"decay={decay} steps)")
    check_limit("the kernel decay (steps)", decay, MAX_KERNEL_DECAY)
    length = int(math.ceil(decay * math.log(1.0 / tail))) + 2
    t = np.arange(length, dtype=np.float64)
    kernel = np.exp(-t / decay) - np.exp(-t / rise)
    peak = kernel.max()
    kernel = kernel[: max(2, int(np.flatnonzero(kernel >= tail * peak)[-1]) + 1)]
    return kernel / kernel.sum()


def smooth_activity(activity: np.ndarray, kernel: np.ndarray,
                    block_bytes: int = FFT_BLOCK_BYTES) -> np.ndarray:
    """Causal convolution along axis 0 (time), full length ``T + len(kernel) - 1``.

    The kernel sums to 1, so the total activity is preserved (the tail lets the last steps fade).
    The FFTs run over blocks of columns of about ``block_bytes`` each, so their temporaries stay
    small whatever the network's size (only the float32 result is whole).
    """
    x = np.asarray(activity)
    n = x.shape[0] + len(kernel) - 1
    size = 1 << (n - 1).bit_length()
    columns = x.reshape(x.shape[0], -1)
    out = np.empty((n, columns.shape[1]), dtype=np.float32)
    kernel_spectrum = np.fft.rfft(np.asarray(kernel, dtype=np.float64), size)[:, None]
    block = max(1, block_bytes // (16 * size))
    for start in range(0, columns.shape[1], block):
        part = columns[:, start:start + block].astype(np.float64)
        spectrum = np.fft.rfft(part, size, axis=0) * kernel_spectrum
        out[:, start:start + block] = np.fft.irfft(spectrum, size, axis=0)[:n]
    return out.reshape((n,) + x.shape[1:])
