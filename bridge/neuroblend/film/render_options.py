"""Options of the film's Blender jobs: one shot rendered to frames, and the final composition.

Both name a JSON file that ``neuroblend film`` writes (a shot's job: kind, data, look, camera keys,
data time per output frame; the composition plan): the file, not the data, crosses into
``blender -b``, so a long shot's keys never meet the command-line length limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(kw_only=True)
class FilmShotOptions:
    """Render one shot: its job file, and optionally a .blend to keep (inspection, tests)."""

    job_file: Path
    save_blend: Path | None = None
    frames: tuple[int, int] | None = None  # render only these frames (first, last) of the shot
    out: Path | None = None  # write the frames here (default: the job file's "out")


@dataclass(kw_only=True)
class FilmServeOptions:
    """Serve shot chunks to a Dask worker over the Unix socket ``socket`` (it listens there):
    one Blender that keeps the shot it last built (:mod:`neuroblend.film.shot_server`)."""

    socket: Path


@dataclass(kw_only=True)
class FilmComposeOptions:
    """Compose the film's parts into its MP4 from the plan file."""

    plan_file: Path
