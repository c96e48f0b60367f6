"""Neuron positions of a layered network: the layered layout and a seeded shuffled layout.

World frame (Blender's): layers run along +x, the neurons of a layer along +z (up on screen),
an optional depth along +y (away from a camera looking down +y). Neuron ``k`` is neuron
``k % neurons`` of layer ``k // neurons`` (the ``active[step, layer, neuron]`` order, flattened).
"""

from __future__ import annotations

import math

import numpy as np

from neuroblend.errors import NeuroBlendError

DEFAULT_SIZE = (16.0, 9.0)  # width (x) and height (z) of the layout, scene units


def check_size(size) -> tuple[float, float]:
    """``size`` as two positive floats, or a clear error."""
    width, height = (float(v) for v in size)
    if not (width > 0 and height > 0 and math.isfinite(width * height)):
        raise NeuroBlendError(f"layout size must be two positive numbers, got {size!r}")
    return width, height


def _spread(count: int, extent: float) -> np.ndarray:
    """``count`` evenly spaced coordinates centred on 0 spanning ``extent`` (0 for one)."""
    if count == 1:
        return np.zeros(1)
    return np.linspace(-extent / 2, extent / 2, count)


def neuron_spacing(layers: int, neurons: int, size=DEFAULT_SIZE, depth: int = 1) -> float:
    """The smallest distance between neighbours in the layered layout."""
    width, height = check_size(size)
    rows = -(-neurons // depth)
    gaps = [width / (layers - 1) if layers > 1 else width,
            height / (rows - 1) if rows > 1 else height]
    return float(min(gaps))


def layered_layout(layers: int, neurons: int, size=DEFAULT_SIZE, depth: int = 1) -> np.ndarray:
    """float32 [layers * neurons, 3]: layer l at x_l, its neurons stacked up along z.

    ``depth`` > 1 folds each layer into that many columns along y (a 3-D block of neurons).
    """
    width, height = check_size(size)
    if depth < 1 or depth > neurons:
        raise NeuroBlendError(f"depth must be 1..neurons ({neurons}), got {depth}")
    rows = -(-neurons // depth)
    gap = neuron_spacing(layers, neurons, size, depth)
    index = np.arange(neurons)
    z = -_spread(rows, height)[index // depth]  # neuron 0 at the top
    y = _spread(depth, gap * (depth - 1))[index % depth]
    x = _spread(layers, width)
    out = np.empty((layers, neurons, 3), dtype=np.float32)
    out[..., 0] = x[:, None]
    out[..., 1] = y[None, :]
    out[..., 2] = z[None, :]
    return out.reshape(-1, 3)


def shuffled_layout(count: int, size=DEFAULT_SIZE, depth_extent: float = 0.0,
                    seed: int = 0) -> np.ndarray:
    """float32 [count, 3]: neurons scattered over the same area, seeded, never overlapping.

    Each neuron gets its own cell of a grid covering the area (cells picked at random) and a
    random spot in the middle half of that cell; ``depth_extent`` scatters y as well.
    """
    width, height = check_size(size)
    rng = np.random.default_rng(seed)
    cols = max(1, math.ceil(math.sqrt(count * width / height)))
    rows = max(1, math.ceil(count / cols))
    cells = rng.permutation(rows * cols)[:count]
    jitter = rng.uniform(-0.25, 0.25, size=(count, 2))
    cell_w, cell_h = width / cols, height / rows
    out = np.zeros((count, 3), dtype=np.float32)
    out[:, 0] = -width / 2 + (cells % cols + 0.5 + jitter[:, 0]) * cell_w
    out[:, 2] = height / 2 - (cells // cols + 0.5 + jitter[:, 1]) * cell_h
    if depth_extent > 0:
        out[:, 1] = rng.uniform(-depth_extent / 2, depth_extent / 2, count)
    return out


def shuffled_spacing(count: int, size=DEFAULT_SIZE) -> float:
    """A lower bound on the distance between two neurons of :func:`shuffled_layout` (in x-z)."""
    width, height = check_size(size)
    cols = max(1, math.ceil(math.sqrt(count * width / height)))
    rows = max(1, math.ceil(count / cols))
    return 0.5 * min(width / cols, height / rows)
