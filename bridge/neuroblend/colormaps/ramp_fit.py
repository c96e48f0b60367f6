"""Blender's ColorRamp, modelled in numpy, and the fitter that places at most 32 stops on a
colormap with the smallest error (``fit_ramp``; optimal stops for shipped colormaps are stored)."""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from neuroblend.colormaps.luts import (
    LUT_SIZE,
    MAX_STOPS,
    MIN_STOPS,
    colormap_data,
    get_lut,
    is_qualitative,
    linear_to_srgb,
    lut_srgb,
    resolve_name,
    rgba_to_space,
)
from neuroblend.errors import NeuroBlendError

RAMP_TABLE_SIZE = 256  # Cycles bakes a ColorRamp into RAMP_TABLE_SIZE + 1 samples at i / 256
INTERPOLATIONS = ("LINEAR", "CONSTANT")


class RampFit(NamedTuple):
    """ColorRamp stops fitted to a colormap.

    ``positions`` (float32 [n]) and ``colors_linear`` (float32 [n, 4], linear RGB + alpha) are
    what to put in a Blender ColorRamp with ``interpolation``; ``max_error_8bit`` is the largest
    difference left, in 8-bit sRGB levels, over the 256 texel centres of the colormap.
    """

    positions: np.ndarray
    colors_linear: np.ndarray
    max_error_8bit: float
    interpolation: str



def evaluate_ramp(positions, colors, x, interpolation: str = "LINEAR") -> np.ndarray:
    """Blender's ColorRamp (``BKE_colorband_evaluate``, RGB mode) at ``x``: float [len(x), 4].

    Colours are interpolated as given (linear RGB in Blender); before the first stop and after
    the last the end colours hold; CONSTANT takes the last stop at or below ``x``. Geometry
    nodes evaluate ramps like this.
    """
    pos = np.asarray(positions, dtype=np.float64)
    col = np.asarray(colors, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    right = np.searchsorted(pos, x, side="right")  # first stop with pos > x
    left = np.clip(right - 1, 0, len(pos) - 1)
    if interpolation == "CONSTANT":
        return col[left]
    right_c = np.clip(right, 0, len(pos) - 1)
    span = pos[right_c] - pos[left]
    fac = np.divide(x - pos[left], span, out=np.zeros_like(x), where=span > 0)
    out = col[left] + (col[right_c] - col[left]) * fac[:, None]
    out[x <= pos[0]] = col[0]
    out[right == len(pos)] = col[-1]
    return out


def evaluate_ramp_cycles(positions, colors, x, interpolation: str = "LINEAR") -> np.ndarray:
    """The ColorRamp as Cycles renders it: baked to 257 samples at ``i / 256``, then looked up
    with linear interpolation (LINEAR) or the sample at or below (CONSTANT)."""
    grid = np.arange(RAMP_TABLE_SIZE + 1) / RAMP_TABLE_SIZE
    table = evaluate_ramp(positions, colors, grid, interpolation)
    f = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0) * RAMP_TABLE_SIZE
    i = np.clip(f.astype(np.intp), 0, RAMP_TABLE_SIZE)
    if interpolation == "CONSTANT":
        return table[i]
    t = (f - i)[:, None]
    nxt = np.minimum(i + 1, RAMP_TABLE_SIZE)
    return (1.0 - t) * table[i] + t * table[nxt]


def ramp_error_8bit(name: str, positions, colors_linear, interpolation: str = "LINEAR") -> float:
    """Largest channel difference, in 8-bit sRGB levels, between a ramp and the colormap at the
    256 texel centres, under both Blender's exact evaluation and Cycles' baked table."""
    return _ramp_error(get_lut(name, "srgb"), positions, colors_linear, interpolation)


def _ramp_error(target: np.ndarray, positions, colors_linear, interpolation: str) -> float:
    x = (np.arange(LUT_SIZE) + 0.5) / LUT_SIZE
    worst = 0.0
    for evaluate in (evaluate_ramp, evaluate_ramp_cycles):
        got = evaluate(positions, colors_linear, x, interpolation)
        srgb = linear_to_srgb(np.clip(got[:, :3], 0.0, 1.0))
        err = np.abs(srgb.astype(np.float64) - target[:, :3]).max() * 255.0
        err_alpha = np.abs(got[:, 3] - target[:, 3]).max() * 255.0
        worst = max(worst, float(err), float(err_alpha))
    return worst


def _segment_errors(lin: np.ndarray, weight: np.ndarray, constant: bool) -> np.ndarray:
    """E[a, b]: largest error over the texels strictly between stop nodes a and b.

    LINEAR: stops sit on texel centres a and b and the ramp is their chord in linear RGB.
    CONSTANT: node a is a stop at the texel edge a / 256 holding texel a's colour up to node b.
    Errors are linear differences times ``weight`` (the slope of 8-bit sRGB at each texel), a
    first-order estimate of the 8-bit sRGB error that needs no powers in this cubic loop.
    """
    if constant:  # one extra node: the end of the ramp
        lin = np.vstack([lin, lin[-1:]])
        weight = np.vstack([weight, weight[-1:]])
    n_nodes = len(lin)
    channels = slice(None) if np.ptp(lin[:, 3]) > 0 else slice(0, 3)  # skip a constant alpha
    lin = np.ascontiguousarray(lin[:, channels].T)  # [C, n]
    weight = np.ascontiguousarray(weight[:, channels].T)
    errors = np.full((n_nodes, n_nodes), np.inf, dtype=np.float32)
    idx = np.arange(n_nodes - 1)
    errors[idx, idx + 1] = 0.0
    for length in range(2, n_nodes):
        window = sliding_window_view(lin, length + 1, axis=1)  # [C, a, texels a..a+length]
        start = window[:, :, :1]
        if constant:
            diff = window[:, :, 1:-1] - start
        else:
            t = np.arange(1, length, dtype=np.float32) / np.float32(length)
            diff = (window[:, :, -1:] - start) * t + start
            diff -= window[:, :, 1:-1]
        diff *= sliding_window_view(weight, length + 1, axis=1)[:, :, 1:-1]
        np.abs(diff, out=diff)
        a = np.arange(n_nodes - length)
        errors[a, a + length] = diff.max(axis=(0, 2))
    return errors


def _srgb_slope_8bit(lin: np.ndarray) -> np.ndarray:
    """d(8-bit sRGB)/d(linear) for RGB at each texel (255 for alpha)."""
    rgb = np.maximum(lin[:, :3].astype(np.float64), 0.0031308)
    slope = np.where(lin[:, :3] <= 0.0031308, 12.92, 1.055 / 2.4 * rgb ** (1 / 2.4 - 1))
    return (np.hstack([slope, np.ones((len(lin), 1))]) * 255.0).astype(np.float32)


def _minimax_paths(errors: np.ndarray, max_edges: int) -> list[np.ndarray]:
    """For each budget of 1..max_edges edges, the nodes of a path 0 -> last node minimising the
    largest edge error, with the fewest edges reaching that optimum (one DP for all budgets)."""
    n = len(errors)
    best = errors[0].copy()
    parents = [np.zeros(n, dtype=np.intp)]
    finals = [best[-1]]
    for _ in range(1, max_edges):
        candidate = np.maximum(best[:, None], errors)
        parent = np.argmin(candidate, axis=0)
        best = candidate[parent, np.arange(n)]
        parents.append(parent)
        finals.append(best[-1])
    paths = []
    for budget in range(1, max_edges + 1):
        reachable = np.array(finals[:budget])
        n_edges = int(np.argmax(reachable <= reachable.min() + 1e-6)) + 1
        path = [n - 1]
        for e in range(n_edges - 1, 0, -1):
            path.append(int(parents[e][path[-1]]))
        path.append(0)
        paths.append(np.array(path[::-1]))
    return paths


def optimal_stop_nodes(lut_srgb: np.ndarray, interpolation: str = "LINEAR",
                       max_stops: int = MAX_STOPS) -> list[np.ndarray]:
    """Stop nodes for 2..max_stops stops of a [256, 4] sRGB LUT: texel indices of the stops
    (LINEAR) or texel edges where constant steps start (CONSTANT)."""
    srgb = np.asarray(lut_srgb, dtype=np.float32)
    lin = rgba_to_space(srgb, "linear")
    constant = interpolation == "CONSTANT"
    errors = _segment_errors(lin, _srgb_slope_8bit(lin), constant)
    if constant:  # the last node is the end of the ramp, not a stop
        candidates = [path[:-1] for path in _minimax_paths(errors, max_stops)[1:]]
    else:
        candidates = _minimax_paths(errors, max_stops - 1)
    # the DP's first-order metric ignores Cycles' table smoothing at jumps: never let more stops
    # do worse than fewer by the real error
    best, best_error, chosen = candidates[0], np.inf, []
    for nodes in candidates:
        error = _ramp_from_nodes(srgb, nodes, interpolation).max_error_8bit
        if error < best_error - 1e-6:
            best, best_error = nodes, error
        chosen.append(best)
    return chosen


def _mirror_nodes(nodes: np.ndarray, constant: bool) -> np.ndarray:
    """The stop nodes of the reversed colormap."""
    if constant:
        return np.concatenate([[0], LUT_SIZE - nodes[1:][::-1]])
    return LUT_SIZE - 1 - nodes[::-1]


def _ramp_from_nodes(srgb: np.ndarray, nodes: np.ndarray, interpolation: str) -> RampFit:
    lin = rgba_to_space(srgb, "linear")
    colors = lin[nodes].astype(np.float64)
    if interpolation == "CONSTANT":
        positions = nodes / LUT_SIZE
    else:
        positions = (nodes + 0.5) / LUT_SIZE
        _extend_ends(positions, colors)
    positions = positions.astype(np.float32)
    colors = colors.astype(np.float32)
    positions.setflags(write=False)
    colors.setflags(write=False)
    return RampFit(positions, colors, _ramp_error(srgb, positions, colors, interpolation),
                   interpolation)


def _extend_ends(positions: np.ndarray, colors: np.ndarray) -> None:
    """Move the end stops out to 0 and 1 along the end segments' lines, in place, where the
    colour stays within 0..1.

    The ramp is unchanged at every texel centre but loses the kink half a texel inside its ends,
    which Cycles' baked table would average across.
    """
    for end, inner, edge in ((0, 1, 0.0), (-1, -2, 1.0)):
        slope = (colors[end] - colors[inner]) / (positions[end] - positions[inner])
        extended = colors[end] + slope * (edge - positions[end])
        if np.all((extended >= 0.0) & (extended <= 1.0)):
            colors[end] = extended
            positions[end] = edge


def check_stops(n_stops) -> int:
    """``n_stops`` as an int in 2..32 (Blender's ColorRamp limit), else NeuroBlendError."""
    if isinstance(n_stops, bool) or not isinstance(n_stops, (int, np.integer)):
        raise NeuroBlendError(f"number of ColorRamp stops must be an integer, got {n_stops!r}")
    if not MIN_STOPS <= n_stops <= MAX_STOPS:
        raise NeuroBlendError(
            f"number of ColorRamp stops must be {MIN_STOPS}..{MAX_STOPS} (Blender's limit), "
            f"got {n_stops}")
    return int(n_stops)


def _stored_nodes(name: str, n_stops: int, interpolation: str) -> np.ndarray | None:
    """Precomputed stop nodes from the data file (shipped maps, default interpolation)."""
    forward = name[:-2] if name.endswith("_r") and name[:-2] in colormap_data()[0] else name
    index = colormap_data()[2].get(forward)
    if index is None or interpolation != default_interpolation(forward):
        return None
    row = colormap_data()[3][index, n_stops - MIN_STOPS]
    nodes = row[row >= 0].astype(np.intp)
    return nodes if forward == name else _mirror_nodes(nodes, interpolation == "CONSTANT")


@functools.lru_cache(maxsize=256)
def _fit_cached(name: str, lut_bytes: bytes, n_stops: int, interpolation: str) -> RampFit:
    """The fit for ``name``'s LUT (keyed by its bytes too: a re-registered map is refitted)."""
    srgb = np.frombuffer(lut_bytes, dtype=np.float32).reshape(LUT_SIZE, 4)
    nodes = _stored_nodes(name, n_stops, interpolation)
    if nodes is None:
        nodes = optimal_stop_nodes(srgb, interpolation, n_stops)[-1]
    return _ramp_from_nodes(srgb, nodes, interpolation)


def fit_ramp(name: str, n_stops: int = MAX_STOPS, interpolation: str = "LINEAR") -> RampFit:
    """Place at most ``n_stops`` ColorRamp stops (2..32) where they reduce the error most.

    Stops sit on texel centres (LINEAR) or texel edges (CONSTANT) and carry the colormap's own
    linear colours; their placement minimises the largest 8-bit sRGB error of Blender's
    interpolation in linear RGB (a minimax over stop positions, precomputed in the data file for
    the shipped maps). Fewer stops are returned when more would not reduce the error.
    """
    name = resolve_name(name)
    n_stops = check_stops(n_stops)
    if interpolation not in INTERPOLATIONS:
        raise NeuroBlendError(
            f"ColorRamp interpolation must be one of {', '.join(INTERPOLATIONS)}, "
            f"got {interpolation!r}")
    return _fit_cached(name, lut_srgb(name).tobytes(), n_stops, interpolation)


def default_interpolation(name: str) -> str:
    """CONSTANT for qualitative maps (tab10, Set1, ...), LINEAR for the rest."""
    return "CONSTANT" if is_qualitative(name) else "LINEAR"
