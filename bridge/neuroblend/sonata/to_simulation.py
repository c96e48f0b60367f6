"""A SONATA simulation -> one ``neuroblend.simulation`` (v2) document: cells with their
morphologies placed in the network, the report's values on their compartments, spikes and
connections. ``import_sonata`` is what ``neuroblend import sonata`` runs."""

from __future__ import annotations

from dataclasses import dataclass

from neuroblend.errors import NeuroBlendError
from neuroblend.option_ranges import BIG, RangeChecked, real, whole
from neuroblend.sonata.assemble import assemble_document
from neuroblend.sonata.cells import SonataCell, cells_of
from neuroblend.sonata.config import SonataConfig, load_config
from neuroblend.sonata.nodes import open_population, read_nodes, select_ids
from neuroblend.sonata.reports import ReportWindow, open_report, report_window


@dataclass(frozen=True)
class SonataImportOptions(RangeChecked):
    """Every option of ``neuroblend import sonata`` (its defaults and ranges are the CLI's; the
    constructor checks every range)."""

    config: str
    out: str
    populations: tuple[str, ...] = ()
    node_set: str | None = None
    report: str | None = None
    time_window: tuple[float, float] | None = real(None, -BIG, BIG, count=2, order="<")
    sample_every: float | None = real(None, 0, 1e6, above_low=True)
    max_cells: int | None = whole(None, 1, 10**8)
    points: bool = False
    soma_only_colour: bool = False


def import_sonata(options: SonataImportOptions) -> dict:
    """Read the SONATA simulation ``options.config`` and write the simulation file
    ``options.out`` (atomically); returns the document."""
    from neuroblend.files.atomic import check_output_target
    from neuroblend.files.safe_pickle import save_pickle

    check_output_target(options.out)
    doc = sonata_document(options)
    save_pickle(doc, options.out)  # checked by build_simulation_document: no second pass
    return doc


def sonata_document(options: SonataImportOptions) -> dict:
    """The simulation document of ``options`` (nothing written)."""
    config = load_config(options.config)
    populations = _populations(config, options.populations)
    node_sets = _node_sets(config, options.node_set)
    cells: list[SonataCell] = []
    skipped = {"point_or_virtual": 0}
    for files in populations:
        ids = select_ids(files, node_sets, options.node_set, None)
        table = read_nodes(files, ids)
        cells += cells_of(table, options.points, skipped)
        if options.max_cells is not None and len(cells) >= options.max_cells:
            cells = cells[:options.max_cells]
            break
    if not cells:
        raise NeuroBlendError(f"{options.config}: no cell to import (populations "
                              f"{', '.join(p.name for p in populations)}; "
                              f"{skipped['point_or_virtual']} point/virtual nodes: add --points "
                              "to show them as somata)")
    window = _window(config, options, {p.name: p for p in populations})
    return assemble_document(config, options, cells, window, skipped)


def _populations(config: SonataConfig, names: tuple[str, ...]) -> list:
    known = {p.name: p for p in config.nodes}
    if not names:
        chosen = [p for p in config.nodes if p.type != "virtual"]
        return chosen or list(config.nodes)
    missing = [n for n in names if n not in known]
    if missing:
        raise NeuroBlendError(f"{config.path}: no node population {missing[0]!r} (the circuit "
                              f"has {', '.join(known)}); pick one with --population")
    return [known[n] for n in names]


def _node_sets(config: SonataConfig, name: str | None):
    if name is None:
        return None
    import libsonata

    if config.node_sets_file is None:
        raise NeuroBlendError(f"{config.path}: --node-set {name!r} needs a node_sets_file in "
                              "the config, and this config has none")
    try:
        sets = libsonata.NodeSets.from_file(str(config.node_sets_file))
    except (libsonata.SonataError, OSError, RuntimeError) as exc:
        raise NeuroBlendError(f"{config.node_sets_file}: cannot read node sets "
                              f"({str(exc).strip().splitlines()[0] if str(exc) else exc})") from None
    if name not in sets.names:
        raise NeuroBlendError(f"{config.node_sets_file}: no node set {name!r} (it has "
                              f"{', '.join(sorted(sets.names)) or 'none'})")
    return sets


def _window(config: SonataConfig, options: SonataImportOptions,
            populations: dict) -> dict[str, ReportWindow]:
    """The chosen report's window per node population that it records."""
    spec = _report_spec(config, options.report)
    if spec is None:
        return {}
    windows = {}
    for name, files in populations.items():
        pop = open_report(spec, name, int(open_population(files).size))
        if pop is not None:
            windows[name] = report_window(spec, name, pop, options.time_window,
                                          options.sample_every)
    if not windows and options.report is not None:
        raise NeuroBlendError(f"report {spec.name!r} ({spec.path}) records none of the "
                              f"populations {', '.join(populations)}")
    return windows


def _report_spec(config: SonataConfig, name: str | None):
    if name is not None:
        if name not in config.reports:
            raise NeuroBlendError(f"{config.path}: no report {name!r} (the config has "
                                  f"{', '.join(config.reports) or 'no reports'}); pick one "
                                  "with --report")
        return config.reports[name]
    present = [r for r in config.reports.values() if r.path.is_file()]
    return present[0] if present else None
