"""SONATA in: circuits, spikes and reports (libsonata + MorphIO) -> simulation v2."""
