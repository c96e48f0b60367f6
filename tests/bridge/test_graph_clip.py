"""`neuroblend clip network --layout graph`: positions, edges and colours on the drawn frames."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("scipy")

from PIL import Image  # noqa: E402

from neuroblend.cli import main as cli_main  # noqa: E402
from neuroblend.clips.graph import GraphAnimator, GraphStyle  # noqa: E402
from neuroblend.colormaps.luts import get_lut  # noqa: E402
from neuroblend.files.fileformat import save_document  # noqa: E402
from neuroblend.graph.edges import edges_record  # noqa: E402
from neuroblend.graph.model import GraphOptions, build_graph  # noqa: E402
from neuroblend.graph.motion import Rearrange  # noqa: E402
from neuroblend.graph.render_options import GraphLook, rest_lifted_lut  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import graph_fixtures as fx  # noqa: E402

SIZE = (640, 360)
START, END = 20, 50


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """Frames 10, 35 and 60 drawn by the CLI, and the graph they show."""
    folder = tmp_path_factory.mktemp("graph_clip")
    doc = fx.small_network(edges=edges_record(3, 4, 0.5, seed=1))
    save_document(doc, folder / "net.pkl")
    frames = {}
    for frame in (10, 35, 60):
        code = cli_main(["clip", "network", "--data", str(folder / "net.pkl"), "--layout", "graph",
                         "--rearrange", f"{START}-{END}", "--cmap", "spring", "--quiet",
                         "--size", "640x360", "--frames", f"{frame}-{frame}",
                         "--out", str(folder / "png")])
        assert code == 0
        frames[frame] = np.asarray(Image.open(folder / "png" / f"frame_{frame:04d}.png"))[..., :3]
    graph = build_graph(doc, GraphOptions(Rearrange(START, END, 0.5, 0)))
    return graph, GraphAnimator(graph, SIZE, GraphStyle(cmap="spring")), frames


def _discs(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] > 200  # spring: red is 255 at every activity; edges and halos are dimmer


def test_before_start_the_neurons_are_shuffled_and_after_end_layered(clip):
    graph, animator, frames = clip
    shuffled = animator.project(graph.shuffled)
    layered = animator.project(graph.layered)
    assert np.abs(shuffled - layered).max() > 20  # the layouts do differ on screen
    assert fx.match_error(fx.blob_centroids(_discs(frames[10])), shuffled) < 1.0
    assert fx.match_error(fx.blob_centroids(_discs(frames[60])), layered) < 1.0


def test_edges_stay_attached_to_their_neurons_during_the_move(clip):
    graph, animator, frames = clip
    rgb = frames[35].astype(int)
    now = animator.project(graph.positions_at(35))
    radius_px = graph.radius * SIZE[0] / np.ptp(animator.ax.get_xlim())
    found = fx.blob_centroids(_discs(rgb))
    assert fx.isolated_error(found, now, 2.5 * radius_px) < 1.0  # discs where the model says
    points = fx.segment_samples(now[graph.edges[:, 0]], now[graph.edges[:, 1]]).reshape(-1, 2)
    clear = np.linalg.norm(points[:, None] - now[None], axis=2).min(axis=1) > 2.6 * radius_px
    cols, rows = points[clear].astype(int).T
    assert clear.sum() > 20
    lit = rgb[rows, cols]
    assert np.all(lit[:, 2] > 50) and np.all(lit[:, 2] > 1.5 * lit[:, 0])  # blue edge under every point


def test_a_neurons_colour_follows_its_activity(clip):
    graph, animator, frames = clip
    lut = (rest_lifted_lut(get_lut("spring"), GraphLook.rest_lift)[:, :3] * 255).round()
    vmin, vmax = graph.activity_range()
    changed = 0
    for frame in (10, 60):
        centres = animator.project(graph.positions_at(frame)).astype(int)
        seen = frames[frame][centres[:, 1], centres[:, 0]].astype(int)
        t = np.clip((graph.activity_at(frame) - vmin) / (vmax - vmin), 0, 1)
        expected = lut[np.minimum((t * 256).astype(int), 255)]
        assert np.abs(seen - expected).max() <= 2
        changed += int(np.ptp(t) > 0.3)
    assert changed  # the frames do show different activity levels


def test_every_resting_neuron_shows_on_black(tmp_path):
    """No activity at all (the default model often dies out): every disc still reads."""
    doc = fx.small_network(edges=edges_record(3, 4, 0.5, seed=1), p_spont=0.0)
    graph = build_graph(doc, GraphOptions(Rearrange(START, END, 0.5, 0)))
    assert not graph.activity.any()
    animator = GraphAnimator(graph, SIZE)  # the default look: inferno, black at rest
    for frame in (10, 60):
        rgb = animator.draw(frame)[..., :3].astype(int)
        for col, row in animator.project(graph.positions_at(frame)).astype(int):
            assert rgb[row - 1:row + 2, col - 1:col + 2].max() > 40, (frame, col, row)


def test_graph_clip_needs_the_rearrange_timing(tmp_path, capsys):
    save_document(fx.small_network(), tmp_path / "net.pkl")
    code = cli_main(["clip", "network", "--data", str(tmp_path / "net.pkl"), "--layout", "graph",
                     "--out", str(tmp_path / "png")])
    assert code == 2 and "--rearrange START-END" in capsys.readouterr().err
    assert not (tmp_path / "png").exists()
