"""Renders for the Blender tests: pixels of a frame, and a saved .blend rendered in a fresh Python
process without NeuroBlend (what a render farm sees)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from PIL import Image

SCRIPT = textwrap.dedent("""
    import sys
    import bpy
    assert "neuroblend" not in sys.modules
    bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
    scene = bpy.context.scene
    scene.frame_set(int(sys.argv[3]))
    scene.render.filepath = sys.argv[2]
    scene.render.use_file_extension = False
    bpy.ops.render.render(write_still=True)
    assert "neuroblend" not in sys.modules, "the saved scene must not need NeuroBlend"
""")


def render_fresh(blend: Path, out: Path, frame: int, workdir: Path) -> np.ndarray:
    """Frame ``frame`` of ``blend`` rendered by a new process into ``out``: int16 RGB pixels."""
    script = workdir / "fresh_render.py"
    script.write_text(SCRIPT)
    proc = subprocess.run([sys.executable, str(script), str(blend), str(out), str(frame)],
                          capture_output=True, text=True, timeout=300, cwd=workdir)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return np.asarray(Image.open(out).convert("RGB"), dtype=np.int16)


def assert_saved_scene_renders_the_same(scene, frame: int, original: np.ndarray, data: Path,
                                        artifact_dir: Path, workdir: Path, saved_at: int) -> None:
    """Save ``scene`` at frame ``saved_at``, delete its ``data`` file, render ``frame`` in a new
    process: the pixels must equal ``original`` (and show something)."""
    from neuroblend.blender.core import render

    scene.frame_set(saved_at)
    blend = render.save_blend(artifact_dir / "scene.blend")
    data.unlink()  # the data must be inside the .blend
    fresh = render_fresh(blend, artifact_dir / "fresh.png", frame, workdir)
    assert np.array_equal(original, fresh)
    assert original.sum() > 0


def render_pixels(scene, frame: int, path: Path) -> np.ndarray:
    """Render ``frame`` of ``scene`` to ``path`` in this process: int16 RGB pixels."""
    from neuroblend.blender.core import render

    render.render_still(scene, path, frame)
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def assert_saved_shot_replays_its_clock(shot: dict, tmp_path: Path, frame: int,
                                        other: int) -> None:
    """Run film shot job ``shot`` (saving its .blend), render ``frame`` of that .blend in a fresh
    Blender without neuroblend, and check it equals the shot's own frame, not frame ``other``."""
    import json

    from neuroblend.blender.jobs import film_shot
    from neuroblend.film.render_options import FilmShotOptions

    shot = {**shot, "out": str(tmp_path / "frames"),
            "progress": {"items": 1, "frames": len(shot["times"]), "work": len(shot["times"])}}
    (tmp_path / "job.json").write_text(json.dumps(shot))
    written = film_shot.run(FilmShotOptions(job_file=tmp_path / "job.json",
                                            save_blend=tmp_path / "shot.blend"))
    assert written[0] == tmp_path / "shot.blend" and len(written) == 1 + len(shot["times"])
    render_fresh(tmp_path / "shot.blend", tmp_path / "fresh.png", frame, tmp_path)
    own, wrong = (np.asarray(Image.open(tmp_path / "frames" / f"frame_{n:04d}.png")
                             .convert("RGB")).astype(int) for n in (frame, other))
    fresh = np.asarray(Image.open(tmp_path / "fresh.png").convert("RGB")).astype(int)
    assert np.abs(fresh - own).mean() < 0.5 < np.abs(fresh - wrong).mean()

