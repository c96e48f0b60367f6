"""``data = "@demo"``: the demo's simulation (NEURON's pyramidal cell firing), built once and cached."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path


def demo_simulation(data_dir) -> Path:
    """Path of the demo simulation in the cache's ``data_dir``, simulated on first use (as
    ``neuroblend demo``)."""
    from neuroblend.film.cache import cache_key
    from neuroblend.simulation.demo_cell import demo_settings, pyramid_path

    settings = demo_settings()
    morphology = pyramid_path()
    path = Path(data_dir) / f"pyramid_sim-{cache_key(asdict(settings), [morphology])}.pkl"
    if not path.is_file():
        from neuroblend.simulation.neuron_sim import simulate

        print(f"film: simulating the demo cell ({morphology.name}) with NEURON", flush=True)
        simulate(morphology, path, settings, progress=lambda m: print(f"film: {m}", flush=True))
    return path
