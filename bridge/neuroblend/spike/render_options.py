"""Options of the spike render job (``neuroblend render spike``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from neuroblend.files.limits import MAX_BAKE_MB, MAX_NETWORK_CONNECTIONS
from neuroblend.render_options import RenderOptions
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
    vmin: float | None = None
    vmax: float | None = None
    reverse: bool = False
    glow: float = 6.0
    brightness: float = 1.0
    rest_lift: float = 0.08
    rim: float = 1.0
    time_label: bool = True
    colorbar: bool = True
    # geometry
    radius_scale: float = 1.0
    min_radius: float = TubeOptions.min_radius
    homogeneity: float = 0.0
    tube_resolution: int = 16
    soma: str = "auto"
    smoothing: int = 0
    min_pixels: float = 1.5
    lod: str = "auto"
    max_connections: int = MAX_NETWORK_CONNECTIONS  # networks: size limits (render_budget)
    max_bake_mb: float = MAX_BAKE_MB
    # timing
    frames_per_ms: float | None = None
    start_frame: int = 1
    time_window: tuple[float, float] | None = None
    # camera
    camera: str = "whole"
    turntable: bool = False

    def camera_preset(self) -> str:
        """The camera preset (``--turntable`` is the same as ``--camera orbit``)."""
        return "orbit" if self.turntable else self.camera

    @classmethod
    def with_look(cls, input: Path, out: Path, look: dict) -> SpikeRenderOptions:
        """Options for ``input`` with a film shot's ``look`` (field name -> value) over the
        defaults; numbers for float fields become floats, as the command line makes them."""
        floats = {f.name for f in fields(cls) if str(f.type).startswith("float")}
        values: dict[str, Any] = {
            k: float(v) if k in floats and v is not None else v for k, v in look.items()}
        return cls(input=Path(input), out=Path(out), **values)
