"""Options of the spike render job (``neuroblend render spike``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from neuroblend.files.limits import MAX_BAKE_MB, MAX_NETWORK_CONNECTIONS
from neuroblend.option_ranges import BIG, BLENDER_MAX_FRAME, real, whole
from neuroblend.render_options import RenderOptions
from neuroblend.scale_bar import scale_bar_field
from neuroblend.spike.tube_geometry import TubeOptions

CAMERA_PRESETS = ("whole", "soma", "dolly", "orbit")
SOMA_SHAPES = ("auto", "sphere", "traced")


@dataclass(kw_only=True)
class SpikeRenderOptions(RenderOptions):
    """A simulation file rendered as glowing neurons (fields: the ``render spike`` flags)."""

    input: Path
    # look
    colormap: str = "plasma"
    colormap_mode: str = "exact"
    vmin: float | None = real(None, -BIG, BIG, below="vmax")
    vmax: float | None = real(None, -BIG, BIG)
    reverse: bool = False
    glow: float = real(6.0, 0, 1e4)
    brightness: float = real(1.0, 0, 1e4)
    rest_lift: float = real(0.08, 0, 1e4)
    rim: float = real(1.0, 0, 1e4)
    time_label: bool = True
    colorbar: bool = True
    scale_bar: str | float = scale_bar_field()  # auto, off or a length in µm
    # geometry
    radius_scale: float = real(1.0, 0, 1e4, above_low=True)
    min_radius: float = real(TubeOptions.min_radius, 0, 1e4)
    homogeneity: float = real(0.0, 0, 1)
    tube_resolution: int = whole(16, 3, 64)
    soma: str = "auto"
    smoothing: int = whole(0, 0, 3)
    min_pixels: float = real(1.5, 0, 1e4)
    lod: str = "auto"
    max_connections: int = whole(MAX_NETWORK_CONNECTIONS, 0, 16_000_000)  # networks: size
    max_bake_mb: float = real(MAX_BAKE_MB, 1, 16384)  # limits (network.render_budget)
    # timing
    frames_per_ms: float | None = real(None, 0, 1e4, above_low=True)
    start_frame: int = whole(1, -BLENDER_MAX_FRAME, BLENDER_MAX_FRAME)
    time_window: tuple[float, float] | None = real(None, -BIG, BIG, count=2, order="<")
    # camera
    camera: str = "whole"
    turntable: bool = False

    def camera_preset(self) -> str:
        """The camera preset (``--turntable`` is the same as ``--camera orbit``)."""
        return "orbit" if self.turntable else self.camera

    @classmethod
    def with_look(cls, input: Path, out: Path, look: dict) -> SpikeRenderOptions:
        """Options for ``input`` with a film shot's ``look`` (field name -> value) over the
        defaults; whole numbers for float fields become floats, as the command line makes them
        (anything else is left for the constructor's range check to refuse)."""
        floats = {f.name for f in fields(cls) if str(f.type).startswith("float")}
        values: dict[str, Any] = {
            k: float(v) if k in floats and _float_able(v) else v for k, v in look.items()}
        return cls(input=Path(input), out=Path(out), **values)


def _float_able(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e300
