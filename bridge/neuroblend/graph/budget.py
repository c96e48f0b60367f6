"""What drawing a network file as a graph (or a grid) will need, checked before any allocation.

One home for the size checks of ``neuroblend render network``, ``neuroblend clip network``, the
film's graph shots and ``neuroblend inspect``: neurons (layers x neurons), drawn edges, the
smoothed activity (steps + kernel length - 1 rows, one per frame at one frame per step) and its
cells. Each refusal names the flag that raises the limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import (
    MAX_CLIP_CELLS,
    MAX_CLIP_FRAMES,
    MAX_GRAPH_EDGES,
    MAX_GRAPH_NEURONS,
    check_limit,
)

MAX_FRAME_NUMBER = 1_048_574  # Blender's highest frame number (MAXFRAME)


@dataclass(frozen=True)
class GraphLimits:
    """Size limits of a graph (flags --max-neurons, --max-edges, --max-cells, --max-frames)."""

    max_neurons: int = MAX_GRAPH_NEURONS
    max_edges: int = MAX_GRAPH_EDGES
    max_cells: int = MAX_CLIP_CELLS
    max_frames: int = MAX_CLIP_FRAMES

    @classmethod
    def from_args(cls, args) -> GraphLimits:
        """The limits given by parsed flags (the defaults for flags a command lacks)."""
        return cls(**{k: getattr(args, k, getattr(cls, k)) for k in
                      ("max_neurons", "max_edges", "max_cells", "max_frames")})


def smoothed_steps(doc: Mapping) -> int:
    """Rows of the smoothed activity: steps + kernel length - 1."""
    return int(doc["model"]["steps"]) + int(doc["kernel"]["values"].size) - 1


def check_graph_size(doc: Mapping, limits: GraphLimits = GraphLimits(),
                     edges: int | None = None, where: str | None = None) -> dict:
    """Raise a LimitError naming the flag if drawing ``doc`` (with ``edges`` edges; None: a
    grid, no edges) would exceed ``limits``; returns the sizes checked."""
    model = doc["model"]
    neurons = int(model["layers"]) * int(model["neurons"])
    rows = smoothed_steps(doc)
    check_limit("layers x neurons", neurons, limits.max_neurons, "--max-neurons", where)
    check_limit("the smoothed steps (steps + kernel length - 1)", rows, limits.max_frames,
                "--max-frames", where)
    check_limit("smoothed steps x layers x neurons", rows * neurons, limits.max_cells,
                "--max-cells", where)
    needs = {"neurons": neurons, "smoothed_steps": rows}
    if edges is not None:
        check_limit("the number of edges", edges, limits.max_edges, "--max-edges", where)
        needs["edges"] = edges
    return needs


def check_graph_frames(first: float, last: float, limits: GraphLimits = GraphLimits(),
                       where: str | None = None) -> int:
    """Raise if the animation's frames ``first``..``last`` leave Blender's frame range or number
    more than ``limits.max_frames`` (--max-frames); returns how many frames it has."""
    if not (abs(first) <= MAX_FRAME_NUMBER and abs(last) <= MAX_FRAME_NUMBER):
        raise NeuroBlendError(
            f"{where + ': ' if where else ''}the graph animation runs from frame {first:.6g} to "
            f"{last:.6g}, beyond Blender's frames (+-{MAX_FRAME_NUMBER}); lower --start-frame, "
            "--frames-per-step or --rearrange")
    frames = math.ceil(last) - math.floor(first) + 1
    check_limit("frames of the graph animation", frames, limits.max_frames, "--max-frames", where)
    return frames
