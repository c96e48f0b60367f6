"""A simulation file as a playback scene, one cell or a network: the scene builder of ``render
spike`` (its job), of the film's spike and network shots, and of the spike add-on's import.

``import_simulation_file`` imports a file or document (a network, one with spikes or connections,
through ``network_import.import_network``, any other through ``spike_playback.import_simulation``);
``build_simulation_scene`` does that from :class:`~neuroblend.spike.render_options.
SpikeRenderOptions` and fits the timeline, render settings and camera to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from neuroblend.blender.core import render
from neuroblend.blender.network import network_import
from neuroblend.blender.spike import overlays as spike_overlays
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.network.render_budget import DEFAULT_LIMITS, NetworkLimits
from neuroblend.simulation.simulation_network import is_network
from neuroblend.spike.playback_settings import SpikeLook
from neuroblend.spike.render_options import SpikeRenderOptions
from neuroblend.spike.tube_geometry import TubeOptions

CLOSE_UP_DETAIL = 8.0  # close-ups show tubes ~8x larger than the whole-cell view: more sides


def import_simulation_file(source, *, scene=None, name: str | None = None,
                           level: str | Sequence[str] = "auto",
                           limits: NetworkLimits = DEFAULT_LIMITS,
                           tube: TubeOptions | None = None,
                           settings: SpikeLook | None = None,
                           time_label: bool = False, colorbar: bool = False,
                           progress: Callable[[int, int, str], None] | None = None):
    """Import a simulation file or document into ``scene``: a network at ``level`` within
    ``limits``, else one cell (or several, unconnected); returns the root Empty."""
    doc = spike_playback.load_simulation(source) if isinstance(source, (str, Path)) else source
    if name is None and isinstance(source, (str, Path)):
        name = Path(source).stem
    if is_network(doc):
        return network_import.import_network(
            doc, level=level, limits=limits, scene=scene, name=name, tube=tube,
            settings=settings, time_label=time_label, colorbar=colorbar, progress=progress)
    return spike_playback.import_simulation(
        doc, scene=scene, name=name, tube=tube, settings=settings, time_label=time_label,
        colorbar=colorbar, progress=progress)


def build_simulation_scene(args: SpikeRenderOptions, scene, doc: dict | None = None):
    """Import ``doc`` (default: ``args.input``) into ``scene`` with the look, timing and render
    settings of ``args``, framed; returns the root Empty."""
    tube = args.tube(detail=CLOSE_UP_DETAIL if args.camera_preset() in ("soma", "dolly") else 1.0)

    def progress(done: int, total: int, detail: str) -> None:
        print(f"[{done}/{total}] cells built  {detail}", flush=True)

    root = import_simulation_file(
        args.input if doc is None else doc, level=args.lod, scene=scene, name=args.input.stem,
        limits=NetworkLimits(args.max_connections, args.max_bake_mb),
        tube=tube,
        settings=args, time_label=args.time_label, colorbar=args.colorbar,
        progress=progress)
    if args.scale_bar != "off":
        spike_overlays.add_scale_bar(root, scene, args.scale_bar, tube.units_per_um)
    if args.time_window:  # its order is checked with the options (END after START)
        root["nb_time_start"] = float(args.time_window[0])
    spike_playback.fit_timeline(root, scene, args.time_window[1] if args.time_window else None)
    render.apply_render_arguments(scene, args)
    spike_playback.frame_simulation(root, scene)
    return root
