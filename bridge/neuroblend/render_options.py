"""Options every render job shares (output files and render settings), as a typed dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuroblend.option_ranges import BLENDER_MAX_FRAME, RangeChecked, whole
from neuroblend.typography.font_file import read_metrics

ENGINES = ("cycles", "eevee", "workbench")


@dataclass(kw_only=True)
class RenderOptions(RangeChecked):
    """Where a render job writes and how it renders (``None``: the scene's own setting); the
    constructor checks every range."""

    out: Path
    # PNG frame range (default: one still)
    frames: tuple[int, int] | None = whole(None, 0, BLENDER_MAX_FRAME, count=2, order="<=")
    video: Path | None = None  # also render the frame range to this MP4
    save_blend: Path | None = None  # save the built scene here
    no_render: bool = False  # build (and save) without rendering
    resolution: tuple[int, int] | None = whole(None, 16, 8192, count=2)
    samples: int | None = whole(None, 1, 65536)
    engine: str | None = None
    fps: int | None = whole(None, 1, 240)
    threads: int | None = whole(None, 0, 1024)  # 0: all cores
    device: str = "auto"  # Cycles device: auto, cpu, gpu or a backend (render_device.DEVICES)
    font: Path | None = None  # the text's font file (default: the bundled DejaVu Sans)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.font is not None:  # a font file is refused with one line before Blender starts
            read_metrics(self.font)


REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "blend_templates"
STUDIO_TEMPLATE = REPO_TEMPLATES / "studio.blend"


@dataclass(kw_only=True)
class StudioRenderOptions(RenderOptions):
    """The studio template scene rendered (a check that headless rendering works)."""

    template: Path = STUDIO_TEMPLATE


@dataclass(kw_only=True)
class TemplateBuildOptions:
    """Where ``scripts/build_templates.py`` writes the template scenes."""

    out: Path = REPO_TEMPLATES
