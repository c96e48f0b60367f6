"""Options of the compose job (``neuroblend compose``), checked before Blender starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.option_ranges import BLENDER_MAX_FRAME, RangeChecked, real, whole


@dataclass(frozen=True)
class ComposeOptions(RangeChecked):
    """Layers (``PATH[:key=value,...]``, bottom first) into one video or PNG folder."""

    layers: tuple[str, ...]
    out: Path
    size: tuple[int, int] | None = whole(None, 16, 8192, count=2)
    fps: float | None = real(None, 1, 240)
    frames: tuple[int, int] | None = whole(None, 0, BLENDER_MAX_FRAME, count=2, order="<=")

    def check(self) -> None:
        """Bad layers or outputs fail here with one line."""
        from neuroblend.clips.layers import parse_layer

        for spec in self.layers:
            parse_layer(spec)
        if self.out.suffix and self.out.suffix.lower() != ".mp4":
            raise NeuroBlendError(f"--out {self.out}: give a .mp4 file or a folder for PNG frames")
