"""THE table of the spike playback settings: look, tube geometry and timing, one row each.

Each field is one row (``neuroblend.settings_table``): key, type, default, range, help, flag group,
root property, shader input, panel row, storyboard look key. The render flags, the film's look
keys, the add-on's import properties and panel, the root Empty's properties and the material's
value nodes are all made from these rows. A new playback setting is one row here plus its use in
the shader (``neuroblend.blender.spike.look``).
"""

from __future__ import annotations

from dataclasses import dataclass

from neuroblend import clock
from neuroblend.option_ranges import BIG, BLENDER_MAX_FRAME, RangeChecked, real, whole
from neuroblend.scale_bar import SCALE_BAR_HELP, scale_bar_field
from neuroblend.settings_table import MATERIAL, setting
from neuroblend.spike.tube_geometry import TubeOptions

SOMA_SHAPES = ("auto", "sphere", "traced")
COLORMAP_MODES = ("exact", "ramp")
PERCENTILES = (1.0, 99.9)  # the colour range when vmin/vmax are not given
T = TubeOptions  # the tube geometry's defaults are its own

GEOMETRY, TIMING = "geometry", "timing"


@dataclass(kw_only=True)
class SpikeLook(RangeChecked):
    """How a simulation plays back: every setting the spike render, film shot and add-on share."""

    colormap: str = setting("plasma", "matplotlib colormap name")
    colormap_mode: str = setting("exact", "exact: a lookup table; ramp: a fitted ColorRamp",
                                 choices=COLORMAP_MODES)
    vmin: float | None = setting(
        real(None, -BIG, BIG, below="vmax"), "value at the colormap's low end (default: the "
        "low percentile of the data)", root="nb_value_min", shader=MATERIAL,
        panel=("Colour range", "Min"), soft=(-1e6, 1e6))
    vmax: float | None = setting(
        real(None, -BIG, BIG), "value at the colormap's high end (default: the high percentile "
        "of the data)", root="nb_value_max", shader=MATERIAL, panel=("Colour range", "Max"),
        soft=(-1e6, 1e6))
    reverse: bool = setting(False, "run the colormap from its end to its start",
                            root="nb_reverse", shader=MATERIAL, panel=("Colour range", "Reverse"))
    brightness: float = setting(real(1.0, 0, 1e4), "emission at rest", root="nb_brightness",
                                shader=MATERIAL, panel=("Glow", "Rest Brightness"),
                                soft=(0.0, 100.0))
    rest_lift: float = setting(real(0.08, 0, 1e4), "white added at rest so the whole cell shows "
                               "on black (0: off)", root="nb_rest_lift", shader=MATERIAL,
                               panel=("Glow", "Rest Lift"), soft=(0.0, 1.0))
    glow: float = setting(real(6.0, 0, 1e4), "extra emission at the top value", root="nb_glow",
                          shader=MATERIAL, panel=("Glow", "Glow"), soft=(0.0, 1000.0))
    edge_darkening: float = setting(real(0.5, 0, 1), "darken tube edges to show their roundness",
                                    root="nb_edge_darkening", shader=MATERIAL,
                                    panel=("Glow", "Edge Darkening"))
    rim: float = setting(real(1.0, 0, 1e4), "Fresnel rim on the emission, a depth cue (0: off)",
                         root="nb_rim", shader=MATERIAL, panel=("Glow", "Rim"), soft=(0.0, 100.0))
    time_label: bool = setting(True, "show the simulation time")
    colorbar: bool = setting(True, "show a colorbar with the value range")
    scale_bar: str | float = setting(scale_bar_field(), SCALE_BAR_HELP + " um",
                                     metavar="auto|off|LENGTH")
    # tube geometry
    radius_scale: float = setting(
        real(T.radius_scale, 0, 1e4, above_low=True), "tube radius multiplier", group=GEOMETRY,
        root="nb_radius_scale", shader="Radius Scale", panel=("Thickness", "Radius Scale"),
        soft=(0.0, 100.0))
    min_radius: float = setting(
        real(T.min_radius, 0, 1e4), "minimum tube radius (um)", group=GEOMETRY,
        root="nb_min_radius", shader="Minimum Radius", panel=("Thickness", "Minimum (um)"),
        soft=(0.0, 1000.0))
    min_pixels: float = setting(
        real(T.min_pixels, 0, 1e4), "minimum on-screen tube width in pixels (0: off)",
        group=GEOMETRY, root="nb_min_pixels", shader="Minimum Pixels",
        panel=("Thickness", "Minimum (pixels)"), soft=(0.0, 100.0))
    homogeneity: float = setting(
        real(T.homogeneity, 0, 1), "blend radii towards the cell's mean radius", group=GEOMETRY,
        root="nb_homogeneity", shader="Homogeneity", panel=("Thickness", "Homogeneity"))
    tube_resolution: int = setting(whole(T.resolution, 3, 64), "most vertices around a tube "
                                   "(thin or far tubes get fewer)", group=GEOMETRY)
    soma: str = setting(T.soma, "soma shape (auto: the traced outline when the file has one)",
                        group=GEOMETRY, choices=SOMA_SHAPES)
    smoothing: int = setting(whole(T.smoothing, 0, 3), "extra subdivision levels for hero shots",
                             group=GEOMETRY)
    # timing (a film's clock sets these itself)
    start_frame: int = setting(
        whole(1, -BLENDER_MAX_FRAME, BLENDER_MAX_FRAME), "frame showing the first sample",
        group=TIMING, root=clock.START_FRAME, shader=MATERIAL, panel=("Timing", "Start Frame"),
        soft=(-10000.0, 100000.0), look=False)
    frames_per_ms: float | None = setting(
        real(None, 0, 1e4, above_low=True), "animation frames per simulated ms (default: one "
        "per sample)", group=TIMING, root=clock.FRAMES_PER_MS, shader=MATERIAL,
        panel=("Timing", "Frames per ms"), soft=(0.001, 10000.0), look=False)

    def tube(self, **more) -> TubeOptions:
        """The tube geometry options of this look (``more``: TubeOptions' other fields)."""
        return TubeOptions(radius_scale=self.radius_scale, min_radius=self.min_radius,
                           homogeneity=self.homogeneity, resolution=self.tube_resolution,
                           soma=self.soma, smoothing=self.smoothing, min_pixels=self.min_pixels,
                           **more)
