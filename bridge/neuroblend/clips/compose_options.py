"""Options of the compose job (``neuroblend compose``), checked before Blender starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.errors import NeuroBlendError


@dataclass(frozen=True)
class ComposeOptions:
    """Layers (``PATH[:key=value,...]``, bottom first) into one video or PNG folder."""

    layers: tuple[str, ...]
    out: Path
    size: tuple[int, int] | None = None
    fps: float | None = None
    frames: tuple[int, int] | None = None

    def check(self) -> None:
        """Bad layers or outputs fail here with one line."""
        from neuroblend.clips.layers import parse_layer

        for spec in self.layers:
            parse_layer(spec)
        if self.out.suffix and self.out.suffix.lower() != ".mp4":
            raise NeuroBlendError(f"--out {self.out}: give a .mp4 file or a folder for PNG frames")
