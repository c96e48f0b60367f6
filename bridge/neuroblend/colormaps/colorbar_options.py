"""Options of the colorbar job (``neuroblend colorbar``), checked before Blender starts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from neuroblend.errors import NeuroBlendError


@dataclass(frozen=True)
class ColorbarOptions:
    """A colormap rendered as a strip: defaults are the command's."""

    name: str
    out: Path
    mode: str = "exact"
    stops: int = 32
    size: tuple[int, int] = (512, 48)
    vmin: float = 0.0
    vmax: float = 1.0
    ticks: int = 0
    reverse: bool = False
    samples: int = 16

    def check(self) -> None:
        """Refuse bad options with one clear line."""
        from neuroblend.colormaps import luts as colormaps
        from neuroblend.colormaps import ramp_fit

        colormaps.resolve_name(self.name)
        if self.mode == "ramp":
            ramp_fit.check_stops(self.stops)
        if not (math.isfinite(self.vmin) and math.isfinite(self.vmax)) or not self.vmin < self.vmax:
            raise NeuroBlendError(f"--min {self.vmin} --max {self.vmax}: need finite numbers, min < max")
        if self.ticks < 0 or self.ticks == 1 or self.ticks > 50:
            raise NeuroBlendError(f"--ticks {self.ticks}: use 0 (no labels) or 2..50")
        if self.samples < 1:
            raise NeuroBlendError(f"--samples {self.samples}: must be at least 1")
        if self.out.suffix.lower() != ".png":
            raise NeuroBlendError(f"--out {self.out}: the colorbar is a PNG; name it *.png")
