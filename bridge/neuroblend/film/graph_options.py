"""The graph animation's options in a storyboard (graph shots and graph clips).

Film time for a graph is the model step: a graph shot's clock maps video seconds to steps, and
``rearrange = [START, END]`` gives the window of the move in steps too (data time, not video
time), so a graph clip on the same clock shows the same positions and activity in every frame,
however the clock holds or eases. Internally the graph runs at one "graph frame" per step from
step 0 (``GraphOptions(frames_per_step=1, start_frame=0)``), so graph frame == step.
"""

from __future__ import annotations

from neuroblend.graph.render_options import NetworkRenderOptions
from neuroblend.option_ranges import Range, ranges_of, shown

# options that decide where the neurons are: a clip bound to a graph shot inherits them (numbers
# in the ranges of the same flags of ``render network``)
LAYOUT = {"rearrange": list,
          **ranges_of(NetworkRenderOptions, "stagger", "edges", "depth", "layout_seed")}
EDGE_COLOR = (0.35, 0.55, 1.0)
REARRANGE_STEPS = Range(-1e7, 1e7, count=2, order="<")  # [START, END] model steps


def check_graph_options(problems, options: dict, path: str) -> None:
    """Report bad graph options (``rearrange`` required, a colour; numbers: their ranges)."""
    window = options.get("rearrange")
    if window is None:
        problems.add(f"{path}.rearrange", "a graph needs rearrange = [START, END]: the model "
                     "steps over which the neurons fly into their layers, e.g. [5, 15]")
    elif REARRANGE_STEPS.problem(window):
        problems.add(f"{path}.rearrange", f"{shown(window)}: expected [START, END] model steps "
                     "with END after START, each within +-1e7, e.g. [5, 15]")
    color = options.get("edge_color", list(EDGE_COLOR))
    if not (isinstance(color, list) and len(color) == 3 and all(
            isinstance(c, int | float) and not isinstance(c, bool) and 0 <= c <= 1
            for c in color)):
        problems.add(f"{path}.edge_color", f"{color!r}: expected [R, G, B] in 0..1")


def inherit_from_shot(options: dict, shot_look: dict) -> dict:
    """A graph clip's options completed from its graph shot's look (layout, colours)."""
    inherited = {key: shot_look[key] for key in (*LAYOUT, "edge_color") if key in shot_look}
    if "colormap" in shot_look:
        inherited["cmap"] = shot_look["colormap"]
    return {**inherited, **options}


def graph_options(options: dict):
    """:class:`neuroblend.graph.model.GraphOptions` of checked options (graph frame == step)."""
    from neuroblend.graph.model import GraphOptions
    from neuroblend.graph.motion import Rearrange

    seed = int(options.get("layout_seed", 0))
    start, end = (float(v) for v in options["rearrange"])
    return GraphOptions(Rearrange(start, end, float(options.get("stagger", 0.5)), seed),
                        depth=int(options.get("depth", 1)), seed=seed,
                        density=options.get("edges"), frames_per_step=1.0, start_frame=0)
