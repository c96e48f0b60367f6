"""Branching-network activity: a layered model, double-exponential smoothing, a grid animation.

Model: ``layers`` x ``neurons`` binary units, stepped in discrete time. Units of the first layer
switch on spontaneously with probability ``p_spont`` per step; with k units of a layer active at
step t, each unit of the next layer is active at t + 1 with probability ``min(1, sigma * k / N)``,
so one active unit activates on average exactly ``sigma`` downstream units (the branching ratio:
activity dies out below 1, is carried through the layers unchanged at 1, grows above 1 until a
layer saturates).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from neuroblend.clips.figure import (
    TEXT_COLOR,
    ClipText,
    fit_axes,
    frame_pixels,
    new_canvas,
    style_axes,
)
from neuroblend.clips.writer import FrameWriter
from neuroblend.colormaps.luts import get_lut
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


class NetworkAnimator:
    """Colormapped grid of smoothed activity (layers left to right, neurons top to bottom)."""

    def __init__(self, smoothed: np.ndarray, size=(1280, 720), cmap: str = "inferno",
                 vmax: float | None = None, labels: bool = True, text: ClipText | None = None,
                 clock: bool = True):
        from matplotlib.colors import ListedColormap

        self.smoothed = smoothed
        self.size = (int(size[0]), int(size[1]))
        steps, layers, neurons = smoothed.shape
        if vmax is None:
            vmax = float(np.percentile(smoothed, 99.9)) or float(smoothed.max()) or 1.0
        text = text or ClipText()
        self.fig, self.canvas = new_canvas(self.size)
        ax = self.ax = self.fig.add_axes([0, 0, 1, 1])
        style_axes(ax, self.size, show=labels, xlabel="layer", ylabel="neuron", text=text)
        self.image = ax.imshow(smoothed[0].T, cmap=ListedColormap(get_lut(cmap)), vmin=0.0,
                               vmax=vmax, aspect="auto", interpolation="nearest",
                               extent=(0.5, layers + 0.5, neurons + 0.5, 0.5), animated=True)
        self.clock = (self.fig.text(0.98, 0.98, "", color=TEXT_COLOR, ha="right", va="top",
                                    fontproperties=text.props(self.size), animated=True)
                      if labels and clock else None)
        if labels:
            ax.set_xticks(range(1, layers + 1, max(1, layers // 5)))
            top = 0.0
            if self.clock is not None:
                self.clock.set_text(f"step {steps}")
                top = self.clock.get_window_extent(self.canvas.get_renderer()).height * 1.2
            fit_axes(self.fig, self.canvas, ax, top=top)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def draw(self, step: int) -> np.ndarray:
        """Draw time step ``step``; returns a uint8 [height, width, 4] view of the pixels."""
        self.canvas.restore_region(self.background)
        self.image.set_data(self.smoothed[step].T)
        self.ax.draw_artist(self.image)
        if self.clock is not None:
            self.clock.set_text(f"step {step}")
            self.fig.draw_artist(self.clock)
        return frame_pixels(self.canvas)


def render_network_clip(smoothed: np.ndarray, out, *, fps: float = 30.0, size=(1280, 720),
                        cmap: str = "inferno", labels: bool = True,
                        progress: bool = True, text: ClipText | None = None) -> Path:
    """One frame per smoothed time step to ``out`` (MP4 or PNG folder); returns ``out``."""
    animator = NetworkAnimator(smoothed, size, cmap, labels=labels, text=text)
    with FrameWriter(out, animator.size, fps, total=len(smoothed), progress=progress) as writer:
        for step in range(len(smoothed)):
            writer.write(animator.draw(step))
    return Path(out)
