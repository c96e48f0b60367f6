"""Film-ready cells (#15), measured as a viewer sees them at 640x360 on large thin cells:
the whole cell lit at rest, overlays off the cells, a smooth soma close-up that fills the frame,
spikes standing out from rest, and a minimum on-screen width that follows the camera."""

from __future__ import annotations

import subprocess
import sys

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from render_check import render_pixels

from neuroblend import clock
from neuroblend.blender.core import studio
from neuroblend.blender.spike import camera as spike_camera
from neuroblend.blender.spike import playback as spike_playback
from neuroblend.simulation.simulation_file import soma_peak
from neuroblend.spike import synthetic_cells
from neuroblend.spike.tube_geometry import TubeOptions

SIZE = (640, 360)
LIT = 25  # luma (0..255) a viewer reads as lit on black
CELLS = ("pyramid.nrn", "projection", "pyramidal", "stellate")


@pytest.fixture(scope="module")
def pyramid_doc(tmp_path_factory):
    """NEURON's bundled pyramid.nrn, simulated in a separate process (one NEURON run each)."""
    from neuroblend.files.fileformat import load_document
    from neuroblend.simulation.demo_cell import pyramid_path

    out = tmp_path_factory.mktemp("pyramid") / "pyramid.pkl"
    subprocess.run([sys.executable, "-m", "neuroblend", "simulate", str(pyramid_path()), "--trust-code",
                    "--out", str(out), "--tstop", "20", "--sample-every", "0.25"],
                   check=True, capture_output=True)
    return load_document(out)


def _doc(name, pyramid_doc):
    if name == "pyramid.nrn":
        return pyramid_doc
    return synthetic_cells.spiking_document((name,), tstop=20.0)


def _scene(doc, *, camera="whole", colorbar=True):
    scene = studio.setup_studio_scene(bpy.context.scene, resolution=SIZE, samples=8,
                                      denoise=False)
    detail = 8.0 if camera == "soma" else 1.0
    root = spike_playback.import_simulation(doc, scene=scene, name="cell", time_label=True,
                                            colorbar=colorbar, tube=TubeOptions(detail=detail))
    spike_playback.fit_timeline(root, scene)
    spike_camera.apply_camera_preset(root, scene, camera)
    return scene, root


def _luma(image):
    return image @ np.array([0.299, 0.587, 0.114])


def _evaluated(obj):
    return obj.evaluated_get(bpy.context.evaluated_depsgraph_get()).to_mesh()


def _project(scene, obj, coords):
    """Pixel (column, row) and in-front flag of object-space ``coords``."""
    matrix = obj.matrix_world
    ndc = np.array([tuple(world_to_camera_view(scene, scene.camera, matrix @ c))
                    for c in coords]).reshape(-1, 3)
    width, height = SIZE
    return np.stack([ndc[:, 0] * width, (1 - ndc[:, 1]) * height], axis=1), ndc[:, 2] > 0


def footprint(scene, objects) -> np.ndarray:
    """bool [H, W]: the cells' evaluated mesh edges drawn 1 px wide through the scene camera."""
    from mathutils import Vector

    mask = np.zeros(SIZE[::-1], dtype=bool)
    for obj in objects:
        mesh = _evaluated(obj)
        co = np.empty(len(mesh.vertices) * 3)
        mesh.vertices.foreach_get("co", co)
        edges = np.empty(len(mesh.edges) * 2, dtype=np.int64)
        mesh.edges.foreach_get("vertices", edges)
        pixels, front = _project(scene, obj, [Vector(c) for c in co.reshape(-1, 3)])
        a, b = pixels[edges[0::2]], pixels[edges[1::2]]
        keep = front[edges[0::2]] & front[edges[1::2]]
        a, b = a[keep], b[keep]
        steps = np.ceil(np.abs(b - a).max(axis=1)).astype(np.int64) + 1
        t = np.concatenate([np.linspace(0, 1, n) for n in steps]) if len(steps) else np.zeros(0)
        start, end = np.repeat(a, steps, axis=0), np.repeat(b, steps, axis=0)
        points = np.floor(start + (end - start) * t[:, None]).astype(np.int64)
        inside = ((points[:, 0] >= 0) & (points[:, 0] < SIZE[0]) & (points[:, 1] >= 0)
                  & (points[:, 1] < SIZE[1]))
        mask[points[inside, 1], points[inside, 0]] = True
    return mask


@pytest.mark.slow
@pytest.mark.parametrize("name", CELLS)
def test_whole_cell_lit_at_rest_overlays_clear_spike_stands_out(name, pyramid_doc, artifact_dir):
    doc = _doc(name, pyramid_doc)
    scene, root = _scene(doc)
    cells = spike_playback.cell_objects(root)
    rest = render_pixels(scene, 1, artifact_dir / "rest.png")
    cell = footprint(scene, cells)
    lit = float(np.mean(_luma(rest)[cell] >= LIT))
    print(f"{name}: {lit:.0%} of {cell.sum()} footprint pixels lit at rest")
    assert cell.sum() > 800 and lit >= 0.6, f"{name}: only {lit:.0%} of the cell is lit at rest"

    # the overlays never cover the cells: the same shot without them differs nowhere on a cell
    for obj in bpy.data.objects:
        if obj.get("nb_overlay"):
            obj.hide_render = True
    bare = render_pixels(scene, 1, artifact_dir / "no_overlays.png")
    worst = int(np.abs(rest - bare).max(axis=2)[cell].max())
    assert worst <= 2, f"{name}: the overlays change cell pixels by up to {worst}/255"

    # spike frames stay clearly brighter than rest where the spike is (compartments above 0 mV)
    peak = soma_peak(doc)
    frame = round(float(clock.time_to_frame(
        peak["time"], root["nb_frames_per_ms"], root["nb_start_frame"], root["nb_time_start"])))
    spike = render_pixels(scene, frame, artifact_dir / "spike.png")
    sample = int(np.argmin(np.abs(doc["time"] - peak["time"])))
    firing = np.flatnonzero(doc["values"][:, sample] > 0.0)
    mesh = _evaluated(cells[0])
    rows = np.empty(len(mesh.vertices), dtype=np.int32)
    mesh.attributes["nb_compartment"].data.foreach_get("value", rows)
    hot = np.isin(rows, firing)
    pixels, _ = _project(scene, cells[0], [mesh.vertices[i].co for i in np.flatnonzero(hot)])
    px = np.clip(np.round(pixels).astype(int), 0, np.array(SIZE) - 1)
    at_rest, at_spike = _luma(rest)[px[:, 1], px[:, 0]], _luma(spike)[px[:, 1], px[:, 0]]
    assert np.median(at_spike) > 2 * np.median(at_rest) and np.median(at_spike) > 150, \
        (np.median(at_rest), np.median(at_spike))


@pytest.mark.slow
def test_soma_close_up_is_smooth_and_fills_the_frame(pyramid_doc, artifact_dir):
    scene, root = _scene(pyramid_doc, camera="soma")
    for obj in spike_playback.cell_objects(root):
        mesh = _evaluated(obj)
        smooth = np.empty(len(mesh.polygons), dtype=bool)
        mesh.polygons.foreach_get("use_smooth", smooth)
        assert smooth.all(), "every face of a close-up is smooth-shaded"
        assert "sharp_edge" not in mesh.attributes or not any(
            d.value for d in mesh.attributes["sharp_edge"].data)
    image = render_pixels(scene, 1, artifact_dir / "soma.png")
    filled = float(np.mean(_luma(image) >= LIT))
    print(f"soma close-up: the cell fills {filled:.0%} of the frame")
    assert filled >= 0.30


@pytest.mark.slow
def test_close_up_overlays_sit_on_black_bands_not_on_the_cells(pyramid_doc, artifact_dir):
    """In a close-up the cells fill the frame: a black backing behind the colorbar and its labels
    keeps them readable; without overlays the same place shows the cells."""
    rows = slice(int(SIZE[1] * (1 - spike_playback.OVERLAY_RESERVE[0])) + 2, SIZE[1])
    beside_bar = np.r_[int(SIZE[0] * 0.28):int(SIZE[0] * 0.32), int(SIZE[0] * 0.68):int(SIZE[0] * 0.72)]
    seen = {}
    for overlays in (True, False):
        scene, root = _scene(pyramid_doc, camera="soma", colorbar=overlays)
        band = _luma(render_pixels(scene, 1, artifact_dir / f"soma_{overlays}.png"))[rows]
        seen[overlays] = np.percentile(band[:, beside_bar], 99)
        bpy.ops.wm.read_factory_settings(use_empty=True)
    print(f"bottom band beside the colorbar, 99th percentile luma: {seen}")
    assert seen[True] < 30 < 100 < seen[False]


def _thin_radius(obj) -> float:
    """Shown radius (scene units) of the cell's thinnest tube vertex, evaluated."""
    mesh = _evaluated(obj)
    co = np.empty(len(mesh.vertices) * 3)
    mesh.vertices.foreach_get("co", co)
    centre = np.empty(len(mesh.vertices) * 3)
    mesh.attributes["nb_center"].data.foreach_get("vector", centre)
    radius = np.empty(len(mesh.vertices))
    mesh.attributes["nb_radius"].data.foreach_get("value", radius)
    spread = np.linalg.norm((co - centre).reshape(-1, 3), axis=1)
    return float(np.median(spread[radius <= np.percentile(radius, 5)]))


def test_minimum_width_follows_resolution_lens_and_camera_distance():
    """Lens and camera distance are followed live; a new resolution when the shot is framed."""
    doc = synthetic_cells.spiking_document(("projection",), tstop=2.0)
    scene, root = _scene(doc, colorbar=False)
    obj = spike_playback.cell_objects(root)[0]
    wide = _thin_radius(obj)
    scene.render.resolution_x, scene.render.resolution_y = 1280, 720
    spike_playback.frame_simulation(root, scene)  # framing again binds the new resolution
    bpy.context.view_layer.update()
    assert _thin_radius(obj) == pytest.approx(wide / 2, rel=0.05)  # still ~1.5 px wide
    scene.camera.data.lens *= 2
    bpy.context.view_layer.update()
    assert _thin_radius(obj) == pytest.approx(wide / 4, rel=0.05)
    root["nb_min_pixels"] = 0.0  # off: the traced (sub-pixel) radius
    root.update_tag()  # as editing it in the UI does
    bpy.context.view_layer.update()
    assert _thin_radius(obj) < wide / 8


def test_dolly_arrives_at_the_soma_as_the_spike_starts():
    doc = synthetic_cells.spiking_document(("pyramidal",), tstop=20.0, spike_at=8.0)
    scene, root = _scene(doc, colorbar=False)
    scene.frame_start, scene.frame_end = 1, 60
    spike_camera.apply_camera_preset(root, scene, "dolly")
    arrive = spike_camera.spike_start_frame(root)
    # the soma fires at 8 ms; 4 frames per ms from 0 ms at frame 1
    assert arrive == pytest.approx(1 + 8.0 * root["nb_frames_per_ms"], abs=2)
    camera = scene.camera
    center, _radius = spike_camera.soma_target(root)
    distances = []
    for frame in (1, arrive, 60):
        scene.frame_set(frame)
        distances.append((camera.matrix_world.translation - center).length)
    assert distances[0] > 5 * distances[1] and distances[1] == pytest.approx(distances[2])
