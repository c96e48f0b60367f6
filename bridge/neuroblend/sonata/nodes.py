"""SONATA nodes through libsonata: the selected node ids of a population, their positions,
rotations, model types and morphology names, with node-type attributes from the types CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError
from neuroblend.sonata.config import PopulationFiles
from neuroblend.sonata.readable import libsonata_path

_NULL = {"", "NULL", "None", "none", "null"}


@dataclass
class NodeTable:
    """The selected nodes of one population (arrays indexed like ``ids``)."""

    population: PopulationFiles
    ids: np.ndarray            # uint64 [N], ascending
    model_type: list[str]
    morphology: list[str | None]
    placement: np.ndarray      # float64 [N, 4, 4]: rotation then translation (um)
    size: int                  # nodes in the whole population


def open_population(files: PopulationFiles):
    """The libsonata NodePopulation of ``files`` (one line naming the file when unreadable)."""
    import libsonata

    try:
        storage = libsonata.NodeStorage(str(libsonata_path(files.h5)))
        if files.name not in storage.population_names:
            raise NeuroBlendError(f"{files.h5}: no node population {files.name!r} (the file has "
                                  f"{', '.join(sorted(storage.population_names)) or 'none'})")
        return storage.open_population(files.name)
    except (libsonata.SonataError, RuntimeError) as exc:
        raise NeuroBlendError(f"{files.h5}: cannot read SONATA nodes ({_first(exc)})") from None


def node_types(path: Path | None) -> dict[int, dict[str, str]]:
    """The node (or edge) types CSV (space separated, ``node_type_id`` first) by type id."""
    if path is None:
        return {}
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter=" ", skipinitialspace=True))
    except OSError as exc:
        raise NeuroBlendError(f"{path}: cannot read the types file ({exc.strerror})") from None
    key = next((k for k in (rows[0] if rows else {}) if k and k.endswith("_type_id")), None)
    if key is None:
        raise NeuroBlendError(f"{path}: a types CSV needs a node_type_id/edge_type_id column")
    try:
        return {int(row[key]): {k: v for k, v in row.items() if k} for row in rows}
    except (TypeError, ValueError):
        raise NeuroBlendError(f"{path}: {key} must be whole numbers") from None


def attribute(pop: Any, types: dict, name: str, ids: np.ndarray, type_ids: np.ndarray,
              default: Any = None) -> list:
    """One attribute of the nodes (or edges) ``ids``: from the HDF5 group when it has it (an
    empty or NULL string there falls back to the type), else from the types CSV by type id,
    else ``default``."""
    import libsonata

    column = [types.get(int(t), {}).get(name) for t in type_ids]
    column = [default if v is None or v in _NULL else v for v in column]
    if name not in pop.attribute_names:
        return column
    values = pop.get_attribute(name, libsonata.Selection(np.asarray(ids, np.uint64)))
    values = np.asarray(values).tolist()
    return [column[k] if isinstance(v, str) and v in _NULL else v for k, v in enumerate(values)]


def read_nodes(files: PopulationFiles, ids: np.ndarray) -> NodeTable:
    """Positions, rotations, model types and morphologies of the nodes ``ids``."""

    pop = open_population(files)
    types = node_types(files.types_csv)
    type_ids = read_type_ids(files, "nodes", ids)

    def numbers(name: str) -> np.ndarray:
        values = attribute(pop, types, name, ids, type_ids, 0.0)
        try:
            return np.asarray(values, dtype=np.float64).reshape(len(ids))
        except ValueError:
            raise NeuroBlendError(f"{files.h5}: node attribute {name!r} of population "
                                  f"{files.name!r} is not numeric") from None

    xyz = np.stack([numbers(k) for k in ("x", "y", "z")], axis=1)
    rotation = _rotations(pop, numbers, len(ids))
    placement = np.zeros((len(ids), 4, 4))
    placement[:, :3, :3] = rotation
    placement[:, :3, 3] = xyz
    placement[:, 3, 3] = 1.0
    default_type = files.type or "biophysical"
    model = [str(m) for m in attribute(pop, types, "model_type", ids, type_ids, default_type)]
    morph = [None if m is None or str(m) in _NULL else str(m)
             for m in attribute(pop, types, "morphology", ids, type_ids)]
    return NodeTable(files, ids, model, morph, placement, int(pop.size))


def read_type_ids(files: PopulationFiles, kind: str, ids: np.ndarray) -> np.ndarray:
    """``node_type_id``/``edge_type_id`` of ``ids`` (libsonata does not expose them: h5py)."""
    import h5py

    key = f"{kind}/{files.name}/{kind[:-1]}_type_id"
    try:
        with h5py.File(files.h5, "r") as f:
            if key not in f:
                return np.full(len(ids), -1, np.int64)
            column = f[key][()]
    except OSError as exc:
        raise NeuroBlendError(f"{files.h5}: cannot read {kind} ({exc})") from None
    if len(ids) and int(np.max(ids)) >= len(column):
        raise NeuroBlendError(f"{files.h5}: {key} has {len(column)} entries, fewer than the "
                              f"{kind} it describes")
    return np.asarray(column, np.int64)[np.asarray(ids, np.int64)]


def _rotations(pop: Any, numbers: Any, n: int) -> np.ndarray:
    """Rotation matrices [n, 3, 3]: orientation quaternions if present, else the rotation angles
    about x, then y, then z (R = Rz Ry Rx), as the SONATA standard orders them."""
    names = set(pop.attribute_names)
    if {"orientation_w", "orientation_x", "orientation_y", "orientation_z"} <= names:
        q = np.stack([numbers(f"orientation_{k}") for k in "wxyz"], axis=1)
        norm = np.linalg.norm(q, axis=1, keepdims=True)
        q = np.where(norm > 0, q / np.where(norm > 0, norm, 1), (1.0, 0.0, 0.0, 0.0))
        w, x, y, z = q.T
        return np.stack([
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)], 1),
            np.stack([2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)], 1),
            np.stack([2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)], 1),
        ], axis=1)
    ax, ay, az = (numbers(f"rotation_angle_{k}axis") for k in "xyz")
    return _axis(az, 2) @ _axis(ay, 1) @ _axis(ax, 0)


def _axis(angle: np.ndarray, axis: int) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    out = np.zeros((len(angle), 3, 3))
    i, j = [k for k in range(3) if k != axis]
    out[:, axis, axis] = 1.0
    out[:, i, i] = c
    out[:, j, j] = c
    sign = -1.0 if axis != 1 else 1.0
    out[:, i, j] = sign * s
    out[:, j, i] = -sign * s
    return out


def select_ids(files: PopulationFiles, node_sets: Any, node_set: str | None,
               max_cells: int | None) -> np.ndarray:
    """The node ids of ``files`` in ``node_set`` (all when None), at most ``max_cells``."""
    pop = open_population(files)
    if node_set is None:
        ids = np.arange(pop.size, dtype=np.uint64)
    else:
        import libsonata

        try:
            ids = np.asarray(node_sets.materialize(node_set, pop).flatten(), dtype=np.uint64)
        except (libsonata.SonataError, RuntimeError) as exc:
            raise NeuroBlendError(f"node set {node_set!r} cannot be evaluated on population "
                                  f"{files.name!r} ({_first(exc)}; libsonata reads node "
                                  "attributes from the HDF5 file, not the types CSV)") from None
    ids = np.unique(ids)
    return ids[:max_cells] if max_cells is not None else ids


def _first(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
