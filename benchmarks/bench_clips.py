"""Trace clip throughput and memory: 1,000 frames at 1280x720 to MP4, against naive baselines.

    .venv/bin/python benchmarks/bench_clips.py [--frames 1000] [--baseline-frames 100]

Ours: one figure, static parts blitted, per-segment alpha updates, frames piped to FFmpeg.
Baselines (same data, same run, fewer frames spread over the clip): (a) a new figure per frame with the line drawn up
to the current time (the usual hand-written loop), (b) one figure fully redrawn every frame
(FuncAnimation without blitting). Memory is the process RSS (FFmpeg runs in its own process).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from neuroblend.clips.compartments import resolve_compartments
from neuroblend.clips.figure import frame_pixels, new_canvas
from neuroblend.clips.trace import Timing, TraceAnimator, TraceStyle
from neuroblend.clips.writer import FrameWriter
from neuroblend.simulation.simulation_build import build_simulation_document

SIZE = (1280, 720)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def simulation(tstop: float = 40.0, dt: float = 0.025) -> dict:
    t = np.arange(0.0, tstop + dt / 2, dt)
    spikes = sum(np.exp(-((t - s) / 0.6) ** 2) for s in (8.0, 17.0, 26.0, 35.0))
    soma = -65.0 + 100.0 * spikes + 2.0 * np.sin(t)
    dend = -65.0 + 70.0 * np.roll(spikes, int(1.5 / dt))
    cell = {"name": "cell", "sections": {
        "name": ["soma", "dend[0]"], "type": ["soma", "dend"], "parent": [-1, 0],
        "parent_x": [0.5, 1.0], "points": [np.array([[0, 0, 0], [0, 0, 10.0]]),
                                           np.array([[0, 0, 10.0], [0, 0, 90.0]])],
        "diameters": [np.array([10.0, 10.0]), np.array([2.0, 2.0])]}, "nseg": [1, 1]}
    return build_simulation_document([cell], t, np.vstack([soma, dend]))


def ours(doc, frames: int, out: Path) -> dict:
    comps = resolve_compartments(doc, ["soma", "dend[0]"])
    timing = Timing(frames_per_ms=frames / 40.0, start_frame=1, frames=(1, frames))
    animator = TraceAnimator(doc, comps, SIZE, timing, TraceStyle(fill=True))
    rss, draw_time = {}, 0.0
    start = time.perf_counter()
    with FrameWriter(out, SIZE, 30, total=frames, progress=False) as writer:
        for frame in range(1, frames + 1):
            t0 = time.perf_counter()
            pixels = animator.draw(frame)
            draw_time += time.perf_counter() - t0
            writer.write(pixels)
            if frame in (100, frames // 2, frames):
                rss[frame] = rss_mb()
    total = time.perf_counter() - start
    return {"fps": frames / total, "draw_fps": frames / draw_time, "rss": rss}


def sample_frames(frames: int, total_frames: int) -> list[int]:
    """``frames`` frames spread evenly over the clip (early frames are cheaper to draw)."""
    return [int(f) for f in np.linspace(1, total_frames, frames)]


def baseline_new_figure(doc, frames: int, total_frames: int) -> dict:
    """A new figure per frame, everything drawn from scratch, line cut at the current time."""
    from matplotlib.collections import LineCollection

    t, v = doc["time"], doc["values"][:2].astype(float)
    rss, start = {}, time.perf_counter()
    for i, frame in enumerate(sample_frames(frames, total_frames), start=1):
        now = (frame - 1) * 40.0 / total_frames
        fig, canvas = new_canvas(SIZE)
        ax = fig.add_axes([0.1, 0.13, 0.86, 0.8])
        ax.set_xlim(t[0], t[-1])
        ax.set_ylim(v.min() - 5, v.max() + 5)
        k = int(np.searchsorted(t, now, side="right"))
        for row in v:
            pts = np.column_stack([t[:k], row[:k]])
            ax.add_collection(LineCollection(np.stack([pts[:-1], pts[1:]], 1), cmap="viridis",
                                             array=row[:k - 1] if k > 1 else None))
            ax.fill_between(t[:k], row[:k], v.min() - 5, alpha=0.3)
        canvas.draw()
        frame_pixels(canvas).copy()
        if i in (10, frames):
            rss[i] = rss_mb()
    return {"fps": frames / (time.perf_counter() - start), "rss": rss}


def baseline_full_redraw(doc, frames: int, total_frames: int) -> dict:
    """Our figure, but every frame fully redrawn (FuncAnimation without blitting)."""
    comps = resolve_compartments(doc, ["soma", "dend[0]"])
    timing = Timing(frames_per_ms=total_frames / 40.0, start_frame=1)
    animator = TraceAnimator(doc, comps, SIZE, timing, TraceStyle(fill=True))
    fills = [artist for fill, head, _ in animator.fills for artist in (fill, head)]
    for artist in animator.lines + animator.heads + fills:
        artist.set_animated(False)
    rss, start = {}, time.perf_counter()
    for i, frame in enumerate(sample_frames(frames, total_frames), start=1):
        k = int(np.searchsorted(animator.time, animator.time_of(frame), side="right")) - 1
        for line, colors in zip(animator.lines, animator.colors, strict=True):
            animator._reveal(line, colors, k)
        for fill, _, shade in animator.fills:
            animator._reveal(fill, shade, k, face=True)
        animator.canvas.draw()
        frame_pixels(animator.canvas).copy()
        if i in (10, frames):
            rss[i] = rss_mb()
    return {"fps": frames / (time.perf_counter() - start), "rss": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1000)
    parser.add_argument("--baseline-frames", type=int, default=100)
    args = parser.parse_args()
    doc = simulation()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "trace.mp4"
        result = ours(doc, args.frames, out)
        size_mb = out.stat().st_size / 1e6
    new_fig = baseline_new_figure(doc, args.baseline_frames, args.frames)
    redraw = baseline_full_redraw(doc, args.baseline_frames, args.frames)
    n = args.frames
    print(f"trace clip {n} frames {SIZE[0]}x{SIZE[1]}, {doc['time'].size} samples x 2 "
          f"compartments, fill on, MP4 {size_mb:.1f} MB")
    print(f"  ours:     {result['fps']:6.1f} frames/s with encoding "
          f"({result['draw_fps']:.1f} frames/s drawing only)")
    print(f"            RSS {result['rss'][100]:.1f} MB at frame 100, "
          f"{result['rss'][n // 2]:.1f} MB at frame {n // 2}, {result['rss'][n]:.1f} MB at "
          f"frame {n} (growth {result['rss'][n] - result['rss'][100]:+.1f} MB)")
    b = args.baseline_frames
    for name, res in (("new figure per frame", new_fig), ("full redraw, no blit", redraw)):
        print(f"  baseline {name}: {res['fps']:6.1f} frames/s drawing only ({b} frames "
              f"spread over the clip); "
              f"ours is {result['draw_fps'] / res['fps']:.1f}x faster; RSS {res['rss'][10]:.1f} -> "
              f"{res['rss'][b]:.1f} MB")


if __name__ == "__main__":
    main()
