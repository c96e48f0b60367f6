"""Everything the units render needs, computed without Blender: unit positions in the scene's
frame, the frame clock, the baked flash/activity matrix, colours and probe shank lines."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroblend.atlas import geometry as geo
from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import check_limit
from neuroblend.nwb import unit_playback as play
from neuroblend.nwb.render_options import DEFAULT_FPS, UnitsRenderOptions

MAX_FRAMES = 65_536  # samples of one baked row (4 per texel, 16384 texels)
MAX_BAKED = 64_000_000  # units x frames baked (256 MB of float32)
SHANK_MARGIN_MM = 0.05


@dataclass
class UnitsPlan:
    """The units scene in numbers (positions in mm, Blender frame)."""

    positions: np.ndarray  # float32 [U, 3]
    time0: float  # ms shown at the start frame
    step: float  # ms per frame
    values: np.ndarray  # float32 [U + R, frames]: unit flashes, then region activity
    regions: list[str]  # atlas acronyms glowing by activity (rows U.. of values)
    colors: np.ndarray  # linear RGBA [U, 4]
    legend: dict
    shanks: list[tuple[str, np.ndarray]]  # (group name, [2, 3] end points)

    @property
    def frames(self) -> int:
        return int(self.values.shape[1])


def frames_per_ms(options: UnitsRenderOptions) -> float:
    """Frames per ms of recording: as given, else real time at the video's fps."""
    return options.frames_per_ms or (options.fps or DEFAULT_FPS) / 1000.0


def electrode_positions(doc: dict, atlas_doc: dict | None) -> np.ndarray:
    """Electrode positions (mm) in the atlas file's frame if one is given (its own transform,
    so a different ``--origin`` still lines up), else as imported."""
    if atlas_doc is None:
        return np.asarray(doc["electrodes"]["position"], dtype=np.float64)
    units_atlas, name = doc["space"].get("atlas", ""), atlas_doc["atlas"]["name"]
    if not units_atlas:
        raise NeuroBlendError(f"the units were not placed in an atlas, so they cannot be shown "
                              f"in atlas {name}; import them with `neuroblend import nwb ... "
                              f"--atlas {name}`")
    if units_atlas != name:
        raise NeuroBlendError(f"the units were placed in atlas {units_atlas}, but the atlas file "
                              f"holds {name}; export regions of {units_atlas}")
    return geo.apply_transform(atlas_doc["transform"], doc["electrodes"]["position_um"])


def plan_units(doc: dict, options: UnitsRenderOptions, atlas_doc: dict | None = None) -> UnitsPlan:
    """The plan of ``doc``'s scene for ``options`` (and the atlas regions of ``atlas_doc``)."""
    fpms = frames_per_ms(options)
    step = 1.0 / fpms
    t0, t1 = (float(v) for v in (options.time_window or doc["window_ms"]))
    if not t1 > t0:
        raise NeuroBlendError(f"--time-window {t0:g} {t1:g}: the end must be after the start")
    n_frames = int(np.floor((t1 - t0) / step + 1e-9)) + 1
    check_limit("frames of the units render", n_frames, MAX_FRAMES, "--frames-per-ms (fewer)")
    check_limit("units x frames to bake", len(doc["unit_ids"]) * n_frames, MAX_BAKED,
                "--time-window (shorter) or --frames-per-ms (fewer)")
    counts = play.frame_counts(doc["spike_offsets"], doc["spike_times"], t0, step, n_frames)
    decay = options.decay or 2.0 * step
    values = play.decayed(counts, step, decay)
    regions: list[str] = []
    if options.region_activity:
        if atlas_doc is None:
            raise NeuroBlendError("--region-activity needs --atlas-file (the regions to light)")
        named = set(doc["unit_region"])
        regions = [r["acronym"] for r in atlas_doc["regions"] if r["acronym"] in named]
        if not regions:
            raise NeuroBlendError("--region-activity: no region of the atlas file is named by "
                                  f"the units (their regions: {', '.join(sorted(named))[:200]})")
        values = np.vstack([values, play.region_activity(counts, doc["unit_region"], regions,
                                                         step, decay)])
    electrodes = electrode_positions(doc, atlas_doc)
    colors, legend = play.unit_colors(doc, options.color_by, options.colormap)
    return UnitsPlan(electrodes[doc["unit_electrode"]].astype(np.float32), t0, step,
                     values.astype(np.float32), regions, colors, legend,
                     shank_lines(doc, electrodes) if options.probes else [])


def shank_lines(doc: dict, electrodes: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """One segment per electrode group through its electrodes (their principal axis), a little
    longer than the span of its electrodes."""
    groups = np.asarray(doc["electrodes"]["group"])
    lines = []
    for name in sorted(set(groups.tolist())):
        points = electrodes[groups == name]
        centre = points.mean(axis=0)
        if len(points) > 1 and np.ptp(points, axis=0).max() > 0:
            direction = np.linalg.svd(points - centre)[2][0]
        else:
            direction = np.array([0.0, 0.0, 1.0])
        along = (points - centre) @ direction
        ends = centre + np.outer([along.min() - SHANK_MARGIN_MM, along.max() + SHANK_MARGIN_MM],
                                 direction)
        lines.append((name, ends))
    return lines


def busiest_frame(plan: UnitsPlan, start_frame: int) -> int:
    """The frame where the most units flash (a still that shows the activity)."""
    n = len(plan.positions)
    return start_frame + int(np.argmax((plan.values[:n] >= 0.999).sum(axis=0)))
