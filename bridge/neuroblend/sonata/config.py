"""SONATA configs resolved as the standard defines them: ``manifest`` and ``$VARS``, the
simulation config's ``network`` (default ``circuit_config.json`` beside it), ``components``
(global and per population), ``output`` and ``reports``.

Paths are taken relative to the directory of the config that names them; ``spikes_file`` and a
report's ``file_name`` (default ``<report name>.h5``) relative to ``output.output_dir``. BMTK's
``${configdir}`` is the config's own directory. The result is plain data (:class:`SonataConfig`);
the readers of nodes, edges, spikes and reports take their paths from it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neuroblend.errors import NeuroBlendError
from neuroblend.files.reading import read_bounded
from neuroblend.sonata.readable import libsonata_path

MAX_CONFIG_BYTES = 16 << 20  # a SONATA config (JSON) is a few kB; refuse what no config is
_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
_PATH_KEYS = {"nodes_file", "node_types_file", "edges_file", "edge_types_file",
              "node_sets_file", "morphologies_dir", "output_dir", "network",
              "biophysical_neuron_models_dir", "point_neuron_models_dir", "h5v1",
              "neurolucida-asc", "swc", "simulation"}
_COMPONENT_KEYS = ("morphologies_dir", "alternate_morphologies")


@dataclass
class PopulationFiles:
    """Where one node or edge population lives, and its components (morphology folders...)."""

    name: str
    h5: Path
    types_csv: Path | None
    components: dict[str, Any] = field(default_factory=dict)
    type: str = ""


@dataclass
class ReportSpec:
    """One entry of the simulation config's ``reports``."""

    name: str
    path: Path
    cells: str | None
    variable: str
    sections: str
    kind: str   # "compartment", "soma", ... as the config says (BMTK "module" or "type")
    bmtk: bool  # written by BMTK (section ids count NEURON's ``all`` list)


@dataclass
class SonataConfig:
    """A resolved simulation (or circuit) config."""

    path: Path
    nodes: list[PopulationFiles]
    edges: list[PopulationFiles]
    node_sets_file: Path | None = None
    spikes_file: Path | None = None
    reports: dict[str, ReportSpec] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)


def is_sonata_config(path: str | os.PathLike) -> bool:
    """True when ``path`` is a JSON file that looks like a SONATA simulation or circuit config."""
    p = Path(path)
    if p.suffix.lower() != ".json" or not p.is_file():
        return False
    try:
        raw = json.loads(read_bounded(p, MAX_CONFIG_BYTES, "a SONATA config"))
    except (NeuroBlendError, OSError, ValueError, RecursionError):
        return False
    return isinstance(raw, dict) and bool({"networks", "network", "manifest", "reports",
                                           "output", "run"} & set(raw))


def load_config(path: str | os.PathLike) -> SonataConfig:
    """Resolve a SONATA simulation config (or a circuit config alone) into a :class:`SonataConfig`."""
    path = Path(path)
    sim = _read_json(path)
    if isinstance(sim.get("simulation"), str):  # BMTK's config.json: {"network", "simulation"}
        sim = {**_read_json(Path(sim["simulation"]), f"{path}: simulation"), **sim}
    circuit: dict[str, Any] = {}
    network = sim.get("network")
    if network is None and "networks" not in sim:
        network = str(path.parent / "circuit_config.json")
    if network is not None:
        circuit = _read_json(Path(network), f"{path}: network")
    merged_components = {**circuit.get("components", {}), **sim.get("components", {})}
    networks = sim.get("networks") or circuit.get("networks") or {}
    nodes = [pop for entry in networks.get("nodes", [])
             for pop in _populations(entry, "nodes", merged_components, path)]
    edges = [pop for entry in networks.get("edges", [])
             for pop in _populations(entry, "edges", merged_components, path)]
    if not nodes:
        raise NeuroBlendError(f"{path}: the config names no node files (networks.nodes); give a "
                              "SONATA simulation or circuit config")
    node_sets = sim.get("node_sets_file") or circuit.get("node_sets_file")
    output = sim.get("output", {})
    out_dir = Path(output.get("output_dir", path.parent))
    spikes = output.get("spikes_file")
    return SonataConfig(
        path=path, nodes=nodes, edges=edges,
        node_sets_file=Path(node_sets) if node_sets else None,
        spikes_file=_under(out_dir, spikes) if spikes else None,
        reports={name: _report(name, spec, out_dir, path)
                 for name, spec in sim.get("reports", {}).items()},
        run=dict(sim.get("run", {})))


def _read_json(path: Path, what: str | None = None) -> dict:
    """A config file with its manifest variables substituted and its paths made absolute."""
    if not path.exists():
        raise NeuroBlendError(f"{what or path}: no such file {str(path)!r}; check the path "
                              "(relative paths start at the config's folder)")
    try:
        raw = json.loads(read_bounded(path, MAX_CONFIG_BYTES, "a SONATA config"))
    except OSError as exc:
        raise NeuroBlendError(f"{path}: cannot read ({exc.strerror})") from None
    except (ValueError, RecursionError) as exc:
        raise NeuroBlendError(f"{path}: not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(raw, dict):
        raise NeuroBlendError(f"{path}: a SONATA config is a JSON object, this is a "
                              f"{type(raw).__name__}")
    variables = _manifest(raw.pop("manifest", {}) or {}, path)
    return _absolute(_substitute(raw, variables, path), path.parent.resolve())


def _manifest(manifest: dict, path: Path) -> dict[str, str]:
    """Manifest variables (``$NAME`` or ``NAME``), each with the others substituted."""
    if not isinstance(manifest, dict):
        raise NeuroBlendError(f"{path}: manifest must be an object of \"$NAME\": \"value\"")
    variables = {"configdir": str(path.parent.resolve())}
    pending = {str(k).lstrip("$").strip("{}"): str(v) for k, v in manifest.items()}
    for _ in range(len(pending) + 1):
        for name, value in list(pending.items()):
            variables[name] = _expand(value, variables, None, path)
    for name, value in variables.items():
        if _VAR.search(value):
            raise NeuroBlendError(f"{path}: manifest variable ${name} refers to an undefined or "
                                  f"circular variable ({value!r})")
        if not Path(value).is_absolute() and name != "configdir":
            variables[name] = str((path.parent / value).resolve())
    return variables


def _expand(text: str, variables: dict[str, str], strict: Path | None, path: Path) -> str:
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name in variables:
            return variables[name]
        if strict is not None:
            raise NeuroBlendError(f"{path}: ${name} is not defined in the manifest; add it there")
        return match.group(0)
    return _VAR.sub(one, text)


def _substitute(value: Any, variables: dict[str, str], path: Path) -> Any:
    if isinstance(value, str):
        return _expand(value, variables, path, path) if "$" in value else value
    if isinstance(value, list):
        return [_substitute(v, variables, path) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, variables, path) for k, v in value.items()}
    return value


def _absolute(value: Any, base: Path, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _absolute(v, base, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_absolute(v, base, key) for v in value]
    if isinstance(value, str) and key in _PATH_KEYS and value:
        return str(_under(base, value))
    return value


def _under(base: Path, value: str) -> Path:
    p = Path(value)
    return p if p.is_absolute() else (base / p).resolve()


def _populations(entry: dict, kind: str, components: dict, path: Path) -> list[PopulationFiles]:
    """The populations of one ``networks.nodes``/``edges`` entry (named in the file if the
    config does not list them)."""
    h5 = entry.get(f"{kind}_file")
    if not h5:
        raise NeuroBlendError(f"{path}: a networks.{kind} entry has no {kind}_file")
    h5 = Path(h5)
    types = entry.get(f"{kind[:-1]}_types_file")
    listed = entry.get("populations") or {name: {} for name in _population_names(h5, kind)}
    out = []
    for name, props in listed.items():
        props = props or {}
        local = {k: props[k] for k in _COMPONENT_KEYS if k in props}
        out.append(PopulationFiles(name=name, h5=h5, types_csv=Path(types) if types else None,
                                   components={**components, **local},
                                   type=str(props.get("type", ""))))
    return out


def _population_names(h5: Path, kind: str) -> list[str]:
    import libsonata

    storage = libsonata.NodeStorage if kind == "nodes" else libsonata.EdgeStorage
    try:
        return sorted(storage(str(libsonata_path(h5))).population_names)
    except (libsonata.SonataError, RuntimeError) as exc:
        raise NeuroBlendError(f"{h5}: cannot read SONATA {kind} ({_first_line(exc)})") from None


def _report(name: str, spec: dict, out_dir: Path, path: Path) -> ReportSpec:
    if not isinstance(spec, dict):
        raise NeuroBlendError(f"{path}: reports.{name} must be an object")
    kind = str(spec.get("type") or spec.get("module") or "compartment")
    sections = str(spec.get("sections", "soma"))
    file_name = str(spec.get("file_name") or name)
    if not file_name.endswith(".h5"):
        file_name += ".h5"
    return ReportSpec(name=name, path=_under(out_dir, file_name),
                      cells=spec.get("cells"), variable=str(spec.get("variable_name", "v")),
                      sections=sections, kind=kind, bmtk="module" in spec)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
