"""SWC morphologies in pure Python: read, validate and repair before NEURON ever sees them.

:func:`read_swc` accepts comments and blank lines anywhere and repairs what can be repaired
(missing parents, several trees, no soma, zero radius, zero-length segments, identical repeated
lines, unknown point types, parents listed after their children), issuing one
:class:`MorphologyWarning` line per kind of repair. What cannot be repaired (unreadable lines,
non-finite numbers, an id reused with different data, parent loops) raises ``NeuroBlendError``
naming the line. :func:`write_swc` writes the clean tree (ids 1..N, parents first).

Point order matters to NEURON: Import3d starts a new section wherever a point does not follow
its parent. So repairs keep the file's order, and only when parents are listed after their
children is the tree put in depth-first order (siblings by ascending id). A file that needs no
repair is handed to NEURON unchanged (:attr:`SwcTree.repaired` is False).
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import atomic_path
from neuroblend.files.limits import MAX_SWC_POINTS, check_limit

SOMA, AXON, DEND, APIC = 1, 2, 3, 4
_ZERO_LENGTH = 1e-6  # um
_FALLBACK_RADIUS = 0.5  # um, when a tree has no positive radius at all


class MorphologyWarning(UserWarning):
    """A morphology problem that was repaired while loading."""


@dataclass
class SwcTree:
    """One tree of SWC points; ``parent`` holds row indices (-1 for the root), rows parents-first."""

    types: np.ndarray   # int [N]
    xyz: np.ndarray     # float64 [N, 3] (um)
    radius: np.ndarray  # float64 [N] (um)
    parent: np.ndarray  # int [N]
    lines: np.ndarray   # int [N]: source line of each point
    repaired: bool = False


def read_swc(path: str | os.PathLike, max_points: int = MAX_SWC_POINTS) -> SwcTree:
    """Parse, validate and repair an SWC file (warnings name what was repaired)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise NeuroBlendError(f"{path}: cannot read SWC file ({exc.strerror})") from None
    return parse_swc(text, str(path), max_points)


def parse_swc(text: str, source: str = "<swc>", max_points: int = MAX_SWC_POINTS) -> SwcTree:
    """:func:`read_swc` on a string; ``source`` names the file in messages."""
    repairs: list[str] = []
    rows = _parse_rows(text, source, repairs, max_points)
    ids = [r[0] for r in rows]
    index = {i: k for k, i in enumerate(ids)}
    types = np.array([r[1] for r in rows], dtype=np.int64)
    xyz = np.array([r[2:5] for r in rows], dtype=np.float64)
    radius = np.array([r[5] for r in rows], dtype=np.float64)
    lines = np.array([r[7] for r in rows], dtype=np.int64)
    parent = np.full(len(rows), -1, dtype=np.int64)
    missing = []
    for k, r in enumerate(rows):
        pid = r[6]
        if pid < 0:
            continue
        if pid == r[0]:
            missing.append(f"line {r[7]} (id {pid} is its own parent)")
        elif pid not in index:
            missing.append(f"line {r[7]} (parent {pid})")
        else:
            parent[k] = index[pid]
    if missing:
        repairs.append(f"{_count(missing, 'point')} with a missing parent became tree roots: "
                       + _some(missing))
    _check_cycles(parent, lines, source)
    _join_trees(types, xyz, parent, lines, repairs)
    _ensure_soma(types, parent, lines, repairs)
    _fix_types(types, lines, repairs)
    _fix_radii(radius, types, parent, lines, repairs)
    keep = _drop_zero_length(xyz, parent, lines, repairs)
    tree = _reorder(SwcTree(types, xyz, radius, parent, lines), keep, np.array(ids), repairs)
    tree.repaired = bool(repairs)
    for message in repairs:
        warnings.warn(f"{source}: {message}", MorphologyWarning, stacklevel=3)
    return tree


def write_swc(tree: SwcTree, path: str | os.PathLike, header: str = "") -> None:
    """Write ``tree`` as a clean SWC file (ids 1..N, every parent before its children)."""
    out = [f"# {line}" for line in header.splitlines()]
    for k in range(len(tree.types)):
        x, y, z = tree.xyz[k]
        out.append(f"{k + 1} {int(tree.types[k])} {x:.6g} {y:.6g} {z:.6g} {tree.radius[k]:.6g} "
                   f"{int(tree.parent[k]) + 1 if tree.parent[k] >= 0 else -1}")
    with atomic_path(path) as tmp:
        tmp.write_text("\n".join(out) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------- parsing

def _parse_rows(text: str, source: str, repairs: list[str], max_points: int) -> list[tuple]:
    rows: list[tuple] = []
    seen: dict[int, tuple] = {}
    duplicates = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if len(rows) >= max_points:
            check_limit("the number of SWC points", len(rows) + 1, max_points,
                        "--max-swc-points", where=f"{source} line {number}")
        fields = line.replace(",", " ").split()
        if len(fields) < 7:
            raise NeuroBlendError(
                f"{source} line {number}: expected 7 numbers 'id type x y z radius parent', "
                f"got {raw.strip()!r}")
        try:
            ident, kind, parent = (_as_int(fields[i]) for i in (0, 1, 6))
            x, y, z, r = (float(fields[i]) for i in (2, 3, 4, 5))
        except ValueError:
            raise NeuroBlendError(
                f"{source} line {number}: id, type and parent must be integers and x y z radius "
                f"numbers, got {raw.strip()!r}") from None
        if not all(math.isfinite(v) for v in (x, y, z, r)):
            raise NeuroBlendError(f"{source} line {number}: non-finite coordinate or radius "
                                  f"in {raw.strip()!r}")
        row = (ident, kind, x, y, z, r, parent, number)
        if ident in seen:
            first = seen[ident]
            if first[:7] != row[:7]:
                raise NeuroBlendError(
                    f"{source} line {number}: id {ident} is used again with different data "
                    f"(first on line {first[7]}); ids must be unique")
            duplicates.append(f"line {number}")
            continue
        seen[ident] = row
        rows.append(row)
    if not rows:
        raise NeuroBlendError(f"{source}: no SWC points found (only comments or blank lines)")
    if duplicates:
        repairs.append(f"dropped {_count(duplicates, 'repeated line')} identical to an earlier "
                       "one: " + _some(duplicates))
    return rows


def _as_int(field: str) -> int:
    value = float(field)
    if not value.is_integer():
        raise ValueError(field)
    return int(value)


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _some(items: list, limit: int = 4) -> str:
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# ----------------------------------------------------------------------------------- repairs

def find_parent_cycle(parent: np.ndarray) -> list[int] | None:
    """Indices of a loop in a parent array (-1 = root), or None if it is a forest."""
    state = np.zeros(len(parent), dtype=np.int8)  # 0 unseen, 1 on the current path, 2 done
    for start in range(len(parent)):
        path, node = [], start
        while node != -1 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = int(parent[node])
        if node != -1 and state[node] == 1:
            return path[path.index(node):]
        state[path] = 2
    return None


def _check_cycles(parent: np.ndarray, lines: np.ndarray, source: str) -> None:
    loop = find_parent_cycle(parent)
    if loop is not None:
        raise NeuroBlendError(
            f"{source} line {lines[loop[0]]}: parent ids loop back on themselves (lines "
            f"{_some([int(lines[k]) for k in loop])}); an SWC file must be a tree")


def _roots_of(parent: np.ndarray) -> np.ndarray:
    """The root row of every point's tree."""
    root = np.arange(len(parent))
    for k in _topological(parent):
        if parent[k] >= 0:
            root[k] = root[parent[k]]
    return root


def _topological(parent: np.ndarray) -> list[int]:
    children: list[list[int]] = [[] for _ in parent]
    for k, p in enumerate(parent):
        if p >= 0:
            children[p].append(k)
    order = [k for k in range(len(parent)) if parent[k] < 0]
    i = 0
    while i < len(order):
        order.extend(children[order[i]])
        i += 1
    return order


def _join_trees(types, xyz, parent, lines, repairs) -> None:
    root = _roots_of(parent)
    roots = np.unique(root)
    if len(roots) < 2:
        return
    soma_counts = [int(np.sum((root == r) & (types == SOMA))) for r in roots]
    sizes = [int(np.sum(root == r)) for r in roots]
    main = roots[max(range(len(roots)), key=lambda i: (soma_counts[i], sizes[i]))]
    in_main = root == main
    main_rows = np.flatnonzero(in_main)
    joined = []
    for r in roots:
        if r == main:
            continue
        dist = np.linalg.norm(xyz[main_rows] - xyz[r], axis=1)
        parent[r] = main_rows[int(np.argmin(dist))]
        joined.append(f"line {lines[r]}")
    repairs.append(f"found {len(roots)} separate trees: joined {_count(joined, 'tree')} to the "
                   "main tree at the nearest point (roots on " + _some(joined) + ")")


def _ensure_soma(types, parent, lines, repairs) -> None:
    if np.any(types == SOMA):
        return
    root = int(np.flatnonzero(parent < 0)[0])
    types[root] = SOMA
    repairs.append(f"no soma points (type 1): the root point on line {lines[root]} is used as "
                   "a one-point soma")


def _fix_types(types, lines, repairs) -> None:
    odd = np.flatnonzero((types < SOMA) | (types > APIC))
    if len(odd):
        kinds = sorted({int(t) for t in types[odd]})
        types[odd] = DEND
        repairs.append(f"{_count(list(odd), 'point')} of type {kinds} (not soma/axon/dend/apic) "
                       "loaded as dendrite: " + _some([f"line {lines[k]}" for k in odd]))


def _fix_radii(radius, types, parent, lines, repairs) -> None:
    bad = np.flatnonzero(radius <= 0)
    if not len(bad):
        return
    good = radius > 0
    overall = float(np.median(radius[good])) if good.any() else _FALLBACK_RADIUS
    typical = {int(t): float(np.median(radius[good & (types == t)]))
               for t in np.unique(types[good])}
    for k in _topological(parent):  # parents first: a zero run inherits from its last good point
        if radius[k] <= 0:
            p = parent[k]
            same = p >= 0 and types[p] == types[k] and radius[p] > 0
            radius[k] = radius[p] if same else typical.get(int(types[k]), overall)
    repairs.append(f"{_count(list(bad), 'point')} with zero or negative radius took the radius "
                   "of the point they grow from (or the typical radius of their type): "
                   + _some([f"line {lines[k]}" for k in bad]))


def _drop_zero_length(xyz, parent, lines, repairs) -> np.ndarray:
    keep = np.ones(len(parent), dtype=bool)
    dropped = []
    for k in _topological(parent):
        p = parent[k]
        if p >= 0 and np.linalg.norm(xyz[k] - xyz[p]) < _ZERO_LENGTH:
            keep[k] = False
            dropped.append(f"line {lines[k]}")
    if dropped:
        for k in range(len(parent)):  # children of a dropped point grow from its parent
            while parent[k] >= 0 and not keep[parent[k]]:
                parent[k] = parent[parent[k]]
        repairs.append(f"removed {_count(dropped, 'zero-length segment')} (a point on top of "
                       "its parent): " + _some(dropped))
    return keep


def _depth_first(parent: np.ndarray, ids: np.ndarray) -> list[int]:
    """Rows in depth-first (pre-)order, siblings (and roots) by ascending SWC id."""
    children: list[list[int]] = [[] for _ in parent]
    for k in np.argsort(ids, kind="stable"):
        if parent[k] >= 0:
            children[parent[k]].append(int(k))
    order: list[int] = []
    stack = [int(k) for k in np.argsort(ids, kind="stable") if parent[k] < 0][::-1]
    while stack:
        k = stack.pop()
        order.append(k)
        stack.extend(children[k][::-1])
    return order


def _reorder(tree: SwcTree, keep: np.ndarray, ids: np.ndarray, repairs: list[str]) -> SwcTree:
    parents_first = bool(np.all(tree.parent < np.arange(len(tree.parent))))
    rows: list[int] | range
    if parents_first:
        rows = range(len(keep))
    else:
        rows = _depth_first(tree.parent, ids)
        repairs.append("parents were listed after their children: points put in depth-first "
                       "order")
    order = np.array([k for k in rows if keep[k]], dtype=np.int64)
    new_index = np.full(len(keep), -1, dtype=np.int64)
    new_index[order] = np.arange(len(order))
    old_parent = tree.parent[order]
    parent = np.where(old_parent >= 0, new_index[np.maximum(old_parent, 0)], -1)
    return SwcTree(tree.types[order], tree.xyz[order], tree.radius[order], parent,
                   tree.lines[order])
