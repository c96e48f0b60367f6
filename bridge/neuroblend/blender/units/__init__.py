"""Recorded units in Blender: spheres flashing on their spikes, probe shanks, active regions."""
