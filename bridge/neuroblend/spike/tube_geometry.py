"""Tube geometry of a cell in numpy: stations along each section, side counts adapted to the
on-screen radius, rounded tips, the soma. ``TubeOptions`` holds every tube default."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroblend.spike import soma_mesh, tube_frames
from neuroblend.spike.tube_frames import EPS as _EPS

STUB_STEPS = np.array([0.15, 0.3, 0.45, 0.6, 0.8])  # extra stations on trunks leaving a soma


@dataclass(frozen=True)
class TubeOptions:
    """How sections become tubes. Lengths in um; ``units_per_um`` scales into Blender units.

    Side counts adapt to each tube's on-screen radius (``pixels_per_um``; 0: the whole cell
    across 1920 px, times ``detail`` for close-ups), between 4 and ``resolution``.
    """

    radius_scale: float = 1.0
    min_radius: float = 0.25
    homogeneity: float = 0.0  # 0: traced radii, 1: every tube at the cell's mean radius
    resolution: int = 16  # most vertices around a tube
    soma: str = "auto"  # "auto" (traced outline if the file has one), "sphere" or "traced"
    units_per_um: float = 0.01
    adaptive: bool = True  # False: every tube has ``resolution`` sides
    pixels_per_um: float = 0.0
    detail: float = 1.0
    flare: bool = True  # trunks widen smoothly into the soma
    smoothing: int = 0  # subdivision levels for hero shots (0: off)
    min_pixels: float = 1.5  # minimum on-screen tube width in pixels (0: off)

    def check(self) -> TubeOptions:
        """Return self, or raise ValueError naming the bad option."""
        if self.soma not in ("auto", "sphere", "traced"):
            raise ValueError(f"soma shape {self.soma!r}: choose 'auto', 'sphere' or 'traced'")
        if not 3 <= int(self.resolution) <= 64:
            raise ValueError(f"tube resolution {self.resolution}: choose 3..64")
        if not (self.radius_scale > 0 and self.units_per_um > 0 and self.min_radius >= 0):
            raise ValueError("radius scale and units per um must be positive, minimum radius >= 0")
        if not 0 <= self.homogeneity <= 1:
            raise ValueError(f"homogeneity {self.homogeneity}: choose 0..1")
        if not (0 <= int(self.smoothing) <= 3 and self.min_pixels >= 0 and self.detail > 0):
            raise ValueError("smoothing: choose 0..3; minimum pixels >= 0; detail > 0")
        return self


def tube_radius(radius_um, mean_um: float, options: TubeOptions):
    """Displayed radius (um) from the traced radius: homogeneity, scale, then the minimum."""
    blended = (1.0 - options.homogeneity) * np.asarray(radius_um) + options.homogeneity * mean_um
    return np.maximum(options.min_radius, options.radius_scale * blended)


@dataclass
class CellGeometry:
    """Mesh arrays of one cell (positions in Blender units, radii in um)."""

    positions: np.ndarray  # float32 [V, 3]
    centers: np.ndarray  # float32 [V, 3]
    radius_um: np.ndarray  # float32 [V] traced radius
    rows: np.ndarray  # int32 [V] global row of values
    loop_start: np.ndarray  # int32 [F]
    loop_vertices: np.ndarray  # int32 [L]
    mean_radius_um: float
    soma_center: np.ndarray | None = None  # Blender units, in the cell's own frame
    soma_radius: float = 0.0  # Blender units


def cell_geometry(cell: dict, options: TubeOptions = TubeOptions()) -> CellGeometry:
    """Tube (and soma) geometry of one cell of a simulation document."""
    options.check()
    sec = cell["sections"]
    offsets = np.asarray(sec["point_offsets"], dtype=np.int64)
    points = np.asarray(sec["points"], dtype=np.float64)
    radii = np.asarray(sec["diameters"], dtype=np.float64) / 2.0
    parent = np.asarray(sec["parent"], dtype=np.int64)
    parent_x = np.asarray(sec["parent_x"], dtype=np.float64)
    n_sec = len(offsets) - 1
    comp_section = np.asarray(cell["compartments"]["section"], dtype=np.int64)
    nseg = np.bincount(comp_section, minlength=n_sec)
    first_row = int(cell["row_start"]) + np.concatenate([[0], np.cumsum(nseg)[:-1]])
    is_soma = np.array([t == "soma" for t in sec["type"]], dtype=bool)
    not_soma = ~np.repeat(is_soma, np.diff(offsets))
    mean_r = float(radii[not_soma].mean()) if not_soma.any() else float(radii.mean())
    traced = _traced_somata(options, is_soma, offsets, points, radii)

    point_sec = np.repeat(np.arange(n_sec), np.diff(offsets))
    frac, length = _arc_fractions(points, offsets, point_sec)
    key = 2.0 * point_sec + frac  # non-decreasing over all points
    tubes = ~is_soma & (length > _EPS)

    dense_stub = options.flare & (parent >= 0) & is_soma[np.maximum(parent, 0)]
    st = _stations(points, radii, key, offsets, frac, point_sec, nseg, parent, parent_x, tubes,
                   dense_stub)
    scale = _pixels_per_um(points, options)
    somata = [(i, *soma_mesh.soma_center_radius(points[offsets[i]:offsets[i + 1]],
                                                radii[offsets[i]:offsets[i + 1]]))
              for i in np.flatnonzero(is_soma)]
    if options.flare:
        for i, center, radius in somata:
            trunk = parent[st["sec"]] == i
            st["radius"][trunk] = soma_mesh.flare_radii(st["pos"][trunk], st["radius"][trunk],
                                                        center, radius)
    sides = _side_counts(st, mean_r, scale, options)
    parts = [_tube_mesh(_subset(st, sides == n), first_row, mean_r, options, n)
             for n in np.unique(sides)]
    for i, _center, radius in somata:
        shown = float(tube_radius(radius, mean_r, options))
        parts.append(soma_mesh.soma_surface(
            points[offsets[i]:offsets[i + 1]], radii[offsets[i]:offsets[i + 1]], int(nseg[i]),
            int(first_row[i]), soma_mesh.sphere_sides(shown * scale), bool(traced[i]),
            lambda r: tube_radius(r, mean_r, options), options.units_per_um))
    geo = _concatenate(parts or [_empty()], mean_r)
    if somata:
        geo.soma_center = somata[0][1] * options.units_per_um
        geo.soma_radius = float(tube_radius(somata[0][2], mean_r, options)) * options.units_per_um
    return geo


def _traced_somata(options, is_soma, offsets, points, radii):
    """Which soma sections are drawn as their traced outline (per section, bool)."""
    if options.soma != "auto":
        return is_soma & (options.soma == "traced")
    return np.array([bool(s) and soma_mesh.has_traced_outline(points[offsets[i]:offsets[i + 1]],
                                                               radii[offsets[i]:offsets[i + 1]])
                     for i, s in enumerate(is_soma)], dtype=bool)


def _pixels_per_um(points, options) -> float:
    """On-screen scale the side counts are chosen for (the whole cell across 1920 px)."""
    if options.pixels_per_um > 0:
        return options.pixels_per_um * options.detail
    extent = float(np.max(np.ptp(points, axis=0))) if len(points) else 1.0
    return 1920.0 / max(extent * 1.1, 1.0) * options.detail


def _side_counts(st, mean_r, scale, options):
    """Sides of each station's tube: one count per section, from its widest on-screen radius."""
    if not options.adaptive or len(st["sec"]) == 0:
        return np.full(len(st["sec"]), int(options.resolution))
    shown_px = tube_radius(st["radius"], mean_r, options) * scale
    widest = np.zeros(int(st["sec"].max()) + 1)
    np.maximum.at(widest, st["sec"], shown_px)
    per_sec = np.clip(2 * np.ceil(np.pi * widest / 3.0), 4, int(options.resolution))
    return per_sec[st["sec"]].astype(np.int64)


def _subset(st, keep):
    return {k: v[keep] for k, v in st.items()}


def _arc_fractions(points, offsets, point_sec):
    """Normalised arc length of every point within its section, and each section's length."""
    step = np.zeros(len(points))
    step[1:] = np.linalg.norm(np.diff(points, axis=0), axis=1)
    step[offsets[:-1]] = 0.0
    cum = np.cumsum(step)
    cum -= cum[offsets[:-1]][point_sec]
    length = cum[offsets[1:] - 1]
    frac = np.where(length[point_sec] > _EPS, cum / np.maximum(length[point_sec], _EPS), 0.0)
    return np.minimum(frac, 1.0), length


def _interp(values, key, offsets, sections, fracs):
    """Values (per point) at normalised arc length ``fracs`` along ``sections``."""
    q = 2.0 * sections + fracs
    lo = np.searchsorted(key, q, side="right") - 1
    lo = np.clip(lo, offsets[sections], offsets[sections + 1] - 2)
    span = key[lo + 1] - key[lo]
    t = np.where(span > 0, (q - key[lo]) / np.where(span > 0, span, 1.0), 0.0)
    t = np.clip(t, 0.0, 1.0)
    if values.ndim == 2:
        t = t[:, None]
    return values[lo] * (1 - t) + values[lo + 1] * t


def _stations(points, radii, key, offsets, frac, point_sec, nseg, parent, parent_x, tubes,
              dense_stub):
    """Ring stations of every tube section, sorted along each section (sections marked in
    ``dense_stub`` get extra stations along their stub, for a smooth flare).

    Returns a dict of arrays: sec, pos, radius, comp (local compartment), link (connected to the
    next station), first/last (section ends).
    """
    n = nseg[point_sec]
    boundary_pos = frac * n
    near_boundary = ((np.abs(boundary_pos - np.round(boundary_pos)) < 1e-6)
                     & (np.round(boundary_pos) > 0) & (np.round(boundary_pos) < n))
    keep = tubes[point_sec] & ~near_boundary
    orig_sec = point_sec[keep]
    orig = {"sec": orig_sec, "frac": frac[keep], "prio": np.ones(keep.sum()),
            "comp": np.minimum(np.floor(frac[keep] * n[keep]), n[keep] - 1),
            "pos": points[keep], "radius": radii[keep]}

    # interior compartment boundaries k/n (k = 1..n-1), twice: end of k-1, start of k
    tube_ids = np.flatnonzero(tubes)
    b_sec = np.repeat(tube_ids, nseg[tube_ids] - 1)
    b_k = np.arange(len(b_sec)) - np.repeat(np.cumsum(nseg[tube_ids] - 1) - (nseg[tube_ids] - 1),
                                            nseg[tube_ids] - 1) + 1
    b_frac = b_k / nseg[b_sec]
    b_pos = _interp(points, key, offsets, b_sec, b_frac)
    b_rad = _interp(radii, key, offsets, b_sec, b_frac)
    ends = {"sec": np.repeat(b_sec, 2), "frac": np.repeat(b_frac, 2),
            "prio": np.tile([0.0, 2.0], len(b_sec)),
            "comp": np.stack([b_k - 1, b_k], axis=1).ravel(),
            "pos": np.repeat(b_pos, 2, axis=0), "radius": np.repeat(b_rad, 2)}

    # stubs: a child starts at its parent's point at parent_x (joins without gaps)
    child = tube_ids[parent[tube_ids] >= 0]
    at_parent = _interp(points, key, offsets, parent[child], parent_x[child])
    gap = np.linalg.norm(at_parent - points[offsets[child]], axis=1) > 1e-3
    child, at_parent = child[gap], at_parent[gap]
    along = np.concatenate([[0.0], STUB_STEPS])
    repeat = np.where(dense_stub[child], len(along), 1)
    s = np.concatenate([along[:r] for r in repeat]) if len(child) else np.zeros(0)
    start, first = np.repeat(at_parent, repeat, axis=0), np.repeat(points[offsets[child]], repeat,
                                                                   axis=0)
    stub = {"sec": np.repeat(child, repeat), "frac": s - 1.0, "prio": np.zeros(len(s)),
            "comp": np.zeros(len(s)), "pos": start + (first - start) * s[:, None],
            "radius": np.repeat(radii[offsets[child]], repeat)}

    st = {k: np.concatenate([orig[k], ends[k], stub[k]]) for k in orig}
    order = np.lexsort((st["prio"], st["frac"], st["sec"]))
    st = {k: v[order] for k, v in st.items()}
    same_next = np.zeros(len(order), dtype=bool)
    same_next[:-1] = st["sec"][1:] == st["sec"][:-1]
    split = np.zeros(len(order), dtype=bool)  # boundary pair: coincident rings, not joined
    split[:-1] = (st["prio"][:-1] == 0) & (st["prio"][1:] == 2) & same_next[:-1]
    st["link"] = same_next & ~split
    st["last"] = ~same_next
    st["first"] = np.ones(len(order), dtype=bool)
    st["first"][1:] = ~same_next[:-1]
    st["comp"] = st["comp"].astype(np.int64)
    st["split_a"] = split
    return st


def _tube_mesh(st, first_row, mean_r, options, res):
    """Smooth tubes of ``res`` sides along the stations, closed by pointed tips at the ends."""
    m = len(st["pos"])
    if m == 0:
        return _empty()
    tangent = tube_frames.tangents(st)
    normal, binormal = tube_frames.ring_frames(tangent, tube_frames.section_direction(st))
    angle = 2 * np.pi * np.arange(res) / res
    offsets = (np.cos(angle)[None, :, None] * normal[:, None, :]
               + np.sin(angle)[None, :, None] * binormal[:, None, :])  # [m, res, 3]
    shown = tube_radius(st["radius"], mean_r, options) * options.units_per_um
    centers = st["pos"] * options.units_per_um
    positions = centers[:, None, :] + offsets * shown[:, None, None]
    ring = np.arange(m)[:, None] * res
    k = np.arange(res)[None, :]
    k1 = (k + 1) % res
    r0 = ring[st["link"]]
    quads = np.stack([r0 + k, r0 + k1, r0 + res + k1, r0 + res + k], axis=2).reshape(-1, 4)
    # tips: one vertex per tube end, pushed out along the tangent by the live radius
    first, last = np.flatnonzero(st["first"]), np.flatnonzero(st["last"])
    ends = np.concatenate([first, last])
    direction = np.concatenate([-tangent[first], tangent[last]])
    tip = m * res + np.arange(len(ends))[:, None] + 0 * k
    start_tris = np.stack([ring[first] + k1, ring[first] + k, tip[:len(first)]], axis=2)
    end_tris = np.stack([ring[last] + k, ring[last] + k1, tip[len(first):]], axis=2)
    rows = (first_row[st["sec"]] + st["comp"]).astype(np.int32)
    tip_pos = centers[ends] + direction * shown[ends, None]
    return {
        "positions": np.concatenate([positions.reshape(-1, 3), tip_pos]),
        "centers": np.concatenate([np.repeat(centers, res, axis=0), centers[ends]]),
        "radius": np.concatenate([np.repeat(st["radius"], res), st["radius"][ends]]),
        "rows": np.concatenate([np.repeat(rows, res), rows[ends]]),
        "faces": [quads, np.concatenate([start_tris, end_tris]).reshape(-1, 3)],
    }


def _empty():
    return {"positions": np.zeros((0, 3)), "centers": np.zeros((0, 3)), "radius": np.zeros(0),
            "rows": np.zeros(0, np.int32), "faces": []}


def _concatenate(parts, mean_r) -> CellGeometry:
    base = 0
    starts, loops = [], []
    loop_base = 0
    for part in parts:
        for faces in part["faces"]:
            if len(faces) == 0:
                continue
            size = faces.shape[1]
            starts.append(loop_base + size * np.arange(len(faces)))
            loops.append((faces + base).ravel())
            loop_base += faces.size
        base += len(part["positions"])

    def cat(key, dtype):
        return np.concatenate([p[key] for p in parts]).astype(dtype)

    return CellGeometry(
        positions=cat("positions", np.float32), centers=cat("centers", np.float32),
        radius_um=cat("radius", np.float32), rows=cat("rows", np.int32),
        loop_start=(np.concatenate(starts) if starts else np.zeros(0)).astype(np.int32),
        loop_vertices=(np.concatenate(loops) if loops else np.zeros(0)).astype(np.int32),
        mean_radius_um=mean_r)
