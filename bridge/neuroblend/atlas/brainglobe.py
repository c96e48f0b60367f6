"""BrainGlobe atlases on this machine -> NeuroBlend atlas documents, offline.

Two on-disk layouts are read:

- **v3** (brainglobe-atlasapi 3): ``DIR/brainglobe-atlasapi/atlases/NAME/VERSION/manifest.json``,
  meshes as Draco files, opened through ``BrainGlobeAtlas(..., check_latest=False)``.
- **v2** (brainglobe-atlasapi 2): ``DIR/NAME_vX.Y/`` with ``metadata.json``, ``structures.json`` and
  ``meshes/ID.obj``, read directly (the v3 package no longer reads them).

Nothing here touches the network unless ``download=True``: a missing atlas or mesh is reported with
how to get it. Meshes are moved into the Blender frame by :mod:`neuroblend.atlas.geometry`.

Hemispheres: BrainGlobe splits symmetric atlases at the middle of the left-right axis; we use the
same plane (``shape_um / 2`` along the r/l axis). ``--hemisphere left|right`` clips every mesh
exactly at that plane and keeps one side (the cut is left open), so a bilateral region yields one
half and a midline region its half; a region with nothing on that side is skipped with a warning.
"""

from __future__ import annotations

import configparser
import difflib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError

FORMAT = "neuroblend.atlas"
HEMISPHERES = ("both", "left", "right")
V3_ROOT = "brainglobe-atlasapi"
_V2_DIR = re.compile(r"^(?P<name>.+)_v(?P<version>\d+\.\d+)$")


@dataclass
class Region:
    """One atlas structure (no geometry)."""

    id: int
    acronym: str
    name: str
    rgb: tuple[int, ...]
    path: tuple[int, ...]  # structure ids from the root to this region

    @property
    def parent_id(self) -> int:
        return self.path[-2] if len(self.path) > 1 else -1


@dataclass
class LocalAtlas:
    """An atlas present on disk: metadata, the structure hierarchy and a mesh reader."""

    name: str
    version: str
    layout: str  # "v3" or "v2"
    path: Path  # manifest.json (v3) or the atlas folder (v2)
    metadata: dict
    regions: list[Region] = field(default_factory=list)
    _api: Any = None  # the BrainGlobeAtlas of a v3 atlas
    _download: bool = False

    @property
    def orientation(self) -> str:
        return str(self.metadata.get("orientation", "asr"))

    @property
    def resolution_um(self) -> np.ndarray:
        return np.asarray(self.metadata["resolution"], dtype=float)

    @property
    def shape_um(self) -> np.ndarray:
        return np.asarray(self.metadata["shape"], dtype=float) * self.resolution_um

    @property
    def centre_um(self) -> np.ndarray:
        """Centre of the atlas volume, in atlas micrometres."""
        return self.shape_um / 2.0

    def region(self, key: str | int) -> Region:
        """The region with this acronym (or id); unknown ones raise with close matches."""
        by_acronym = {r.acronym: r for r in self.regions}
        if isinstance(key, str) and key in by_acronym:
            return by_acronym[key]
        for r in self.regions:
            if str(r.id) == str(key):
                return r
        raise NeuroBlendError(
            f"atlas {self.name} has no region {key!r}; {close_matches(self, str(key))}")

    def descendants(self, region: Region) -> list[Region]:
        """All regions below ``region`` in the hierarchy (not itself), in hierarchy order."""
        return [r for r in self.regions if region.id in r.path[:-1]]

    def mesh_file(self, region: Region) -> Path:
        if self.layout == "v3":
            return Path(self._api.meshfile_from_structure(region.id))
        return self.path / "meshes" / f"{region.id}.obj"

    def mesh(self, region: Region) -> tuple[np.ndarray, np.ndarray] | None:
        """(points um [V,3], triangles [F,3]) in atlas space, or None if there is no local mesh."""
        file = self.mesh_file(region)
        present = file.is_file()
        if not present and not (self._download and self.layout == "v3"):
            return None
        try:
            if self.layout == "v3":
                mesh = self._api.mesh_from_structure(region.id)
                points, faces = mesh.points, _triangles(mesh)
            else:
                points, faces = read_obj(file)
        except Exception as exc:  # any decoder failure: name the region and the file
            cause = exc.__cause__ or exc  # BrainGlobe wraps the decoder's error
            if not present:
                raise NeuroBlendError(
                    f"the mesh of region {region.acronym} could not be downloaded: {cause}"
                ) from None
            raise NeuroBlendError(
                f"cannot read the mesh of region {region.acronym} ({region.name}) from {file}: "
                f"{type(cause).__name__}: {cause}. The file is corrupt; delete it and re-download "
                "the atlas") from None
        points = np.asarray(points, dtype=float)
        faces = np.asarray(faces, dtype=np.int64)
        if points.ndim != 2 or points.shape[1] != 3 or faces.ndim != 2 or faces.shape[1] != 3 \
                or len(faces) == 0 or faces.min() < 0 or faces.max() >= len(points) \
                or not np.isfinite(points).all():
            raise NeuroBlendError(
                f"the mesh of region {region.acronym} ({region.name}) in {file} is corrupt (no "
                "triangles, bad points or triangle indices); delete it and re-download the atlas")
        return points, faces


def _triangles(mesh) -> np.ndarray:
    blocks = [c.data for c in mesh.cells if c.type == "triangle"]
    if not blocks:
        raise ValueError("the mesh has no triangles")
    return np.vstack(blocks)


def read_obj(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and triangles of a Wavefront OBJ (polygons fan-triangulated)."""
    lines = Path(path).read_text(errors="strict").splitlines()
    points = np.array([line.split()[1:4] for line in lines if line.startswith("v ")],
                      dtype=float).reshape(-1, 3)
    tris: list[tuple[int, int, int]] = []
    for line in lines:
        if line.startswith("f "):
            idx = [int(tok.split("/")[0]) for tok in line.split()[1:]]
            idx = [i - 1 if i > 0 else len(points) + i for i in idx]
            tris.extend((idx[0], idx[k], idx[k + 1]) for k in range(1, len(idx) - 1))
    return points, np.array(tris, dtype=np.int64).reshape(-1, 3)


# ----------------------------------------------------------------------------- local atlases


def default_brainglobe_dir() -> Path:
    """BrainGlobe's folder: from its config file if one exists (never written here), else
    ``~/.brainglobe``."""
    config_dir = Path(os.environ.get("BRAINGLOBE_CONFIG_DIR",
                                     Path.home() / ".config" / "brainglobe"))
    conf_file = config_dir / "bg_config.conf"
    if conf_file.is_file():
        conf = configparser.ConfigParser()
        try:
            conf.read(conf_file)
            return Path(conf["default_dirs"]["brainglobe_dir"]).expanduser()
        except (configparser.Error, KeyError):
            pass
    return Path.home() / ".brainglobe"


def _root(brainglobe_dir) -> Path:
    root = Path(brainglobe_dir).expanduser() if brainglobe_dir else default_brainglobe_dir()
    if root.name == V3_ROOT:  # accept the brainglobe-atlasapi folder itself
        root = root.parent
    return root


def list_local_atlases(brainglobe_dir=None) -> list[dict]:
    """Atlases present on disk (no network): name, version, layout, path, species, resolution."""
    root = _root(brainglobe_dir)
    found: dict[str, dict] = {}
    for manifest in sorted((root / V3_ROOT / "atlases").glob("*/*/manifest.json")):
        version = manifest.parent.name.replace("_", ".")
        name = manifest.parent.parent.name
        if name in found and _version_key(found[name]["version"]) >= _version_key(version):
            continue
        found[name] = _entry(name, version, "v3", manifest, manifest)
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            match = _V2_DIR.match(folder.name)
            if match and (folder / "metadata.json").is_file() and match["name"] not in found:
                found[match["name"]] = _entry(match["name"], match["version"], "v2", folder,
                                              folder / "metadata.json")
    return [found[k] for k in sorted(found)]


def _entry(name, version, layout, path, meta_file) -> dict:
    try:
        meta = json.loads(Path(meta_file).read_text())
    except (OSError, ValueError):
        meta = {}
    return {"name": name, "version": version, "layout": layout, "path": str(path),
            "species": meta.get("species", ""), "resolution_um": meta.get("resolution")}


def _version_key(version: str) -> tuple:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def describe_local(brainglobe_dir=None) -> str:
    """One line naming the local atlases (for error messages)."""
    names = [a["name"] for a in list_local_atlases(brainglobe_dir)]
    where = _root(brainglobe_dir)
    return (f"local atlases in {where}: {', '.join(names)}" if names
            else f"no atlases are present in {where}")


def open_atlas(name: str, brainglobe_dir=None, download: bool = False) -> LocalAtlas:
    """Open a local atlas; with ``download=True`` BrainGlobe may fetch a missing v3 atlas."""
    root = _root(brainglobe_dir)
    local = {a["name"]: a for a in list_local_atlases(root)}
    entry = local.get(name)
    if entry is None and not download:
        near = difflib.get_close_matches(name, list(local), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(near)}?" if near else ""
        raise NeuroBlendError(
            f"atlas {name!r} is not present locally ({describe_local(root)}).{hint} "
            f"Download it with --download (or `brainglobe install -a {name}`), or point "
            "--brainglobe-dir at the folder holding it")
    if entry is not None and entry["layout"] == "v2":
        return _open_v2(name, entry)
    return _open_v3(name, root, download)


def _open_v2(name: str, entry: dict) -> LocalAtlas:
    folder = Path(entry["path"])
    try:
        meta = json.loads((folder / "metadata.json").read_text())
        structures = json.loads((folder / "structures.json").read_text())
    except (OSError, ValueError) as exc:
        raise NeuroBlendError(f"atlas {name} in {folder} is incomplete or corrupt: {exc}") from None
    return LocalAtlas(name, entry["version"], "v2", folder, meta, _regions(structures))


def _open_v3(name: str, root: Path, download: bool) -> LocalAtlas:
    try:
        from brainglobe_atlasapi import BrainGlobeAtlas
    except ImportError:
        raise NeuroBlendError(
            "reading BrainGlobe v3 atlases needs brainglobe-atlasapi (pip install "
            "'neuroblend[atlas]'); without it, export the regions with `neuroblend atlas export` "
            "where it is installed and import the .pkl file") from None
    try:
        api = BrainGlobeAtlas(name, brainglobe_dir=root, check_latest=False)
    except (ConnectionError, FileNotFoundError, ValueError, OSError) as exc:
        if "not a valid atlas name" in str(exc):  # also what BrainGlobe says when offline
            raise NeuroBlendError(
                f"atlas {name!r} is not on this computer and BrainGlobe could not fetch it: "
                "either its server is unreachable (check the network connection) or no atlas "
                "has this name (`brainglobe list` shows them)") from None
        raise NeuroBlendError(f"cannot open or download atlas {name!r}: {exc}") from None
    regions = _regions(api.structures_list)
    version = str(api.metadata.get("version", ""))
    return LocalAtlas(name, version, "v3", root / V3_ROOT / api.local_full_name, api.metadata,
                      regions, _api=api, _download=download)


def _regions(structures: list[dict]) -> list[Region]:
    regions = [Region(int(s["id"]), str(s["acronym"]), str(s["name"]),
                      tuple(int(c) for c in s.get("rgb_triplet", (200, 200, 200))),
                      tuple(int(i) for i in s["structure_id_path"]))
               for s in structures]
    return sorted(regions, key=lambda r: r.path)


def close_matches(atlas: LocalAtlas, query: str) -> str:
    """'close matches: ...' for an unknown acronym (acronyms and names), or a hint."""
    acronyms = [r.acronym for r in atlas.regions]
    lower = {a.lower(): a for a in acronyms}
    hits = [lower[query.lower()]] if query.lower() in lower else []
    hits += difflib.get_close_matches(query, acronyms, n=5, cutoff=0.5)
    q = query.lower()
    hits += [r.acronym for r in atlas.regions if len(q) >= 3 and q in r.name.lower()]
    hits = list(dict.fromkeys(hits))[:6]
    if not hits:
        return "no close matches (`neuroblend atlas list ATLAS` lists them all)"
    names = {r.acronym: r.name for r in atlas.regions}
    return "close matches: " + ", ".join(f"{a} ({names[a]})" for a in hits)


def hierarchy(atlas: LocalAtlas) -> list[tuple[int, str, str, int]]:
    """(id, acronym, name, depth) of every region, parents before children."""
    return [(r.id, r.acronym, r.name, len(r.path) - 1) for r in atlas.regions]


# ----------------------------------------------------------------------------- export


