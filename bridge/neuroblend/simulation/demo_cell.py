"""NEURON's bundled pyramidal cell as ``neuroblend demo`` and a film's ``data = "@demo"`` simulate
it (soma current pulse, active dendrites), and where NEURON keeps it."""

from __future__ import annotations

from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.simulation.simulation_settings import SimulationSettings

WINDOW_MS = (5.5, 10.0)  # the first spike: soma at ~6.8 ms, apical tuft by ~9.5 ms


def pyramid_path() -> Path:
    """NEURON's bundled demo morphology ``pyramid.nrn``."""
    try:
        import neuron
    except ImportError:
        raise NeuroBlendError("the demo needs NEURON: pip install 'neuroblend[neuron]'") from None
    path = Path(neuron.__file__).resolve().parent / ".data" / "share" / "nrn" / "demo" / "pyramid.nrn"
    if not path.is_file():
        raise NeuroBlendError(f"NEURON's demo cell is missing ({path}); reinstall NEURON")
    return path


def demo_settings() -> SimulationSettings:
    """The demo's run: to just past :data:`WINDOW_MS`, sampled every 0.05 ms; NEURON's own cell
    file is trusted code."""
    return SimulationSettings(tstop=WINDOW_MS[1] + 2.0, sample_every=0.05, trust_code=True)
