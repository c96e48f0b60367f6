"""Morphologies through MorphIO (SWC, Neurolucida ASC, HDF5), as sections the way NEURON's
Import3d makes them: ``soma[0]``, then ``axon[i]``, ``dend[i]``, ``apic[i]`` (each type in file
order). A child section starts at its parent's last point; a root neurite starts at its own first
point and hangs from ``soma[0](0.5)``. A single-point soma becomes Import3d's three points along
x; other somata (contour, three-point) a sphere of their mean radius the same way, stacked
cylinders keep their points.

``file_order`` maps the sections of the morphology file (0 the soma, MorphIO section ``i`` as
``i + 1``: how neurodamus and SONATA's ``afferent_section_id`` count) to these sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError

_TYPE_NAMES = {2: "axon", 3: "dend", 4: "apic"}
_SEARCH = (("morphologies_dir", ".swc"), ("h5v1", ".h5"), ("neurolucida-asc", ".asc"))
_EXTENSIONS = (".swc", ".h5", ".asc")


@dataclass
class CellMorphology:
    """One morphology as simulation-format sections (points in the file's own frame)."""

    path: Path
    sections: dict[str, Any]   # name, type, parent, parent_x, points (list), diameters (list)
    file_order: np.ndarray     # int [S]: morphology-file section id -> index in ``sections``
    soma_centre: np.ndarray    # float64 [3]


def find_morphology(name: str, components: dict) -> Path:
    """The file of morphology ``name`` (extension optional) in ``morphologies_dir`` or the
    ``alternate_morphologies`` folders (``h5v1``, ``neurolucida-asc``)."""
    folders: list[tuple[Path, str]] = []
    alternates = components.get("alternate_morphologies") or {}
    for key, ext in _SEARCH:
        folder = components.get(key) if key == "morphologies_dir" else alternates.get(key)
        if folder:
            folders.append((Path(folder), ext))
    given = Path(name)
    if given.is_absolute() and given.is_file():
        return given
    for folder, ext in folders:
        names = [name] if given.suffix.lower() in _EXTENSIONS else [name + ext] + [
            name + e for e in _EXTENSIONS if e != ext]
        for candidate in names:
            if (folder / candidate).is_file():
                return folder / candidate
    where = ", ".join(str(f) for f, _ in folders) or "no morphologies_dir in the config"
    raise NeuroBlendError(f"morphology {name!r} not found (searched {where}); set components."
                          "morphologies_dir or alternate_morphologies in the circuit config")


def load_morphology(path: Path, axon_stub: bool = False) -> CellMorphology:
    """Read ``path`` with MorphIO into Import3d-ordered sections; ``axon_stub`` replaces the axon
    with BMTK's perisomatic stub (two 30 um x 1 um sections after every other section)."""
    import morphio

    try:
        morph = morphio.Morphology(str(path))
    except (morphio.MorphioError, OSError, RuntimeError) as exc:
        raise NeuroBlendError(f"morphology {str(path)!r} cannot be read by MorphIO "
                              f"({_plain(exc)})") from None
    soma_pts, soma_diam, centre = _soma(morph)
    names, types, parents, parent_x = ["soma[0]"], ["soma"], [-1], [0.0]
    points, diams = [soma_pts], [soma_diam]
    sections = list(morph.sections)
    kinds = [int(s.type) for s in sections]
    order = sorted(range(len(sections)), key=lambda i: (_rank(kinds[i]), i))
    if axon_stub:
        order = [i for i in order if kinds[i] != 2]
    index = {i: k + 1 for k, i in enumerate(order)}
    counts: dict[str, int] = {}
    for i in order:
        sec = sections[i]
        label = _TYPE_NAMES.get(kinds[i], f"dend_{kinds[i]}")
        names.append(f"{label}[{counts.get(label, 0)}]")
        counts[label] = counts.get(label, 0) + 1
        types.append(label if label in _TYPE_NAMES.values() else "other")
        parent = index.get(sec.parent.id, 0) if not sec.is_root else 0
        parents.append(parent)
        parent_x.append(1.0 if parent else 0.5)
        pts, d = np.asarray(sec.points, np.float64), np.asarray(sec.diameters, np.float64)
        if len(pts) < 2:
            pts, d = np.vstack([centre, pts]), np.concatenate([d, d])
        points.append(pts)
        diams.append(d)
    if axon_stub:
        _add_stub(names, types, parents, parent_x, points, diams, centre)
    file_order = np.array([0] + [index.get(i, -1) for i in range(len(sections))], np.int64)
    table = {"name": names, "type": types, "parent": np.array(parents, np.int32),
             "parent_x": np.array(parent_x, np.float32), "points": points, "diameters": diams}
    return CellMorphology(path, table, file_order, centre)


def _plain(exc: BaseException) -> str:
    """MorphIO's message on one line, without its terminal colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    return " ".join(line.strip() for line in text.splitlines() if line.strip()) or \
        type(exc).__name__


def _rank(kind: int) -> int:
    return {2: 0, 3: 1, 4: 2}.get(kind, 3)


def _soma(morph: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Soma points, diameters and centre as Import3d would give them."""
    import morphio

    pts = np.asarray(morph.soma.points, np.float64).reshape(-1, 3)
    diam = np.asarray(morph.soma.diameters, np.float64).reshape(-1)
    kind = morph.soma.type
    if len(pts) == 0:
        first = [np.asarray(s.points)[0] for s in morph.root_sections]
        centre = np.asarray(first[0] if first else np.zeros(3), np.float64)
        return _sphere(centre, 1.0), np.full(3, 1.0), centre
    centre = pts.mean(axis=0)
    if kind == morphio.SomaType.SOMA_CYLINDERS and len(pts) >= 2:
        return pts, diam, centre
    if kind == morphio.SomaType.SOMA_SINGLE_POINT or len(pts) == 1:
        d = float(diam[0])
    else:
        d = 2.0 * float(np.linalg.norm(pts - centre, axis=1).mean())
    d = d if d > 0 else 1.0
    return _sphere(centre, d), np.full(3, d), centre


def _sphere(centre: np.ndarray, diameter: float) -> np.ndarray:
    offset = np.array([diameter / 2, 0.0, 0.0])
    return np.stack([centre - offset, centre, centre + offset])


def _add_stub(names, types, parents, parent_x, points, diams, centre) -> None:
    """BMTK's ``fix_axon_peri``: axon[0] on soma(0.5), axon[1] on axon[0](1), 30 um x 1 um."""
    start = centre.copy()
    for k in range(2):
        end = start - np.array([0.0, 30.0, 0.0])
        names.append(f"axon[{k}]")
        types.append("axon")
        parents.append(0 if k == 0 else len(names) - 2)
        parent_x.append(0.5 if k == 0 else 1.0)
        points.append(np.stack([start, end]))
        diams.append(np.ones(2))
        start = end
