"""Small NWB files built with pynwb's own mock API (``pynwb.testing.mock``), each well under 1 MB.

``write_units_nwb``: a session with one Neuropixels-like probe of two shanks (electrode groups),
an electrodes table with x, y, z (um) and locations, units from ``mock_Units`` (random ascending
spike times, 0..~10 s) given electrodes, quality and brain-region columns, a trials table and
epochs. Keyword arguments break it in the ways the importer must refuse.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# synthetic atlas (tests/atlas_fixtures.py, "asr" um): centres of CA3 (right) and DG (right)
CA3_UM = (2200.0, 1000.0, 1300.0)
DG_UM = (2650.0, 1000.0, 1300.0)
TRIALS = ((1.0, 2.5), (3.0, 4.5))
EPOCHS = ((0.0, 5.0, "running"), (5.0, 9.0, "still"))


def unit_positions(n_units: int) -> np.ndarray:
    """Positions (um) of the units' electrodes: a column through CA3 and DG, 20 um apart."""
    pos = np.zeros((n_units, 3))
    pos[:, 0] = np.linspace(CA3_UM[0], DG_UM[0], n_units)
    pos[:, 1] = CA3_UM[1] + 20.0 * (np.arange(n_units) % 2)
    pos[:, 2] = CA3_UM[2]
    return pos


def write_units_nwb(path: Path, *, n_units: int = 8, max_spikes: int = 40, seed: int = 0,
                    positions=None, space_note: str = "", units: bool = True,
                    electrodes: bool = True, xyz: bool = True, nan_unit: int | None = None,
                    electrodes_column: bool = True, regions: bool = True,
                    shanks=None) -> Path:
    """Write the session and return ``path``; ``shanks`` gives each unit's shank (default:
    alternating), the first half of the units are in CA3, the rest in DG."""
    from pynwb import NWBHDF5IO
    from pynwb.testing.mock.device import mock_Device
    from pynwb.testing.mock.ecephys import mock_ElectrodeGroup, mock_Units
    from pynwb.testing.mock.file import mock_NWBFile

    nwb = mock_NWBFile(session_description="neuroblend test session")
    pos = unit_positions(n_units) if positions is None else np.asarray(positions, float)
    if nan_unit is not None:
        pos = pos.copy()
        pos[nan_unit, 1] = np.nan
    if electrodes:
        device = mock_Device(name="probe A", nwbfile=nwb)
        groups = [mock_ElectrodeGroup(name=f"shank{k}", device=device, nwbfile=nwb,
                                      description=f"Neuropixels shank {k}. {space_note}")
                  for k in range(2)]
        for i in range(n_units):
            extra = {"x": pos[i, 0], "y": pos[i, 1], "z": pos[i, 2]} if xyz else {}
            group = groups[i % 2 if shanks is None else shanks[i]]
            nwb.add_electrode(location="CA3" if i < n_units // 2 else "DG", group=group,
                              group_name=group.name, **extra)
    if units:
        table = mock_Units(num_units=n_units, max_spikes_per_unit=max_spikes, seed=seed,
                           nwbfile=nwb)
        if electrodes and electrodes_column:
            table.add_column(name="electrodes", description="electrode of the unit",
                             data=[[i] for i in range(n_units)], index=True, table=True)
            table.electrodes.table = nwb.electrodes
        table.add_column(name="quality", description="curation label",
                         data=["good" if i % 3 else "mua" for i in range(n_units)])
        if regions:
            table.add_column(name="brain_area", description="region",
                             data=["CA3" if i < n_units // 2 else "DG" for i in range(n_units)])
    for start, stop in TRIALS:
        nwb.add_trial(start_time=start, stop_time=stop)
    for start, stop, tag in EPOCHS:
        nwb.add_epoch(start_time=start, stop_time=stop, tags=[tag])
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return Path(path)


def read_truth(path: Path) -> list[np.ndarray]:
    """Every unit's spike times (s) as pynwb reads them, whole (the reference)."""
    from pynwb import NWBHDF5IO

    with NWBHDF5IO(str(path), "r") as io:
        units = io.read().units
        return [np.asarray(units.get_unit_spike_times(i), dtype=float) for i in range(len(units))]


SWEEP_RATE = 20_000.0  # Hz
SWEEP_CONVERSION = 1e-5  # raw integers x 1e-5 = volts


def sweep_raw(n: int = 4000) -> np.ndarray:
    """Raw int16 samples of a spiking voltage trace (rest -70 mV, spikes to +30 mV)."""
    t = np.arange(n) / SWEEP_RATE
    volts = -0.070 + 0.100 * np.exp(-((t % 0.05) - 0.02) ** 2 / (2 * 0.001 ** 2))
    return np.round(volts / SWEEP_CONVERSION).astype(np.int16)


def sweep_stimulus(n: int = 4000) -> np.ndarray:
    """A 200 pA step over the middle half of the sweep (amperes)."""
    return np.where((np.arange(n) > n // 4) & (np.arange(n) < 3 * n // 4), 200e-12, 0.0)


def write_sweep_nwb(path: Path, *, n: int = 4000) -> Path:
    """Sweep 3: a current-clamp recording (raw int16, conversion 1e-5 V, offset 0.5 mV) with
    its step stimulus (200 pA); sweep 4: a voltage-clamp recording."""
    from pynwb import NWBHDF5IO
    from pynwb.icephys import VoltageClampSeries
    from pynwb.testing.mock.file import mock_NWBFile
    from pynwb.testing.mock.icephys import (
        mock_CurrentClampSeries,
        mock_CurrentClampStimulusSeries,
        mock_IntracellularElectrode,
    )

    nwb = mock_NWBFile(session_description="patch clamp")
    electrode = mock_IntracellularElectrode(nwbfile=nwb)
    mock_CurrentClampSeries(name="sweep3", data=sweep_raw(n), electrode=electrode,
                            conversion=SWEEP_CONVERSION, offset=0.0005, rate=SWEEP_RATE,
                            starting_time=2.0, sweep_number=np.uint32(3), unit="volts", nwbfile=nwb)
    mock_CurrentClampStimulusSeries(name="stim3", data=sweep_stimulus(n), electrode=electrode,
                                    rate=SWEEP_RATE, starting_time=2.0, sweep_number=np.uint32(3),
                                    unit="amperes", nwbfile=nwb)
    nwb.add_acquisition(VoltageClampSeries(name="sweep4", data=np.zeros(100), gain=0.02,
                                           electrode=electrode, rate=SWEEP_RATE,
                                           sweep_number=np.uint32(4)))
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return Path(path)
