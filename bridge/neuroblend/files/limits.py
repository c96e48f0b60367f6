"""Size limits on everything whose size comes from outside (files, flags), in one place.

Each limit has a default and, where a user may legitimately need more, the command-line flag
that raises it. :func:`check_limit` raises a :class:`LimitError` naming both.
"""

from __future__ import annotations

from neuroblend.errors import NeuroBlendError

# Loader (fixed: a NeuroBlend document never needs more).
MAX_NESTING = 64                    # containers inside containers
MAX_STRING = 1 << 20                # characters in one string (1 Mi)
MAX_NDIM = 32
MAX_VALUES = 20_000_000             # values in a document, shared references counted each time
MEMORY_FACTOR = 2                   # arrays may claim at most this times the file size...
MEMORY_SLACK = 16 << 20             # ...plus this many bytes

# Inputs (raise with the flag named in the error).
MAX_FONT_BYTES = 64 << 20          # bytes of a --font / storyboard font file (fixed)
MAX_LABEL = 200                     # characters in a label shown in a render (units, names)
MAX_PIXELS = 100_000_000            # pixels (or array cells) read from an image / .npy / .npz
MAX_SWC_POINTS = 500_000            # points in an SWC file
MAX_ATLAS_FACES = 20_000_000        # faces over every region of an atlas
MAX_CLIP_CELLS = 20_000_000         # steps x layers x neurons of a network clip
MAX_CLIP_FRAMES = 100_000           # frames of one clip
MAX_KERNEL_DECAY = 10_000           # steps: network smoothing kernel decay time
MAX_FILM_SIZE = 8192                # pixels per side of a film (film --max-size)
MAX_FILM_FRAMES = 100_000           # frames a film renders and composes (film --max-frames)

# Storyboards (fixed: a film never needs more).
MAX_STORYBOARD_BYTES = 1 << 20      # bytes of a storyboard file (1 MiB)
MAX_STORYBOARD_NESTING = 16         # tables and arrays inside each other
MAX_TIMELINE_ITEMS = 1000           # [[timeline]] items
MAX_NAME = 64                       # characters in an item or marker name
MAX_TITLE = 1000                    # characters in a title's text
MAX_FILM_SECONDS = 86_400.0         # any time in a storyboard (durations, at, keys): one day

# Networks and graphs (raise with the flag in the error).
MAX_NETWORK_CONNECTIONS = 100_000   # connections drawn by a network render (arcs + synapses)
MAX_BAKE_MB = 512                   # MiB of one baked float texture (values or pulses)
MAX_GRAPH_NEURONS = 100_000         # layers x neurons of a graph (render and clip)
MAX_GRAPH_EDGES = 100_000           # edges drawn by a graph (render and clip)

# Baked playback images (fixed: what Blender and memory allow; the spike bake and the network
# render budget both size textures by them).
MAX_TEXTURE = 16384                 # pixels per side of a baked image
RESAMPLE_BYTES = 256 << 20          # memory for non-uniform time resampled to a uniform grid


class LimitError(NeuroBlendError):
    """An input larger than a NeuroBlend limit."""


def check_limit(what: str, value: int | float, limit: int | float, flag: str | None = None,
                where: str | None = None) -> None:
    """Raise :class:`LimitError` if ``value`` exceeds ``limit``; the message names the flag."""
    if value <= limit:
        return
    place = f"{where}: " if where else ""
    how = (f"raise it with {flag} if this is intended" if flag
           else "a fixed limit")
    raise LimitError(f"{place}{what} is {value:,}, over the limit of {limit:,} ({how})")
