"""Options of the colorbar job (``neuroblend colorbar``), checked before Blender starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.argtypes import pixel_size
from neuroblend.errors import NeuroBlendError
from neuroblend.option_ranges import BIG, RangeChecked, real, whole
from neuroblend.settings_table import setting
from neuroblend.typography.font_file import read_metrics


@dataclass(frozen=True)
class ColorbarOptions(RangeChecked):
    """A colormap rendered as a strip: each setting a row of the command's flags (ranges
    checked on creation)."""

    name: str
    out: Path
    mode: str = setting("exact", "exact: a 256-entry lookup image; ramp: a fitted ColorRamp",
                        choices=("exact", "ramp"), group="")
    stops: int = setting(whole(32, 2, 32), "ColorRamp stops in ramp mode", group="")
    size: tuple[int, int] = setting(whole((512, 48), 4, 8192, count=2), "WIDTHxHEIGHT pixels",
                                    syntax=pixel_size, group="")
    vmin: float = setting(real(0.0, -BIG, BIG, below="vmax", flag="--min"),
                          "value at the left end", group="")
    vmax: float = setting(real(1.0, -BIG, BIG, flag="--max"), "value at the right end", group="")
    ticks: int = setting(whole(0, 0, 50), "number of evenly spaced tick labels from min to max "
                         "(0: none; not 1)", group="")
    reverse: bool = setting(False, "run the colormap right to left", group="")
    samples: int = setting(whole(16, 1, 65536), "Cycles samples", group="")
    font: Path | None = setting(None, "font of the tick labels (default: the bundled DejaVu "
                                "Sans)", argtype=Path, metavar="FILE.ttf", group="")

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
