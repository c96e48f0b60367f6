"""Clips that read at video size: text heights measured with matplotlib's own renderer, line-head
labels that never overlap, readable compartment names, line widths by frame height, the clip's
font, and one clock per frame in the example film."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from neuroblend.clips.compartments import readable_name, resolve_compartments  # noqa: E402
from neuroblend.clips.figure import ClipText  # noqa: E402
from neuroblend.clips.network import NetworkAnimator  # noqa: E402
from neuroblend.clips.trace import Timing, TraceAnimator, TraceStyle, spread  # noqa: E402
from neuroblend.film import load_storyboard  # noqa: E402
from neuroblend.film.build import _own_clock  # noqa: E402
from neuroblend.simulation.simulation_build import build_simulation_document  # noqa: E402
from neuroblend.typography.font_file import DEFAULT_FONT  # noqa: E402
from neuroblend.typography.sizes import MIN_CLIP_TEXT  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# (clip size, height of the frame it is seen in): alone at 540p and 1080p, and the example
# film's clip (0.38 of a 960x540 video)
SIZES = [((960, 540), None), ((1920, 1080), None), ((364, 206), 540)]


def twin_traces() -> dict:
    """soma and dendrite_1[20] with the same spike: their line heads meet at every instant."""
    t = np.linspace(0.0, 10.0, 201)
    spike = -65.0 + 100.0 * np.exp(-((t - 5.0) / 0.6) ** 2)
    cell = {"name": "cell", "nseg": [1, 1], "sections": {
        "name": ["soma", "dendrite_1[20]"], "type": ["soma", "dend"], "parent": [-1, 0],
        "parent_x": [0.5, 1.0], "points": [np.array([[0, 0, 0], [10, 0, 0]], float),
                                           np.array([[10, 0, 0], [50, 0, 0]], float)],
        "diameters": [np.full(2, 10.0), np.ones(2)]}}
    return build_simulation_document([cell], t, np.stack([spike, spike]))


def _animator(size, frame_height, **style):
    doc = twin_traces()
    comps = resolve_compartments(doc, ["soma", "dendrite_1[20](0.5)"])
    return TraceAnimator(doc, comps, size, Timing(window=(0.0, 10.0)),
                         TraceStyle(cmap="plasma", text=ClipText.of(None, frame_height), **style))


def _texts(animator):
    ax = animator.ax
    texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label, ax.yaxis.label,
             *animator.tags]
    return texts + ([animator.clock] if animator.clock is not None else [])


@pytest.mark.parametrize(("size", "frame_height"), SIZES)
def test_every_text_is_at_least_its_share_of_the_frame_height(size, frame_height):
    animator = _animator(size, frame_height)
    animator.draw_at(5.0)
    renderer = animator.canvas.get_renderer()
    seen_in = frame_height or size[1]
    for text in _texts(animator):
        if text.get_text():
            height = text.get_window_extent(renderer).height
            assert height >= MIN_CLIP_TEXT * seen_in, (text.get_text(), height, seen_in)
            assert _font_file(text).name == DEFAULT_FONT.name  # the same face (matplotlib's copy)


def _font_file(text) -> Path:
    from matplotlib.font_manager import findfont

    props = text.get_fontproperties()
    return Path(props.get_file() or findfont(props, fallback_to_default=False))


def test_a_chosen_font_sets_every_text(tmp_path):
    import matplotlib

    serif = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    doc = twin_traces()
    comps = resolve_compartments(doc, ["soma"])
    animator = TraceAnimator(doc, comps, (640, 360), Timing(window=(0.0, 10.0)),
                             TraceStyle(text=ClipText.of(serif)))
    animator.draw_at(5.0)
    assert {_font_file(t) for t in _texts(animator) if t.get_text()} == {serif}


@pytest.mark.parametrize(("size", "frame_height"), SIZES)
def test_line_head_labels_never_overlap_and_stay_in_the_frame(size, frame_height):
    animator = _animator(size, frame_height)
    renderer = animator.canvas.get_renderer()
    for now in np.linspace(0.05, 10.0, 40):
        animator.draw_at(float(now))
        soma, dend = (tag.get_window_extent(renderer) for tag in animator.tags)
        assert not soma.overlaps(dend), now
        for box in (soma, dend):
            assert box.x0 >= 0 and box.y0 >= 0, now
            assert box.x1 <= size[0] + 0.5 and box.y1 <= size[1] + 0.5, now
    # the axes' own text stays clear of each other and inside the figure too
    boxes = [t.get_window_extent(renderer) for t in (animator.ax.xaxis.label,
                                                     animator.ax.yaxis.label)]
    assert not boxes[0].overlaps(boxes[1])


def test_spread_keeps_order_and_the_gap():
    y = spread(np.array([100.0, 100.0, 101.0, 5.0]), 20.0, 0.0, 130.0)
    assert np.all(np.diff(np.sort(y)) >= 20.0 - 1e-9)
    assert y.max() <= 130.0 and y[3] == 5.0
    assert list(np.argsort(y, kind="stable")) == [3, 0, 1, 2]


def test_compartments_are_named_for_people_unless_asked_otherwise():
    readable = _animator((960, 540), None)
    assert [t.get_text() for t in readable.tags] == ["soma", "dendrite 1, section 20, 50%"]
    raw = _animator((960, 540), None, names="neuron")
    assert [t.get_text() for t in raw.tags] == ["soma", "dendrite_1[20](0.5)"]
    assert readable_name("dend[1]", 0.5) == "dendrite 1, 50%"
    assert readable_name("apic[4]", 0.1) == "apical dendrite 4, 10%"
    assert readable_name("soma[0]", 0.5) == "soma"


def test_line_widths_follow_the_frame_height():
    small, large = _animator((960, 540), None), _animator((1920, 1080), None)
    ratio = large.lines[0].get_linewidth()[0] / small.lines[0].get_linewidth()[0]
    assert ratio == pytest.approx(2.0)
    film = _animator((364, 206), 540)  # a clip in a 540p film: the film's line width
    assert film.lines[0].get_linewidth()[0] == pytest.approx(small.lines[0].get_linewidth()[0])


def test_network_clip_text_reads_at_video_size():
    smoothed = np.random.default_rng(0).random((5, 6, 20))
    animator = NetworkAnimator(smoothed, (320, 180), text=ClipText.of(None, 540))
    animator.draw(2)
    renderer = animator.canvas.get_renderer()
    for text in [animator.ax.xaxis.label, animator.ax.yaxis.label, animator.clock,
                 *animator.ax.get_xticklabels()]:
        assert text.get_window_extent(renderer).height >= MIN_CLIP_TEXT * 540


def test_one_clock_per_frame_in_the_example_film(tmp_path):
    board = load_storyboard(REPO / "examples" / "storyboard.toml")
    shot, clip = board.item("neuron"), board.item("trace")
    assert clip.spec["bind"] == "neuron" and shot.spec["look"].get("time_label", True)
    assert not _own_clock(board, clip)  # the shot's label shows the time: the clip draws none
    assert _animator((364, 206), 540, clock=False).clock is None
    shot.spec["look"]["time_label"] = False
    assert _own_clock(board, clip)  # no label in the shot: the clip keeps its clock
    clip.spec["options"]["clock"] = False
    assert not _own_clock(board, clip)
