"""Clips of a film, drawn on the pure side (matplotlib) at the data times of their clock.

Each clip kind has one renderer ``(doc, options, data_times, size, out_dir, on_frame, text)``
(``text``: the clip's font and the video's height, :class:`~neuroblend.clips.figure.ClipText`) writing
``frame_0001.png``... so frame N of the clip shows the instant frame N of its shot shows.
"""

from __future__ import annotations

from pathlib import Path

from neuroblend.clips.figure import ClipText
from neuroblend.clips.writer import FrameWriter
from neuroblend.errors import NeuroBlendError


def check_trace(doc: dict, options: dict) -> list:
    """The trace clip's compartments, or a clear error naming the one not in ``doc``."""
    from neuroblend.clips.compartments import resolve_compartments

    names = options.get("compartments", ["soma"])
    if not names or not all(isinstance(n, str) for n in names):
        raise NeuroBlendError(f"compartments {names!r}: expected a list of names")
    return resolve_compartments(doc, names)


def render_trace(doc: dict, options: dict, data_times, size, out_dir: Path, on_frame,
                 text: ClipText | None = None) -> None:
    """A trace clip whose head is at ``data_times[k]`` in frame k + 1."""
    from neuroblend.clips.trace import Timing, TraceAnimator, TraceStyle

    value_range = options.get("range")
    style = TraceStyle(cmap=options.get("cmap", "viridis"), fill=options.get("fill", False),
                       axes=options.get("axes", True), labels=options.get("labels", True),
                       value_range=tuple(value_range) if value_range else None,
                       names=options.get("names", "readable"), clock=options.get("clock", True),
                       text=text or ClipText())
    lo, hi = float(min(data_times)), float(max(data_times))
    window = (lo, hi) if hi > lo else (lo, lo + 1.0)
    animator = TraceAnimator(doc, check_trace(doc, options), size,
                             Timing(window=window), style)
    with FrameWriter(out_dir, animator.size, 30.0, total=len(data_times),
                     progress=False) as writer:
        for t in data_times:
            writer.write(animator.draw_at(float(t)))
            on_frame(f"clip frame at {t:.2f} ms")


def render_network(doc: dict, options: dict, data_times, size, out_dir: Path, on_frame,
                   text: ClipText | None = None) -> None:
    """A branching-network clip showing time step ``round(data_times[k])`` in frame k + 1."""
    import numpy as np

    from neuroblend.clips.network import NetworkAnimator
    from neuroblend.graph.branching import smooth_activity

    smoothed = smooth_activity(doc["active"], doc["kernel"]["values"])
    animator = NetworkAnimator(smoothed, size, options.get("cmap", "inferno"),
                               labels=options.get("labels", True), text=text,
                               clock=options.get("clock", True))
    steps = np.clip(np.round(np.asarray(data_times)), 0, len(smoothed) - 1).astype(int)
    with FrameWriter(out_dir, animator.size, 30.0, total=len(steps), progress=False) as writer:
        for step in steps:
            writer.write(animator.draw(int(step)))
            on_frame(f"clip frame at step {step}")


def render_graph(doc: dict, options: dict, data_times, size, out_dir: Path, on_frame,
                 text: ClipText | None = None) -> None:
    """The rearranging graph at model step ``data_times[k]`` (fractional) in frame k + 1."""
    from neuroblend.clips.graph import GraphAnimator, GraphStyle
    from neuroblend.film.graph_options import EDGE_COLOR, graph_options
    from neuroblend.graph.model import build_graph

    style = GraphStyle(cmap=options.get("cmap", "inferno"),
                       edge_color=tuple(options.get("edge_color", EDGE_COLOR)),
                       halo=options.get("halo", True))
    animator = GraphAnimator(build_graph(doc, graph_options(options)), size, style)
    with FrameWriter(out_dir, animator.size, 30.0, total=len(data_times),
                     progress=False) as writer:
        for step in data_times:
            writer.write(animator.draw(float(step)))
            on_frame(f"clip frame at step {float(step):.2f}")


def _no_check(doc: dict, options: dict) -> None:
    return None


CLIP_RENDERERS = {"trace": render_trace, "network": render_network, "graph": render_graph}
# run on every clip before anything renders
CLIP_CHECKS = {"trace": check_trace, "network": _no_check, "graph": _no_check}
