"""Synthetic reconstructions: valid documents with the traits of real large cells."""

from __future__ import annotations

import numpy as np
import pytest

from neuroblend.simulation.simulation_file import soma_peak, spike_onset
from neuroblend.spike import synthetic_cells


def _lengths(cell):
    return np.array([np.sum(np.linalg.norm(np.diff(np.asarray(p), axis=0), axis=1))
                     for p in cell["sections"]["points"]])


def test_projection_neuron_has_a_millimetre_long_thin_axon():
    cell = synthetic_cells.synthetic_cell("projection", seed=1)
    types = np.array(cell["sections"]["type"])
    axon = types == "axon"
    assert _lengths(cell)[axon].sum() > 2000.0  # um
    assert max(np.max(d) for d, a in zip(cell["sections"]["diameters"], axon, strict=True)
               if a) <= 0.5
    soma = cell["sections"]["diameters"][int(np.flatnonzero(types == "soma")[0])]
    assert len(soma) >= 5 and np.std(soma) > 0.05 * np.mean(soma)  # a traced outline


@pytest.mark.parametrize("kind", synthetic_cells.KINDS)
def test_every_kind_is_a_valid_spiking_document(kind):
    doc = synthetic_cells.spiking_document((kind,), tstop=20.0, spike_at=5.0)
    cell = doc["cells"][0]
    assert len(cell["sections"]["name"]) > 100  # dense trees
    peak = soma_peak(doc)
    assert peak["value"] > 20 and 5.0 <= peak["time"] <= 6.0
    assert spike_onset(doc["time"], doc["values"], -45.0) == pytest.approx(5.0, abs=0.3)
    assert spike_onset(doc["time"], doc["values"], 100.0) is None
    assert synthetic_cells.synthetic_cell(kind, 3)["sections"]["points"][1].tolist() == \
        synthetic_cells.synthetic_cell(kind, 3)["sections"]["points"][1].tolist()  # seeded


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="choose one of"):
        synthetic_cells.synthetic_cell("granule")
