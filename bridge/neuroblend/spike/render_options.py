"""Options of the spike render job (``neuroblend render spike``): the playback settings
(:class:`~neuroblend.spike.playback_settings.SpikeLook`) and the render's own."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from neuroblend.files.limits import MAX_BAKE_MB, MAX_NETWORK_CONNECTIONS
from neuroblend.option_ranges import BIG, real, whole
from neuroblend.render_options import RenderOptions
from neuroblend.spike.playback_settings import SpikeLook

CAMERA_PRESETS = ("whole", "soma", "dolly", "orbit")


@dataclass(kw_only=True)
class SpikeRenderOptions(SpikeLook, RenderOptions):
    """A simulation file rendered as glowing neurons (fields: the ``render spike`` flags)."""

    input: Path
    # look, geometry and timing: the SpikeLook table
    lod: str = "auto"
    max_connections: int = whole(MAX_NETWORK_CONNECTIONS, 0, 16_000_000)  # networks: size
    max_bake_mb: float = real(MAX_BAKE_MB, 1, 16384)  # limits (network.render_budget)
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
