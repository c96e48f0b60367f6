"""NWB recordings in: spike-sorted units with their electrodes (placed in an atlas frame) and
patch-clamp sweeps, read lazily through pynwb and converted to NeuroBlend documents."""
