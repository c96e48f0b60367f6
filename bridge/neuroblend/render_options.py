"""Options every render job shares (output files and render settings), as a typed dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ENGINES = ("cycles", "eevee", "workbench")


@dataclass(kw_only=True)
class RenderOptions:
    """Where a render job writes and how it renders (``None``: the scene's own setting)."""

    out: Path
    frames: tuple[int, int] | None = None  # PNG frame range (default: one still)
    video: Path | None = None  # also render the frame range to this MP4
    save_blend: Path | None = None  # save the built scene here
    no_render: bool = False  # build (and save) without rendering
    resolution: tuple[int, int] | None = None
    samples: int | None = None
    engine: str | None = None
    fps: int | None = None
    threads: int | None = None
    device: str = "auto"  # Cycles device: auto, cpu, gpu or a backend (render_device.DEVICES)


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
