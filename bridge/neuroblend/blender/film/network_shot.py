"""Network shot of a film: cells, connections and pulses of a simulation file with spikes or
connections (``neuroblend simulate-network``), at a level of detail (``look.lod``).

Built like a spike shot (the same ``render spike`` scene, which imports networks through
:func:`neuroblend.blender.simulation.scene.import_simulation_file`); its clock remaps data
ms the same way, and the connections' pulses follow it (they read the root's timing too).
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.errors import NeuroBlendError


def build(job: dict, scene) -> dict:
    """Build the network shot into ``scene``; returns its camera targets (center, soma)."""
    from neuroblend.blender.film import spike_shot
    from neuroblend.blender.spike import playback as spike_playback
    from neuroblend.simulation.simulation_network import is_network

    doc = spike_playback.load_simulation(Path(job["data"]))
    if not is_network(doc):
        raise NeuroBlendError(f"{job['data']}: shot {job['name']!r} is a network shot but the "
                              "file has no spikes or connections; make one with `neuroblend "
                              "simulate-network`, or use shot = \"spike\" for a single cell")
    return spike_shot.build(job, scene, doc)
