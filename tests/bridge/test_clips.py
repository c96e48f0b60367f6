"""Matplotlib clips: trace reveal timing, compartment names, frame writer atomicity, timebase."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from PIL import Image  # noqa: E402

from neuroblend.cli import main as cli_main  # noqa: E402
from neuroblend.clips.compartments import resolve_compartments, summarize_names  # noqa: E402
from neuroblend.clips.trace import Timing, TraceAnimator, TraceStyle  # noqa: E402
from neuroblend.clips.writer import FrameWriter  # noqa: E402
from neuroblend.clock import frame_range, frame_to_time, time_to_frame  # noqa: E402
from neuroblend.errors import NeuroBlendError  # noqa: E402
from neuroblend.files.fileformat import save_document  # noqa: E402
from neuroblend.simulation.simulation_build import build_simulation_document  # noqa: E402

LIT = 40  # a pixel channel above this counts as drawn line


def make_simulation(n_times: int = 201, tstop: float = 20.0, t0: float = 0.0) -> dict:
    """Two cells; cell0 has soma (1 compartment) and dend[0..2] (3, 1, 1 compartments)."""
    t = np.linspace(t0, t0 + tstop, n_times)
    ramp = -70.0 + 3.0 * (t - t0)  # steady rise: the line's head is easy to find
    cell0 = {
        "name": "cell0",
        "sections": {"name": ["soma", "dend[0]", "dend[1]", "dend[2]"],
                     "type": ["soma", "dend", "dend", "dend"],
                     "parent": [-1, 0, 1, 1], "parent_x": [0.5, 1.0, 1.0, 1.0],
                     "points": [np.array([[0, 0, 0], [0, 0, 10.0]])] + [
                         np.array([[0, 0, 10.0 * i], [0, 0, 10.0 * (i + 1)]]) for i in (1, 2, 3)],
                     "diameters": [np.array([10.0, 10.0])] + [np.array([1.0, 1.0])] * 3},
        "nseg": [1, 3, 1, 1],
    }
    cell1 = {"name": "cell1",
             "sections": {"name": ["soma"], "type": ["soma"], "parent": [-1], "parent_x": [0.5],
                          "points": [np.array([[0, 0, 0], [0, 0, 10.0]])],
                          "diameters": [np.array([10.0, 10.0])]},
             "nseg": [1]}
    rows = [ramp + 2.0 * i for i in range(7)]
    return build_simulation_document([cell0, cell1], t, np.vstack(rows))


def rightmost_lit_column(pixels: np.ndarray) -> int:
    lit = np.flatnonzero((pixels[..., :3] > LIT).any(axis=(0, 2)))
    return int(lit.max()) if lit.size else -1


# ----------------------------------------------------------------------------- timebase
def test_timebase_maps_start_frame_to_first_sample_and_inverts():
    assert frame_to_time(1, 2.0, 1, 0.0) == 0.0
    assert frame_to_time(21, 2.0, 1, 0.0) == 10.0
    assert frame_to_time(15, 0.5, 10, 5.0) == pytest.approx(15.0)
    frames = np.arange(-5, 50)
    assert np.allclose(time_to_frame(frame_to_time(frames, 3.0, 7, 2.5), 3.0, 7, 2.5), frames)
    assert frame_range(0.0, 20.0, 2.0, 1) == (1, 41)
    with pytest.raises(NeuroBlendError, match="positive"):
        frame_to_time(1, 0.0)


# ----------------------------------------------------------------------------- trace clip
@pytest.mark.parametrize("frame", [2, 13, 27, 40])
def test_trace_frame_reveals_line_exactly_up_to_its_time(frame):
    doc = make_simulation(t0=5.0)
    comps = resolve_compartments(doc, ["cell0:soma"])
    animator = TraceAnimator(doc, comps, (320, 180), Timing(frames_per_ms=2.0, start_frame=1),
                             TraceStyle(axes=False, labels=False, linewidth=2.0))
    pixels = animator.draw(frame).copy()
    now = 5.0 + (frame - 1) / 2.0
    assert animator.time_of(frame) == pytest.approx(now)
    value = np.interp(now, doc["time"], doc["values"][0])
    expected_x = animator.ax.transData.transform((now, value))[0]
    assert abs(rightmost_lit_column(pixels) - expected_x) <= 1.5


def test_trace_frames_follow_the_spike_render_timebase():
    doc = make_simulation()
    comps = resolve_compartments(doc, ["cell0:soma"])
    animator = TraceAnimator(doc, comps, (160, 90), Timing(frames_per_ms=1.5, start_frame=4),
                             TraceStyle(axes=False, labels=False))
    frames = animator.frames()
    assert frames[0] == 4 and frames[-1] == 4 + 30  # 20 ms at 1.5 frames/ms from frame 4
    assert rightmost_lit_column(animator.draw(3)) == -1  # before the start frame: nothing drawn
    for f in frames:
        assert animator.time_of(f) == pytest.approx(float(frame_to_time(f, 1.5, 4, 0.0)))
    # defaults as in the spike render: one frame per recorded sample (0.1 ms here)
    default = TraceAnimator(doc, comps, (160, 90), style=TraceStyle(axes=False, labels=False))
    assert default.frames_per_ms == pytest.approx(10.0)
    assert default.frames() == range(1, 202)
    # a time window: the start frame shows its start, the clip ends at its end
    window = TraceAnimator(doc, comps, (160, 90), Timing(2.0, 1, window=(5.0, 15.0)),
                           TraceStyle(axes=False, labels=False))
    assert window.time_of(1) == 5.0 and window.frames() == range(1, 22)
    with pytest.raises(NeuroBlendError, match="end must be after"):
        TraceAnimator(doc, comps, (160, 90), Timing(2.0, 1, window=(5.0, 5.0)))


def test_trace_fill_and_axes_draw_more_than_the_bare_line():
    doc = make_simulation()
    comps = resolve_compartments(doc, ["cell0:soma", "dend[0](0.9)"])
    bare = TraceAnimator(doc, comps, (320, 180), style=TraceStyle(axes=False, labels=False))
    full = TraceAnimator(doc, comps, (320, 180), style=TraceStyle(fill=True, axes=True))
    bare_lit = (bare.draw(12)[..., :3] > LIT).sum()
    full_lit = (full.draw(12)[..., :3] > LIT).sum()
    assert full_lit > 2 * bare_lit
    # frames change as time passes
    assert not np.array_equal(bare.draw(5).copy(), bare.draw(15).copy())


def test_trace_colours_come_from_the_colormap():
    from neuroblend.colormaps.luts import get_lut

    doc = make_simulation()
    comps = resolve_compartments(doc, ["cell0:soma"])
    animator = TraceAnimator(doc, comps, (320, 180), Timing(frames_per_ms=1.0),
                             TraceStyle(cmap="plasma", axes=False, labels=False, linewidth=6))
    pixels = animator.draw(30).copy()  # whole line drawn: low values left, high values right
    col = int(animator.ax.transData.transform((19.0, 0))[0])
    column = pixels[:, col, :3].astype(int)
    brightest = column[column.sum(axis=1).argmax()]
    top = np.rint(get_lut("plasma")[-8:, :3] * 255)
    assert np.abs(top - brightest).max(axis=1).min() <= 12


# ----------------------------------------------------------------------------- names
def test_compartment_names_resolve_to_rows():
    doc = make_simulation()
    rows = {c.label: c.row for c in resolve_compartments(
        doc, ["cell0:soma", "dend[0]", "dend[0](0.1)", "dend[0](0.9)", "dend[0](1)", "dend[2]",
              "cell1:soma(0.3)"])}
    assert rows == {"cell0:soma": 0, "dend[0]": 2, "dend[0](0.1)": 1, "dend[0](0.9)": 3,
                    "dend[0](1)": 3, "dend[2]": 5, "cell1:soma(0.3)": 6}


def test_unknown_compartment_lists_valid_names():
    doc = make_simulation()
    with pytest.raises(NeuroBlendError) as err:
        resolve_compartments(doc, ["dend[7]"])
    assert "soma, dend[0-2]" in str(err.value)
    with pytest.raises(NeuroBlendError, match="several cells"):
        resolve_compartments(doc, ["soma"])
    with pytest.raises(NeuroBlendError, match="from 0 to 1"):
        resolve_compartments(doc, ["cell0:soma(1.5)"])
    with pytest.raises(NeuroBlendError, match="no cell named"):
        resolve_compartments(doc, ["cell9:soma"])
    assert summarize_names(["soma", "a[0]", "a[1]", "a[2]", "a[5]", "axon"]) == "soma, a[0-2,5], axon"


# ----------------------------------------------------------------------------- writer
def _frames(n, size=(64, 36)):
    for i in range(n):
        yield np.full((size[1], size[0], 3), (i * 10) % 256, np.uint8)


def test_writer_png_sequence_and_mp4(tmp_path):
    import imageio_ffmpeg

    with FrameWriter(tmp_path / "seq", (64, 36), 24, first_frame=5, progress=False) as w:
        for f in _frames(3):
            w.write(f)
    assert sorted(p.name for p in (tmp_path / "seq").iterdir()) == [
        "frame_0005.png", "frame_0006.png", "frame_0007.png"]
    assert np.asarray(Image.open(tmp_path / "seq" / "frame_0006.png"))[0, 0, 0] == 10
    with FrameWriter(tmp_path / "clip.mp4", (63, 35), 24, progress=False) as w:  # odd size: padded
        for f in _frames(12, (63, 35)):
            w.write(f)
    count, _ = imageio_ffmpeg.count_frames_and_secs(str(tmp_path / "clip.mp4"))
    assert count == 12
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("out", ["clip.mp4", "frames"])
def test_interrupted_write_leaves_no_final_file(tmp_path, out):
    with pytest.raises(KeyboardInterrupt):
        with FrameWriter(tmp_path / out, (64, 36), 24, progress=False) as w:
            for i, f in enumerate(_frames(10)):
                if i == 5:
                    raise KeyboardInterrupt
                w.write(f)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_cli_run_leaves_no_mp4(tmp_path):
    """Ctrl-C half-way through `neuroblend clip network` leaves neither the MP4 nor a temp file."""
    out = tmp_path / "net.mp4"
    proc = subprocess.Popen(
        [sys.executable, "-m", "neuroblend", "clip", "network", "--steps", "3000",
         "--size", "160x90", "--out", str(out)], stderr=subprocess.PIPE, text=True)
    seen = ""
    while "frames/s" not in seen:  # wait for a progress line: frames are being written
        line = proc.stderr.readline()
        assert line, f"the clip ended before it could be interrupted: {seen}"
        seen += line
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=60)
    assert code == 130, seen + proc.stderr.read()
    assert not out.exists()
    assert os.listdir(tmp_path) == []


def test_writer_refuses_bad_frames_and_foreign_folders(tmp_path):
    with pytest.raises(NeuroBlendError, match="expected"):
        with FrameWriter(tmp_path / "a.mp4", (64, 36), 24, progress=False) as w:
            w.write(np.zeros((10, 10, 3), np.uint8))
    assert not (tmp_path / "a.mp4").exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(NeuroBlendError, match="other files"):
        with FrameWriter(tmp_path / "mine", (64, 36), 24, progress=False):
            pass
    assert (tmp_path / "mine" / "notes.txt").exists()


# ----------------------------------------------------------------------------- CLI
def test_cli_trace_writes_frames_that_match_the_timebase(tmp_path, capsys):
    doc = make_simulation()
    save_document(doc, tmp_path / "sim.pkl")
    code = cli_main(["clip", "trace", str(tmp_path / "sim.pkl"), "--compartments",
                     "cell0:soma", "--out", str(tmp_path / "frames"), "--size", "320x180",
                     "--frames-per-ms", "2", "--frames", "1-25", "--no-axes", "--no-labels",
                     "--quiet"])
    assert code == 0
    files = sorted((tmp_path / "frames").iterdir())
    assert len(files) == 25 and files[0].name == "frame_0001.png"
    cols = [rightmost_lit_column(np.asarray(Image.open(f))) for f in files[1:]]
    assert all(b > a for a, b in zip(cols, cols[1:], strict=False))  # the head moves right


def test_cli_trace_bad_inputs(tmp_path, capsys):
    save_document(make_simulation(), tmp_path / "sim.pkl")
    assert cli_main(["clip", "trace", str(tmp_path / "sim.pkl"), "--compartments", "dendrite",
                     "--out", str(tmp_path / "x.mp4")]) == 2
    err = capsys.readouterr().err
    assert "unknown compartment 'dendrite'" in err and "dend[0-2]" in err
    assert cli_main(["clip", "trace", str(tmp_path / "missing.pkl"),
                     "--out", str(tmp_path / "x.mp4")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert cli_main(["clip", "trace", str(tmp_path / "sim.pkl"), "--compartments", "cell0:soma",
                     "--out", str(tmp_path / "x.gif")]) == 2
    assert ".mp4" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["clip", "trace", str(tmp_path / "sim.pkl"), "--size", "big", "--out", "x.mp4"])
    assert not any(p.name.startswith("x") for p in tmp_path.iterdir())


def test_soma_means_soma0_for_imported_morphologies():
    """`simulate cell.swc` names the soma soma[0]; the README's `--compartments soma` works."""
    from neuroblend.simulation.simulation_build import build_simulation_document

    cell = {"name": "c", "nseg": [1, 1], "sections": {
        "name": ["soma[0]", "dend[0]"], "type": ["soma", "dend"], "parent": [-1, 0],
        "parent_x": [0.0, 1.0], "points": [np.array([[0, 0, 0], [1, 0, 0]], float)] * 2,
        "diameters": [np.ones(2)] * 2}}
    doc = build_simulation_document([cell], np.arange(3.0), np.zeros((2, 3)))
    (comp,) = resolve_compartments(doc, ["soma"])
    assert comp.row == 0 and comp.section == "soma[0]"
