"""Synthetic but realistic reconstructions for tests, benchmarks and the gallery (numpy only).

Each builder returns a cell dict for :func:`neuroblend.simulation.simulation_build.build_simulation_document`:
a traced soma (a NEURON-style stack of contour widths along its long axis, irregular like an
Import3d'd SWC/ASC outline), tortuous tapering dendrites that branch densely, and optionally a
millimetre-long thin axon with collaterals. :func:`spiking_document` adds a back-propagating
spike (each compartment fires at its path distance from the soma divided by a speed), so renders
have a rest period, a spike and recovery.

Kinds: ``"projection"`` (MouseLight-like: ~3 mm axon of 0.4 um, modest dendrites),
``"pyramidal"`` (CA1-like: long apical trunk with a tuft, basal skirt), ``"stellate"`` (L2-like:
many short dense dendrites).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

KINDS = ("projection", "pyramidal", "stellate")


@dataclass
class _Tree:
    """Sections grown so far (lists appended in order; parents come first)."""

    rng: np.random.Generator
    names: list = field(default_factory=list)
    types: list = field(default_factory=list)
    parent: list = field(default_factory=list)
    parent_x: list = field(default_factory=list)
    points: list = field(default_factory=list)
    diameters: list = field(default_factory=list)

    def add(self, kind: str, parent: int, parent_x: float, points, diameters) -> int:
        self.names.append(f"{kind}[{sum(t == kind for t in self.types)}]")
        self.types.append(kind)
        self.parent.append(parent)
        self.parent_x.append(parent_x)
        self.points.append(np.asarray(points, dtype=np.float64))
        self.diameters.append(np.asarray(diameters, dtype=np.float64))
        return len(self.types) - 1


def _unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def _path(rng, start, direction, length: float, step: float, wiggle: float):
    """A tortuous polyline from ``start`` heading along ``direction`` (persistent random walk)."""
    n = max(2, int(np.ceil(length / step)) + 1)
    heading = _unit(direction)
    pts = [np.asarray(start, dtype=np.float64)]
    for _ in range(n - 1):
        heading = _unit(heading + wiggle * rng.normal(size=3))
        pts.append(pts[-1] + heading * (length / (n - 1)))
    return np.array(pts), heading


def _fraction_at(points, i: int) -> float:
    """Normalised arc length of point ``i`` of a polyline."""
    cum = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    return float(cum[i] / cum[-1])


def _branch_dir(rng, heading, spread: float):
    side = _unit(np.cross(heading, rng.normal(size=3)))
    return _unit(heading + spread * side)


def _grow(tree: _Tree, kind: str, parent: int, start, heading, diam: float, depth: int,
          length: float, *, step: float = 6.0, wiggle: float = 0.15, taper: float = 0.75,
          branch: float = 0.9, spread: float = 0.9, parent_x: float = 1.0) -> None:
    """Grow a branching subtree: a section, then (with probability ``branch``) two children."""
    seg_len = length * tree.rng.uniform(0.6, 1.3)
    pts, end_heading = _path(tree.rng, start, heading, seg_len, step, wiggle)
    d = np.linspace(diam, diam * taper, len(pts))
    sec = tree.add(kind, parent, parent_x, pts, d)
    if depth <= 0 or tree.rng.random() > branch:
        return
    for sign in (1.0, -1.0):
        child_heading = _branch_dir(tree.rng, end_heading, spread * sign)
        _grow(tree, kind, sec, pts[-1], child_heading, max(diam * taper * 0.8, 0.3), depth - 1,
              length * 0.85, step=step, wiggle=wiggle, taper=taper, branch=branch, spread=spread)


def _traced_soma(tree: _Tree, length: float, width: float) -> int:
    """A soma traced as an irregular outline: contour widths along the +Y axis (pia up)."""
    n = 11
    y = np.linspace(-length / 2, length / 2, n)
    s = np.linspace(-1, 1, n)
    profile = np.sqrt(np.clip(1 - s**2, 0.02, None)) * (1 + 0.12 * tree.rng.normal(size=n))
    profile[[0, -1]] = 0.15  # the outline closes at both ends
    points = np.stack([0.4 * np.sin(2 * s), y, 0.3 * s**2], axis=1)
    return tree.add("soma", -1, 0.0, points, np.maximum(width * profile, 0.5))


def _projection(tree: _Tree) -> None:
    soma = _traced_soma(tree, 22.0, 16.0)
    for k in range(5):
        heading = _unit((np.cos(k * 1.3), 0.3 + np.sin(k * 1.3), 0.4 * tree.rng.normal()))
        _grow(tree, "dend", soma, (0, 0, 0), heading, 2.0, depth=4, length=70.0,
              parent_x=0.5)
    axon, heading = _path(tree.rng, (0, -11, 0), (0.2, -1, 0.1), 3000.0, 25.0, 0.05)
    main = tree.add("axon", soma, 0.0, axon, np.full(len(axon), 0.4))
    for i in (len(axon) * 35 // 100, len(axon) * 6 // 10, len(axon) * 85 // 100):  # collaterals
        _grow(tree, "axon", main, axon[i], _branch_dir(tree.rng, heading, 2.0), 0.3, depth=3,
              length=220.0, step=20.0, wiggle=0.08, taper=1.0, branch=0.8,
              parent_x=_fraction_at(axon, i))


def _pyramidal(tree: _Tree) -> None:
    soma = _traced_soma(tree, 20.0, 14.0)
    trunk, heading = _path(tree.rng, (0, 10, 0), (0, 1, 0), 380.0, 8.0, 0.05)
    apical = tree.add("apic", soma, 1.0, trunk, np.linspace(3.5, 1.6, len(trunk)))
    for frac in np.linspace(0.1, 0.9, 9):  # oblique dendrites off the trunk
        i = int(frac * (len(trunk) - 1))
        side = _unit((np.cos(frac * 11), 0.35, np.sin(frac * 11)))
        _grow(tree, "apic", apical, trunk[i], side, 0.9, depth=2, length=60.0,
              parent_x=_fraction_at(trunk, i))
    for _ in range(3):  # the tuft
        _grow(tree, "apic", apical, trunk[-1], _branch_dir(tree.rng, heading, 1.2), 1.4, depth=4,
              length=60.0)
    for k in range(6):  # basal skirt
        heading = _unit((np.cos(k * 1.05), -0.8, np.sin(k * 1.05)))
        _grow(tree, "dend", soma, (0, -10, 0), heading, 1.3, depth=4, length=45.0,
              parent_x=0.0)
    axon, _ = _path(tree.rng, (0, -10, 0), (0.1, -1, 0.2), 900.0, 20.0, 0.06)
    tree.add("axon", soma, 0.0, axon, np.full(len(axon), 0.5))


def _stellate(tree: _Tree) -> None:
    soma = _traced_soma(tree, 14.0, 12.0)
    for k in range(9):
        phi = 2 * np.pi * k / 9
        heading = _unit((np.cos(phi), np.sin(phi), 0.5 * tree.rng.normal()))
        _grow(tree, "dend", soma, (0, 0, 0), heading, 1.2, depth=5, length=28.0, step=4.0,
              wiggle=0.25, parent_x=0.5)
    axon, _ = _path(tree.rng, (0, -7, 0), (0, -1, 0.3), 500.0, 15.0, 0.1)
    tree.add("axon", soma, 0.0, axon, np.full(len(axon), 0.4))


_BUILDERS = {"projection": _projection, "pyramidal": _pyramidal, "stellate": _stellate}


def synthetic_cell(kind: str = "pyramidal", seed: int = 0, name: str | None = None) -> dict:
    """One synthetic reconstruction (``kind`` in :data:`KINDS`) as a cell dict with ``nseg``."""
    if kind not in _BUILDERS:
        raise ValueError(f"synthetic cell kind {kind!r}: choose one of {', '.join(KINDS)}")
    tree = _Tree(np.random.default_rng(seed))
    _BUILDERS[kind](tree)
    lengths = [float(np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1))) for p in tree.points]
    nseg = [1 if t == "soma" else int(np.clip(np.ceil(length / 40.0), 1, 25)) | 1
            for t, length in zip(tree.types, lengths, strict=True)]
    return {"name": name or f"{kind}{seed}",
            "sections": {"name": tree.names, "type": tree.types, "parent": tree.parent,
                         "parent_x": tree.parent_x, "points": tree.points,
                         "diameters": tree.diameters},
            "nseg": nseg}


def path_distances(cell: dict) -> np.ndarray:
    """Path distance (um) from the soma's middle to every compartment centre of ``cell``."""
    sec = cell["sections"]
    lengths = np.array([float(np.sum(np.linalg.norm(np.diff(np.asarray(p), axis=0), axis=1)))
                        for p in sec["points"]])
    start = np.zeros(len(lengths))
    for i, (p, x) in enumerate(zip(sec["parent"], sec["parent_x"], strict=True)):
        if p >= 0:  # parents come first
            start[i] = (start[p] + x * lengths[p]) if sec["type"][p] != "soma" else 0.0
    out = []
    for i, n in enumerate(cell["nseg"]):
        centres = (np.arange(n) + 0.5) / n
        out.append(start[i] + centres * lengths[i] * (sec["type"][i] != "soma"))
    return np.concatenate(out)


def spiking_document(kinds=("pyramidal",), *, seed: int = 0, tstop: float = 30.0,
                     dt: float = 0.25, spike_at: float = 10.0, speed_um_per_ms: float = 300.0):
    """A simulation document of synthetic cells side by side, each firing one spike at
    ``spike_at`` ms that spreads from the soma at ``speed_um_per_ms`` (rest -70 mV, peak +30)."""
    from neuroblend.simulation.simulation_build import build_simulation_document

    time = np.arange(0.0, tstop + dt / 2, dt)
    cells, blocks = [], []
    for k, kind in enumerate(kinds):
        cell = synthetic_cell(kind, seed + k, name=f"{kind}{k}")
        shift = np.array([600.0 * k, 0.0, 0.0])
        cell["sections"]["points"] = [p + shift for p in cell["sections"]["points"]]
        onset = spike_at + path_distances(cell) / speed_um_per_ms
        lag = time[None, :] - onset[:, None]
        rise = np.clip(lag / 0.4, 0, 1)
        fall = np.exp(-np.clip(lag - 0.4, 0, None) / 1.2)
        blocks.append(-70.0 + 100.0 * rise * fall - 8.0 * (lag > 2.5) * np.exp(-lag / 8.0))
        cells.append(cell)
    return build_simulation_document(cells, time, np.concatenate(blocks).astype(np.float32),
                                     meta={"source": "neuroblend.spike.synthetic_cells",
                                           "kinds": list(kinds), "seed": int(seed)})
