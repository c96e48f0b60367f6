"""A simulation file (one cell or a network) as a playback scene: the entry of `render spike`,
the film's spike and network shots and the spike add-on's import."""
