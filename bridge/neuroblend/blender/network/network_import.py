"""Import a network simulation: every cell with its playback (at a level of detail), plus the
connections with their travelling pulses and flashing synapses (network_connections).

``import_network(path_or_doc, level="auto")`` returns the root Empty, like
``spike_playback.import_simulation``, which it builds on; the root also holds
``nb_level_of_detail`` and the connection settings (``nb_connection_*``, ``nb_pulse_*``,
``nb_flash_glow``, ``nb_synapse_radius``). A simulation file that may be either a cell or a
network goes through :func:`neuroblend.blender.simulation.scene.import_simulation_file`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from neuroblend.blender.network import connections as network_connections
from neuroblend.blender.network import lod
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.network import geometry as network_geometry
from neuroblend.network.render_budget import DEFAULT_LIMITS, NetworkLimits, check_network_render
from neuroblend.spike.playback_settings import SpikeLook
from neuroblend.spike.tube_geometry import TubeOptions

SOMA_LEVEL_RADIUS_SCALE = 4.0


def import_network(source, *, level: str | Sequence[str] = "auto", connections: bool = True,
                   limits: NetworkLimits = DEFAULT_LIMITS, scene=None, name: str | None = None,
                   tube: TubeOptions | None = None,
                   settings: SpikeLook | None = None,
                   time_label: bool = False, colorbar: bool = False,
                   progress: Callable[[int, int, str], None] | None = None):
    """Build the playback scene of a network (file or document); returns the root Empty.

    ``level``: "auto" (by cell count: network_geometry.choose_level), "full", "simplified" or
    "soma" for every cell, or one of those per cell ("mixed"). ``limits``: the size budget
    (render_budget.check_network_render, checked before anything is built). The other options
    are those of ``spike_playback.import_simulation``.
    """
    doc = spike_playback.load_simulation(source) if isinstance(source, (str, Path)) else source
    if name is None:
        name = Path(source).stem if isinstance(source, (str, Path)) else "Network"
    levels = network_geometry.choose_levels(len(doc["cells"]), level)
    level = levels[0] if len(set(levels)) == 1 else "mixed"
    check_network_render(doc, level, limits, connections=connections)
    placed = network_geometry.placed_document(doc)
    shown = network_geometry.soma_document(placed) if level == "soma" else placed
    settings = _value_range(shown["values"], settings or SpikeLook())
    root = spike_playback.import_simulation(
        shown, scene=scene, name=name, tube=tube, settings=settings, time_label=time_label,
        colorbar=colorbar, progress=progress, build_cells=lod.cell_builder(levels))
    root[lod.LEVEL_PROPERTY] = level
    if level == "soma":  # lone somata in a wide network: bigger, to stay visible
        root["nb_radius_scale"] *= SOMA_LEVEL_RADIUS_SCALE
    if connections and "connections" in placed:
        collection = root.users_collection[0]
        network_connections.build_connections(root, placed, collection,
                                              units_per_um=(tube or TubeOptions()).units_per_um,
                                              name=name, to_soma=level == "soma",
                                              limits=limits)
    return root


def _value_range(values, settings: SpikeLook):
    """The settings with the colour range fixed from a sample of the values (percentiles of
    every value of a big network take seconds)."""
    if settings.vmin is not None and settings.vmax is not None:
        return settings
    lo, hi = spike_playback.value_range(network_geometry.value_sample(values), settings.vmin,
                                        settings.vmax)
    return replace(settings, vmin=lo, vmax=hi)
