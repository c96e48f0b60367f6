"""Colormap figures: ramp-fitter error per colormap at 8/16/32 stops, and time to apply.

    .venv/bin/python benchmarks/bench_colormaps.py [--maps viridis magma ...] [--repeat 5]

Errors are the largest channel difference from matplotlib at the 256 texel centres, in 8-bit
sRGB levels, for the fitted stops and for the baseline of evenly spaced stops sampled from the
colormap (what other add-ons do). Timings (median of --repeat runs, ms) compare building the node
group / applying to a ColorRamp against the baseline of setting 10 evenly spaced stops, measured in
the same run. Target: under 50 ms to apply.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from neuroblend.colormaps import luts as cm
from neuroblend.colormaps import ramp_fit

STOPS = (8, 16, 32)


def even_ramp_error(name: str, n: int) -> float:
    positions = np.linspace(0.0, 1.0, n)
    return ramp_fit.ramp_error_8bit(name, positions, cm.sample(name, positions, space="linear"))


def error_table(names: list[str]) -> None:
    header = "colormap".ljust(18) + "".join(f"{f'fit {n}':>9}{f'even {n}':>9}" for n in STOPS)
    print(header)
    print("-" * len(header))
    ratios = []
    for name in names:
        interpolation = ramp_fit.default_interpolation(name)
        cells = []
        for n in STOPS:
            fit = ramp_fit.fit_ramp(name, n, interpolation).max_error_8bit
            even = even_ramp_error(name, n)
            ratios.append((fit + 0.05) / (even + 0.05))
            cells.append(f"{fit:9.2f}{even:9.2f}")
        print(name.ljust(18) + "".join(cells))
    print(f"\nfitted / evenly spaced error, median over maps and stop counts: "
          f"{statistics.median(ratios):.2f}")


def median_ms(fn, repeat: int, setup=None) -> float:
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def timing_table(repeat: int) -> None:
    import bpy

    from neuroblend.blender.colormaps.nodes import (
        apply_to_color_ramp,
        colormap_node_group,
        group_name,
        lut_image_name,
    )

    bpy.ops.wm.read_factory_settings(use_empty=True)
    ramp = bpy.data.node_groups.new("bench", "ShaderNodeTree").nodes.new("ShaderNodeValToRGB")

    def naive_ten_stops():
        positions = np.linspace(0.0, 1.0, 10)
        colors = cm.sample("magma", positions, space="linear")
        elements = ramp.color_ramp.elements
        while len(elements) > 1:
            elements.remove(elements[-1])
        elements[0].position, elements[0].color = 0.0, tuple(colors[0])
        for p, c in zip(positions[1:], colors[1:], strict=True):
            elements.new(float(p)).color = tuple(c)

    def forget(mode, kind="shader"):
        def setup():
            ramp_fit._fit_cached.cache_clear()
            group = bpy.data.node_groups.get(group_name("magma", mode, kind))
            if group is not None:
                bpy.data.node_groups.remove(group)
            image = bpy.data.images.get(lut_image_name("magma"))
            if image is not None:
                bpy.data.images.remove(image)
        return setup

    baseline = median_ms(naive_ten_stops, repeat)
    rows = [
        ("baseline: 10 evenly spaced stops", baseline),
        ("apply to ColorRamp, 32 stops (fit cached)",
         median_ms(lambda: apply_to_color_ramp(ramp.color_ramp, "magma", 32), repeat)),
        ("apply to ColorRamp, 32 stops (cold fit)",
         median_ms(lambda: apply_to_color_ramp(ramp.color_ramp, "magma", 32), repeat,
                   setup=ramp_fit._fit_cached.cache_clear)),
        ("build exact group (new, shader)",
         median_ms(lambda: colormap_node_group("magma", mode="exact"), repeat,
                   setup=forget("exact"))),
        ("build exact group (new, geometry)",
         median_ms(lambda: colormap_node_group("magma", mode="exact", kind="geometry"), repeat,
                   setup=forget("exact", "geometry"))),
        ("build ramp group (new, cold fit)",
         median_ms(lambda: colormap_node_group("magma", mode="ramp"), repeat,
                   setup=forget("ramp"))),
        ("reuse existing group", median_ms(lambda: colormap_node_group("magma", mode="ramp"),
                                           repeat)),
    ]
    print(f"\n{'operation (magma)':44}{'ms':>8}{'x baseline':>12}")
    for label, ms in rows:
        verdict = "" if ms < 50 else "  (over the 50 ms target)"
        print(f"{label:44}{ms:8.2f}{ms / baseline:12.1f}{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", nargs="*", help="colormaps (default: every forward colormap)")
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions (median)")
    args = parser.parse_args()
    names = args.maps or [n for n in cm.list_colormaps() if not n.endswith("_r")]
    error_table(names)
    timing_table(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
