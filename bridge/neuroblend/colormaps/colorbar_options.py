"""Options of the colorbar job (``neuroblend colorbar``), checked before Blender starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.option_ranges import BIG, RangeChecked, real, whole
from neuroblend.typography.font_file import read_metrics


@dataclass(frozen=True)
class ColorbarOptions(RangeChecked):
    """A colormap rendered as a strip: defaults are the command's (ranges checked on creation)."""

    name: str
    out: Path
    mode: str = "exact"
    stops: int = whole(32, 2, 32)
    size: tuple[int, int] = whole((512, 48), 4, 8192, count=2)
    vmin: float = real(0.0, -BIG, BIG, below="vmax", flag="--min")
    vmax: float = real(1.0, -BIG, BIG, flag="--max")
    ticks: int = whole(0, 0, 50)
    reverse: bool = False
    samples: int = whole(16, 1, 65536)
    font: Path | None = None  # the tick labels' font file (default: the bundled face)

    def check(self) -> None:
        """Refuse bad options with one clear line."""
        from neuroblend.colormaps import luts as colormaps
        from neuroblend.colormaps import ramp_fit

        colormaps.resolve_name(self.name)
        if self.mode == "ramp":
            ramp_fit.check_stops(self.stops)
        if self.ticks == 1:
            raise NeuroBlendError(f"--ticks {self.ticks}: use 0 (no labels) or 2..50")
        if self.font is not None:
            read_metrics(self.font)
        if self.out.suffix.lower() != ".png":
            raise NeuroBlendError(f"--out {self.out}: the colorbar is a PNG; name it *.png")
