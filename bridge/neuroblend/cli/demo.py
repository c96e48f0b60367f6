"""``neuroblend demo [--out DIR]``: NEURON's pyramidal cell firing, rendered to an MP4 and a PNG.

Simulates NEURON's bundled ``pyramid.nrn`` (soma current pulse, active dendrites), builds the
glowing-neuron scene and renders the first action potential spreading from the soma into the
dendrites: a 3-second 30 fps MP4 and a still at the soma's peak, plus the self-contained .blend.
"""

from __future__ import annotations

import time
from pathlib import Path

from neuroblend.argtypes import pixel_size
from neuroblend.cli.option_flags import ranged
from neuroblend.render_options import RenderOptions
from neuroblend.simulation.demo_cell import WINDOW_MS, demo_settings, pyramid_path

HELP = "simulate NEURON's pyramidal cell and render its action potential (MP4 + PNG)"
FRAMES_PER_MS = 20.0  # 4.5 ms -> 91 frames, 3 s at 30 fps


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=Path, default=Path("neuroblend-demo"),
                        help="output folder (default: ./neuroblend-demo)")
    parser.add_argument("--resolution", **ranged(RenderOptions, "resolution", "video size",
                                                 syntax=pixel_size, default=(640, 360)))
    parser.add_argument("--samples", **ranged(RenderOptions, "samples", "render samples per pixel",
                                              default=8))
    parser.add_argument("--font", type=Path, metavar="FILE.ttf",
                        help="font of the time label and colorbar (default: the bundled DejaVu Sans)")
    parser.add_argument("--verbose", action="store_true",
                        help="show Blender's own log lines (per frame) besides the progress line")


def run(args) -> int:
    from neuroblend.blender_runner import run_job_written
    from neuroblend.simulation.neuron_sim import simulate
    from neuroblend.spike.render_options import SpikeRenderOptions

    started = time.perf_counter()
    if args.font is not None:  # refused before anything runs
        from neuroblend.typography.font_file import read_metrics

        read_metrics(args.font)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sim = out / "pyramid_sim.pkl"

    def say(message: str) -> None:
        print(f"demo: {message}", flush=True)

    say(f"simulating {pyramid_path().name} with NEURON")
    simulate(pyramid_path(), sim, demo_settings(), progress=say)
    video, blend = out / "pyramid_spike.mp4", out / "pyramid_spike.blend"
    say("building the scene and rendering (PNG still, then the MP4)")
    code, written = run_job_written("render_spike", SpikeRenderOptions(
        input=sim, out=out, video=video, save_blend=blend, time_window=WINDOW_MS,
        frames_per_ms=FRAMES_PER_MS, resolution=args.resolution, samples=args.samples, fps=30,
        vmin=-75.0, vmax=30.0, min_radius=1.2, font=args.font))
    if code:
        return code
    stills = [path for path in written if path.suffix == ".png"]
    print(f"\nNeuroBlend demo done in {time.perf_counter() - started:.0f} s")
    print(f"  video:      {video}")
    if stills:
        print(f"  still:      {stills[-1]}")
    print(f"  scene:      {blend}  (self-contained: open it in Blender, no add-on needed)")
    print(f"  simulation: {sim}")
    return 0
