"""The scale bar's numbers (pure): a round length of about 15% of the frame, its label, and the
``auto|off|LENGTH`` setting of ``--scale-bar`` and a storyboard's ``scale_bar``.

The Blender side (``neuroblend.blender.core.scale_bar``) makes the same choice in geometry nodes
from the camera, per frame; :func:`round_length` is the reference its tests compare with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from neuroblend import argtypes
from neuroblend.option_ranges import Range

AUTO, OFF = "auto", "off"
FRACTION = 0.15  # of the frame width, at the camera's focal plane
MAX_LENGTH = 1e6  # µm (cells) or mm (atlases): a bound for a length typed by hand
# thresholds on the mantissa between 1, 2, 5 and 10: geometric midpoints (closest in log)
STEPS = ((math.sqrt(2.0), 1.0), (math.sqrt(10.0), 2.0), (math.sqrt(50.0), 5.0))


def round_length(target: float) -> float:
    """The round length (1, 2 or 5 x a power of ten) closest to ``target`` (on a log scale)."""
    exponent = math.floor(math.log10(target))
    mantissa = target / 10.0 ** exponent
    step = next((value for limit, value in STEPS if mantissa < limit), 10.0)
    return step * 10.0 ** exponent


def label(length_um: float) -> str:
    """``"50 µm"``, ``"1 mm"``, ``"0.5 µm"``: a length in µm as the bar shows it."""
    value, unit = (length_um / 1000.0, "mm") if length_um >= 1000.0 - 1e-6 else (length_um, "µm")
    decimals = max(0, -math.floor(math.log10(value) + 1e-9))
    return f"{value:.{decimals}f} {unit}"


@dataclass(frozen=True)
class ScaleBarRange(Range):
    """The range of a ``scale_bar`` option: ``auto``, ``off`` or a length above 0."""

    def describe(self) -> str:
        return f"auto, off or a length above 0 and at most {argtypes.number_text(self.high)}"

    def problem(self, value) -> str | None:
        if isinstance(value, str) and value.lower() in (AUTO, OFF):
            return None
        return super().problem(value) and f"expected {self.describe()}"

    def convert(self, value):
        return value.lower() if isinstance(value, str) else float(value)

    def argtype(self):
        return argtypes.auto_off_or(self.low, self.high)


SCALE_BAR_HELP = ("a scale bar: a round length of about 15%% of the frame width at the camera's "
                  "focal plane, or LENGTH")  # + the unit; the flag's help (%% for argparse)


def scale_bar_field(default: str = AUTO):
    """A dataclass field ``scale_bar``: auto, off or a length (``unit`` of the scene)."""
    from dataclasses import field

    from neuroblend.option_ranges import KEY

    return field(default=default, metadata={KEY: ScaleBarRange(0.0, MAX_LENGTH, above_low=True)})
