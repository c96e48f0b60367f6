"""Neuron morphologies as meshes: one object per cell, tubes along the 3D points, built with numpy.

Every vertex carries the row of ``values`` it shows (integer point attribute ``nb_compartment``),
mapped by normalised arc length: compartment k of a section with n compartments covers
[k/n, (k+1)/n). Rings are inserted (twice, one per side) at every compartment boundary so no face
spans two compartments. A child tube starts at its parent's point at ``parent_x``, so branch
points join without gaps. Each vertex also stores its ring centre (``nb_center``) and the traced
radius in um (``nb_radius``): the "NB Tube Thickness" geometry-nodes modifier recomputes the tube
radius from them, so thickness options change after import without rebuilding the mesh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import bpy
import numpy as np

from neuroblend.blender import compat
from neuroblend.blender.node_build import add_math, node_group

ROW_ATTRIBUTE = "nb_compartment"
CENTER_ATTRIBUTE = "nb_center"
RADIUS_ATTRIBUTE = "nb_radius"
THICKNESS_GROUP = "NB Tube Thickness"
THICKNESS_MODIFIER = "NeuroBlend Thickness"
_EPS = 1e-6


@dataclass(frozen=True)
class TubeOptions:
    """How sections become tubes. Lengths in um; ``units_per_um`` scales into Blender units."""

    radius_scale: float = 1.0
    min_radius: float = 0.25
    homogeneity: float = 0.0  # 0: traced radii, 1: every tube at the cell's mean radius
    resolution: int = 8  # vertices around a tube
    soma: str = "sphere"  # "sphere" or "traced"
    units_per_um: float = 0.01

    def check(self) -> TubeOptions:
        """Return self, or raise ValueError naming the bad option."""
        if self.soma not in ("sphere", "traced"):
            raise ValueError(f"soma shape {self.soma!r}: choose 'sphere' or 'traced'")
        if not 3 <= int(self.resolution) <= 64:
            raise ValueError(f"tube resolution {self.resolution}: choose 3..64")
        if not (self.radius_scale > 0 and self.units_per_um > 0 and self.min_radius >= 0):
            raise ValueError("radius scale and units per um must be positive, minimum radius >= 0")
        if not 0 <= self.homogeneity <= 1:
            raise ValueError(f"homogeneity {self.homogeneity}: choose 0..1")
        return self


def tube_radius(radius_um, mean_um: float, options: TubeOptions):
    """Displayed radius (um) from the traced radius: homogeneity, scale, then the minimum."""
    blended = (1.0 - options.homogeneity) * np.asarray(radius_um) + options.homogeneity * mean_um
    return np.maximum(options.min_radius, options.radius_scale * blended)


# --------------------------------------------------------------------------- numpy geometry

@dataclass
class CellGeometry:
    """Mesh arrays of one cell (positions in Blender units, radii in um)."""

    positions: np.ndarray  # float32 [V, 3]
    centers: np.ndarray  # float32 [V, 3]
    radius_um: np.ndarray  # float32 [V] traced radius
    rows: np.ndarray  # int32 [V] global row of values
    loop_start: np.ndarray  # int32 [F]
    loop_vertices: np.ndarray  # int32 [L]
    cap: np.ndarray  # bool [F] flat-shaded end caps
    mean_radius_um: float


def cell_geometry(cell: dict, options: TubeOptions = TubeOptions()) -> CellGeometry:
    """Tube (and soma sphere) geometry of one cell of a simulation document."""
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

    point_sec = np.repeat(np.arange(n_sec), np.diff(offsets))
    frac, length = _arc_fractions(points, offsets, point_sec)
    key = 2.0 * point_sec + frac  # non-decreasing over all points
    tubes = ~is_soma if options.soma == "sphere" else np.ones(n_sec, dtype=bool)
    tubes &= length > _EPS

    st = _stations(points, radii, key, offsets, frac, point_sec, nseg, parent, parent_x, tubes)
    parts = [_tube_mesh(st, first_row, mean_r, options)]
    if options.soma == "sphere":
        for i in np.flatnonzero(is_soma):
            parts.append(_soma_sphere(points[offsets[i]:offsets[i + 1]],
                                      radii[offsets[i]:offsets[i + 1]],
                                      int(nseg[i]), int(first_row[i]), mean_r, options))
    return _concatenate(parts, mean_r)


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


def _stations(points, radii, key, offsets, frac, point_sec, nseg, parent, parent_x, tubes):
    """Ring stations of every tube section, sorted along each section.

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
    stub = {"sec": child, "frac": np.full(len(child), -1.0), "prio": np.zeros(len(child)),
            "comp": np.zeros(len(child)), "pos": at_parent, "radius": radii[offsets[child]]}

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


def _tangents(st):
    pos = st["pos"]
    m = len(pos)
    seg = np.zeros((m, 3))
    seg[:-1] = np.diff(pos, axis=0)
    seg[~(st["link"] | st["split_a"])] = 0.0
    seg_len = np.linalg.norm(seg, axis=1, keepdims=True)
    unit = np.where(seg_len > _EPS, seg / np.maximum(seg_len, _EPS), 0.0)
    prev = np.zeros_like(unit)
    prev[1:] = unit[:-1]
    prev[st["first"]] = 0.0
    tangent = prev + unit
    # the two rings of a boundary pair share one tangent (no crack at bends)
    a = np.flatnonzero(st["split_a"])
    if len(a):
        shared = prev[a] + unit[a + 1]
        tangent[a] = tangent[a + 1] = shared
    norm = np.linalg.norm(tangent, axis=1, keepdims=True)
    bad = norm[:, 0] < _EPS
    if bad.any():  # isolated zero-length steps: fall back to the section's overall direction
        tangent[bad] = _section_direction(st)[bad]
        norm = np.linalg.norm(tangent, axis=1, keepdims=True)
    return tangent / np.maximum(norm, _EPS)


def _section_direction(st):
    pos, sec = st["pos"], st["sec"]
    starts = np.flatnonzero(st["first"])
    ends = np.flatnonzero(st["last"])
    direction = pos[ends] - pos[starts]
    direction[np.linalg.norm(direction, axis=1) < _EPS] = (0.0, 0.0, 1.0)
    run = np.searchsorted(starts, np.arange(len(sec)), side="right") - 1
    return direction[run]


def _ring_frames(tangent, run_direction):
    """Normal/binormal per station from one reference axis per section (little twist)."""
    axes = np.eye(3)
    ref = axes[np.argmin(np.abs(run_direction), axis=1)]
    normal = ref - np.sum(ref * tangent, axis=1, keepdims=True) * tangent
    weak = np.linalg.norm(normal, axis=1) < 0.05
    if weak.any():
        alt = axes[np.argmin(np.abs(tangent[weak]), axis=1)]
        normal[weak] = alt - np.sum(alt * tangent[weak], axis=1, keepdims=True) * tangent[weak]
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    return normal, np.cross(tangent, normal)


def _tube_mesh(st, first_row, mean_r, options):
    res = int(options.resolution)
    m = len(st["pos"])
    if m == 0:
        return _empty()
    tangent = _tangents(st)
    normal, binormal = _ring_frames(tangent, _section_direction(st))
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
    end_caps = ring[st["last"]] + k
    start_caps = ring[st["first"]] + k[:, ::-1]
    rows = (first_row[st["sec"]] + st["comp"]).astype(np.int32)
    return {
        "positions": positions.reshape(-1, 3),
        "centers": np.repeat(centers, res, axis=0),
        "radius": np.repeat(st["radius"], res),
        "rows": np.repeat(rows, res),
        "faces": [quads, np.concatenate([start_caps, end_caps])],
        "cap": [np.zeros(len(quads), bool), np.ones(len(start_caps) + len(end_caps), bool)],
    }


def _soma_sphere(points, radii, nseg, first_row, mean_r, options):
    """A UV sphere with the traced soma's surface area, centred at its mid-length point."""
    res = int(options.resolution)
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    area = float(np.sum(np.pi * (radii[1:] + radii[:-1]) * steps))
    radius = np.sqrt(area / (4 * np.pi)) if area > 0 else float(radii.max())
    cum = np.concatenate([[0.0], np.cumsum(steps)])
    center = (np.array([np.interp(cum[-1] / 2, cum, points[:, d]) for d in range(3)])
              if cum[-1] > 0 else points.mean(axis=0))
    lat = max(3, res // 2)
    theta = np.pi * np.arange(1, lat) / lat
    phi = 2 * np.pi * np.arange(res) / res
    unit = np.stack([np.outer(np.sin(theta), np.cos(phi)), np.outer(np.sin(theta), np.sin(phi)),
                     np.repeat(np.cos(theta)[:, None], res, axis=1)], axis=2).reshape(-1, 3)
    unit = np.concatenate([[[0, 0, 1.0]], unit, [[0, 0, -1.0]]])
    shown = float(tube_radius(radius, mean_r, options)) * options.units_per_um
    center_bu = center * options.units_per_um
    positions = center_bu + unit * shown
    k = np.arange(res)
    k1 = (k + 1) % res
    top = np.stack([np.zeros(res, int), 1 + k1, 1 + k], axis=1)
    south = 1 + (lat - 1) * res
    bottom = np.stack([np.full(res, south), 1 + (lat - 2) * res + k, 1 + (lat - 2) * res + k1],
                      axis=1)
    band = 1 + np.arange(lat - 2)[:, None] * res
    quads = np.stack([band + k, band + res + k, band + res + k1, band + k1], axis=2).reshape(-1, 4)
    # soma compartments by projection on the soma's axis
    axis = points[-1] - points[0]
    span = float(axis @ axis)
    surface = positions / options.units_per_um
    f = np.clip((surface - points[0]) @ axis / span, 0, 1 - 1e-9) if span > 0 else 0 * surface[:, 0]
    rows = (first_row + np.minimum(np.floor(f * nseg), nseg - 1)).astype(np.int32)
    return {
        "positions": positions, "centers": np.repeat(center_bu[None], len(unit), axis=0),
        "radius": np.full(len(unit), radius), "rows": rows,
        "faces": [top, bottom, quads], "cap": [np.zeros(2 * res + len(quads), bool)],
    }


def _empty():
    return {"positions": np.zeros((0, 3)), "centers": np.zeros((0, 3)), "radius": np.zeros(0),
            "rows": np.zeros(0, np.int32), "faces": [], "cap": []}


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
        cap=np.concatenate([c for p in parts for c in p["cap"]]) if parts else np.zeros(0, bool),
        mean_radius_um=mean_r)


# --------------------------------------------------------------------------- Blender objects

def mesh_from_geometry(name: str, geo: CellGeometry):
    """A new mesh datablock with the geometry and its NeuroBlend attributes (bulk foreach_set)."""
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(geo.positions))
    mesh.vertices.foreach_set("co", geo.positions.ravel())
    mesh.loops.add(len(geo.loop_vertices))
    mesh.loops.foreach_set("vertex_index", geo.loop_vertices)
    mesh.polygons.add(len(geo.loop_start))
    mesh.polygons.foreach_set("loop_start", geo.loop_start)
    mesh.update(calc_edges=True)
    mesh.attributes.new(ROW_ATTRIBUTE, "INT", "POINT").data.foreach_set("value", geo.rows)
    mesh.attributes.new(CENTER_ATTRIBUTE, "FLOAT_VECTOR", "POINT").data.foreach_set(
        "vector", geo.centers.ravel())
    mesh.attributes.new(RADIUS_ATTRIBUTE, "FLOAT", "POINT").data.foreach_set(
        "value", geo.radius_um)
    mesh.shade_smooth()
    sharp = mesh.attributes.get("sharp_face") or mesh.attributes.new("sharp_face", "BOOLEAN", "FACE")
    sharp.data.foreach_set("value", geo.cap)
    return mesh


def build_cell_objects(doc: dict, options: TubeOptions = TubeOptions(), *, collection=None,
                       name_prefix: str = "",
                       progress: Callable[[int, int, str], None] | None = None) -> list:
    """One mesh object per cell of simulation document ``doc`` (linked to ``collection``)."""
    options.check()
    collection = collection or bpy.context.scene.collection
    objects = []
    cells = doc["cells"]
    for i, cell in enumerate(cells):
        geo = cell_geometry(cell, options)
        name = f"{name_prefix}{cell['name']}"
        obj = bpy.data.objects.new(name, mesh_from_geometry(name, geo))
        collection.objects.link(obj)
        add_thickness_modifier(obj, geo.mean_radius_um, options)
        objects.append(obj)
        if progress is not None:
            progress(i + 1, len(cells), f"{name}: {len(cell['sections']['name'])} sections, "
                     f"{len(geo.positions)} vertices")
    return objects


def add_thickness_modifier(obj, mean_radius_um: float, options: TubeOptions):
    """Attach the live thickness modifier (radius scale/minimum/homogeneity) to ``obj``."""
    mod = obj.modifiers.get(THICKNESS_MODIFIER) or obj.modifiers.new(THICKNESS_MODIFIER, "NODES")
    mod.node_group = thickness_node_group()
    for key, value in (("Radius Scale", options.radius_scale),
                       ("Minimum Radius", options.min_radius),
                       ("Homogeneity", options.homogeneity),
                       ("Mean Radius", mean_radius_um),
                       ("Units per um", options.units_per_um)):
        compat.set_modifier_input(mod, key, float(value))
    return mod


def thickness_node_group():
    """Geometry nodes: position = centre + direction * tube_radius(nb_radius) (idempotent)."""
    return node_group(THICKNESS_GROUP, "GeometryNodeTree", _build_thickness)


def _build_thickness(group) -> None:
    group.is_modifier = True
    compat.new_socket(group, "Geometry", "INPUT", "NodeSocketGeometry")
    for name, default, lo, hi in (("Radius Scale", 1.0, 0.0, 100.0),
                                  ("Minimum Radius", 0.25, 0.0, 1000.0),
                                  ("Homogeneity", 0.0, 0.0, 1.0),
                                  ("Mean Radius", 1.0, 0.0, 1000.0),
                                  ("Units per um", 0.01, 0.0, 1000.0)):
        sock = compat.new_socket(group, name, "INPUT", "NodeSocketFloat")
        sock.default_value, sock.min_value, sock.max_value = default, lo, hi
    compat.new_socket(group, "Geometry", "OUTPUT", "NodeSocketGeometry")
    nodes, links = group.nodes, group.links
    gin = nodes.new("NodeGroupInput")
    gout = nodes.new("NodeGroupOutput")
    gin.location, gout.location = (-900, 0), (500, 0)

    def attr(name, data_type, x, y):
        node = nodes.new("GeometryNodeInputNamedAttribute")
        node.data_type = data_type
        node.inputs["Name"].default_value = name
        node.location = (x, y)
        node.label = name
        return node

    def math(op, a, b, x, y, label):
        return add_math(group, op, (x, y), a, b, label=label).outputs[0]

    center = attr(CENTER_ATTRIBUTE, "FLOAT_VECTOR", -700, -250)
    radius = attr(RADIUS_ATTRIBUTE, "FLOAT", -700, 200)
    position = nodes.new("GeometryNodeInputPosition")
    position.location = (-700, -400)
    # radius: max(min, scale * ((1 - h) * r + h * mean)) * units
    mix = nodes.new("ShaderNodeMix")
    mix.data_type = "FLOAT"
    mix.location = (-450, 200)
    mix.label = "Homogeneity"
    links.new(gin.outputs["Homogeneity"], mix.inputs["Factor"])
    links.new(radius.outputs["Attribute"], mix.inputs["A"])
    links.new(gin.outputs["Mean Radius"], mix.inputs["B"])
    scaled = math("MULTIPLY", mix.outputs["Result"], gin.outputs["Radius Scale"], -250, 200,
                  "Scale")
    clamped = math("MAXIMUM", scaled, gin.outputs["Minimum Radius"], -50, 200, "Minimum")
    shown = math("MULTIPLY", clamped, gin.outputs["Units per um"], 150, 200, "To scene units")
    direction = nodes.new("ShaderNodeVectorMath")
    direction.operation = "SUBTRACT"
    direction.location = (-450, -300)
    links.new(position.outputs["Position"], direction.inputs[0])
    links.new(center.outputs["Attribute"], direction.inputs[1])
    unit = nodes.new("ShaderNodeVectorMath")
    unit.operation = "NORMALIZE"
    unit.location = (-250, -300)
    links.new(direction.outputs["Vector"], unit.inputs[0])
    offset = nodes.new("ShaderNodeVectorMath")
    offset.operation = "SCALE"
    offset.location = (150, -300)
    links.new(unit.outputs["Vector"], offset.inputs[0])
    links.new(shown, offset.inputs["Scale"])
    moved = nodes.new("ShaderNodeVectorMath")
    moved.operation = "ADD"
    moved.location = (300, -300)
    links.new(center.outputs["Attribute"], moved.inputs[0])
    links.new(offset.outputs["Vector"], moved.inputs[1])
    set_pos = nodes.new("GeometryNodeSetPosition")
    set_pos.location = (300, 0)
    links.new(gin.outputs["Geometry"], set_pos.inputs["Geometry"])
    links.new(moved.outputs["Vector"], set_pos.inputs["Position"])
    links.new(set_pos.outputs["Geometry"], gout.inputs["Geometry"])
