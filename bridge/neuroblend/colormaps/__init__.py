"""colormaps."""
