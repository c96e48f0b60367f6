"""matplotlib's colormaps without matplotlib: lookup tables, sRGB conversion, sampling, ramp fitting.

Every colormap registered in matplotlib (and its ``_r`` reverse) is available from the shipped data
file ``data/colormaps.npz`` (written by ``scripts/generate_colormaps.py``): 256-entry sRGB RGBA
tables where entry ``i`` is the colormap at ``(i + 0.5) / 256``. When matplotlib is importable, any
other registered colormap (e.g. one a user registered) works too.

Colours are sRGB as matplotlib gives them unless ``space="linear"`` is asked for; Blender wants
linear (scene-referred) RGB and, with the Standard view transform, displays it back as the same
sRGB, so rendered colours match matplotlib.
"""

from __future__ import annotations

import difflib
import functools
import sys
from importlib import resources

import numpy as np

from neuroblend.errors import NeuroBlendError

LUT_SIZE = 256
MIN_STOPS, MAX_STOPS = 2, 32  # Blender's ColorRamp holds at most 32 stops (MAXCOLORBAND)
NAN_COLOR_CANDIDATES = np.array(
    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]],
    dtype=np.float32,
)  # sRGB; magenta first, the others when a colormap itself passes near magenta


# --- colour space ---------------------------------------------------------------------------

def srgb_to_linear(srgb) -> np.ndarray:
    """sRGB-encoded values (0..1) to linear light, IEC 61966-2-1 piecewise curve (float32)."""
    c = np.asarray(srgb, dtype=np.float64)
    out = np.where(c <= 0.04045, c / 12.92, ((np.maximum(c, 0.04045) + 0.055) / 1.055) ** 2.4)
    return out.astype(np.float32)


def linear_to_srgb(linear) -> np.ndarray:
    """Linear light (0..1) to sRGB encoding, IEC 61966-2-1 piecewise curve (float32)."""
    c = np.asarray(linear, dtype=np.float64)
    powered = 1.055 * np.maximum(c, 0.0031308) ** (1.0 / 2.4) - 0.055
    return np.where(c <= 0.0031308, c * 12.92, powered).astype(np.float32)


def to_8bit(srgb) -> np.ndarray:
    """sRGB floats (0..1) to 8-bit integers the way image writers round them."""
    return np.clip(np.rint(np.asarray(srgb, dtype=np.float64) * 255.0), 0, 255).astype(np.uint8)


def rgba_to_space(rgba: np.ndarray, space: str) -> np.ndarray:
    if space == "srgb":
        return rgba.astype(np.float32, copy=True)
    if space == "linear":
        out = rgba.astype(np.float32, copy=True)
        out[..., :3] = srgb_to_linear(rgba[..., :3])
        return out
    raise NeuroBlendError(f"unknown colour space {space!r}: use 'srgb' or 'linear'")


# --- the colormap table -----------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def colormap_data() -> tuple[dict[str, np.ndarray], dict[str, int], dict[str, int], np.ndarray]:
    """(LUT by name, colour count by name, row by name, fitted stop nodes [map, stops-2, 32])."""
    ref = resources.files("neuroblend") / "data" / "colormaps.npz"
    with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as npz:
        names = [str(n) for n in npz["names"]]
        luts = npz["luts_srgb"].astype(np.float32)
        n_colors = npz["n_colors"]
        fit_nodes = npz["fit_nodes"]
    luts.setflags(write=False)
    return (dict(zip(names, luts, strict=True)),
            {n: int(c) for n, c in zip(names, n_colors, strict=True)},
            {n: i for i, n in enumerate(names)}, fit_nodes)


def _matplotlib_names() -> list[str]:
    """Colormaps registered in an already-imported matplotlib (user ones included)."""
    mpl = sys.modules.get("matplotlib")
    if mpl is None or not hasattr(mpl, "colormaps"):
        return []
    return list(mpl.colormaps)


def list_colormaps() -> list[str]:
    """Every available colormap name, each forward map followed by its ``_r`` reverse."""
    forward = set(colormap_data()[0])
    extra = [n for n in _matplotlib_names() if n not in forward and n.removesuffix("_r") not in forward]
    names = []
    for name in sorted(forward, key=str.lower):
        names += [name, name + "_r"]
    return names + sorted(set(extra), key=str.lower)


def _matplotlib_lut(name: str) -> np.ndarray | None:
    try:
        import matplotlib
    except ImportError:
        return None
    if name not in matplotlib.colormaps:
        return None
    centres = (np.arange(LUT_SIZE) + 0.5) / LUT_SIZE
    return matplotlib.colormaps[name](centres).astype(np.float32)


def lut_srgb(name: str) -> np.ndarray:
    """Read-only sRGB LUT of ``name``; matplotlib-only maps are read fresh (users may re-register)."""
    luts = colormap_data()[0]
    if name in luts:
        return luts[name]
    if name.endswith("_r") and name[:-2] in luts:
        return _reversed(name[:-2])
    lut = _matplotlib_lut(name)
    if lut is None:
        raise _unknown(name)
    lut.setflags(write=False)
    return lut


@functools.cache
def _reversed(name: str) -> np.ndarray:
    lut = np.ascontiguousarray(colormap_data()[0][name][::-1])
    lut.setflags(write=False)
    return lut


def _unknown(name: str) -> NeuroBlendError:
    names = list_colormaps()
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(str(name).lower(), list(lowered), n=5, cutoff=0.5)
    hint = ", ".join(lowered[c] for c in close) if close else "see `list_colormaps()`"
    return NeuroBlendError(
        f"unknown colormap {name!r}; closest names: {hint} ({len(names)} colormaps available)")


def resolve_name(name: str) -> str:
    """``name`` if it is an available colormap, else NeuroBlendError listing the closest names."""
    if not isinstance(name, str) or not name:
        raise NeuroBlendError(f"colormap name must be a non-empty string, not {name!r}")
    try:
        lut_srgb(name)
    except NeuroBlendError:
        raise _unknown(name) from None
    return name


def get_lut(name: str, space: str = "srgb") -> np.ndarray:
    """The colormap as float32 [256, 4] RGBA at texel centres, in ``"srgb"`` or ``"linear"``."""
    return rgba_to_space(lut_srgb(resolve_name(name)), space)


def is_qualitative(name: str) -> bool:
    """True for listed colormaps with few distinct colours (tab10, Set1, ...): best as constant steps."""
    forward = name[:-2] if name.endswith("_r") else name
    n = colormap_data()[1].get(forward)
    return n is not None and interpolation_for(n) == "CONSTANT"


def interpolation_for(n_colors: int) -> str:
    """ColorRamp interpolation for a colormap of ``n_colors`` colours: CONSTANT steps when a
    ramp can hold them all, else LINEAR."""
    return "CONSTANT" if n_colors <= MAX_STOPS else "LINEAR"


def native_lut(name: str, space: str = "srgb") -> np.ndarray:
    """The colours matplotlib picks from: the N colours of a qualitative map (``floor(x * N)``
    picks one, as in matplotlib), else the 256-entry LUT."""
    lut = get_lut(name, space)
    if not is_qualitative(name):
        return lut
    n = colormap_data()[1][name.removesuffix("_r")]
    return lut[((np.arange(n) + 0.5) * LUT_SIZE / n).astype(np.intp)]


def gradient_image(name: str, width: int, height: int) -> np.ndarray:
    """float32 [height, width, 4] sRGB picture of the colormap running left to right (previews)."""
    colors = sample(name, (np.arange(width) + 0.5) / width)
    return np.ascontiguousarray(np.broadcast_to(colors, (height, width, 4)))


def nan_color(name: str, space: str = "linear") -> np.ndarray:
    """A colour for NaN values that stands out from the colormap: magenta unless the map has it."""
    lut = lut_srgb(resolve_name(name))[:, :3]
    distance = np.linalg.norm(lut[None, :, :] - NAN_COLOR_CANDIDATES[:, None, :], axis=2).min(axis=1)
    best = 0 if distance[0] >= 0.35 else int(np.argmax(distance))
    return rgba_to_space(np.append(NAN_COLOR_CANDIDATES[best], 1.0).astype(np.float32), space)


# --- sampling -------------------------------------------------------------------------------

def _check_range(vmin: float, vmax: float) -> None:
    if not (np.isfinite(vmin) and np.isfinite(vmax)):
        raise NeuroBlendError(f"colormap range must be finite numbers, got min={vmin}, max={vmax}")
    if not vmin < vmax:
        raise NeuroBlendError(f"colormap range needs min < max, got min={vmin}, max={vmax}")


def sample(name: str, values, vmin: float = 0.0, vmax: float = 1.0, *, under=None, over=None,
           nan=None, space: str = "srgb") -> np.ndarray:
    """Colours of ``values`` (any shape) as float32 [..., 4], exactly as matplotlib maps them.

    ``(v - vmin) / (vmax - vmin)`` picks an entry of :func:`native_lut` like ``cmap(norm(v))``. Values
    below ``vmin`` get ``under`` (default: the first colour), above ``vmax`` ``over`` (default:
    the last colour) and NaN gets ``nan`` (default :func:`nan_color`). Colours given for
    under/over/nan are in the same ``space`` as the result.
    """
    _check_range(float(vmin), float(vmax))
    lut = native_lut(name, space)
    v = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        x = (v - vmin) / (vmax - vmin)
        idx = np.clip(np.floor(np.nan_to_num(x, nan=0.0, posinf=1.0, neginf=0.0) * len(lut)),
                      0, len(lut) - 1).astype(np.intp)
        out = lut[idx]
        out[x < 0] = lut[0] if under is None else _color4(under)
        out[x > 1] = lut[-1] if over is None else _color4(over)
    out[np.isnan(v)] = nan_color(name, space) if nan is None else _color4(nan)
    return out


def _color4(color) -> np.ndarray:
    c = np.asarray(color, dtype=np.float32).ravel()
    if c.size not in (3, 4) or not np.all(np.isfinite(c)):
        raise NeuroBlendError(f"a colour needs 3 or 4 finite numbers, got {color!r}")
    return c if c.size == 4 else np.append(c, np.float32(1.0))
