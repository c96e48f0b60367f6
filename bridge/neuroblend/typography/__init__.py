"""Type for every text NeuroBlend draws: the bundled face, a user's font file checked as data,
and sizes defined relative to the frame height (:mod:`.sizes`)."""
