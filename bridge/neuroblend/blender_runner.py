"""Run a Blender job (``neuroblend.blender.jobs.<name>``) in-process or under a ``blender`` binary.

In-process when the ``bpy`` wheel is importable; otherwise ``blender -b`` found through
``$NEUROBLEND_BLENDER`` or ``PATH``; otherwise a clear error saying how to get one.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from neuroblend.console import is_blender_noise, verbose
from neuroblend.errors import NeuroBlendError
from neuroblend.job_options import WRITTEN_ENV, options_argv, read_written

BRIDGE_DIR = Path(__file__).resolve().parents[1]
NO_BLENDER = (
    "Blender is needed for this command but neither the bpy module nor a `blender` binary was "
    "found. Install the wheel with `pip install 'neuroblend[blender]'` (bpy 5.0 on Python 3.11, "
    "5.3 on Python 3.13), "
    "or put Blender 4.2+ on PATH, or set NEUROBLEND_BLENDER=/path/to/blender."
)


def find_blender_binary() -> str | None:
    """Path of a Blender executable from ``$NEUROBLEND_BLENDER`` or ``PATH``, if any."""
    explicit = os.environ.get("NEUROBLEND_BLENDER")
    if explicit:
        if not Path(explicit).is_file():
            raise NeuroBlendError(f"NEUROBLEND_BLENDER={explicit} is not a file")
        return explicit
    return shutil.which("blender")


def run_job(job: str, options: Any) -> int:
    """Run job ``job`` (``neuroblend.blender.jobs.<job>``) with its typed ``options`` (a dataclass:
    the job's ``run(options)``); returns the exit code. Only here do the options become strings:
    one JSON argument for a ``blender -b`` subprocess."""
    if importlib.util.find_spec("bpy") is not None:
        importlib.import_module(f"neuroblend.blender.jobs.{job}").run(options)
        return 0
    binary = find_blender_binary()
    if binary is None:
        raise NeuroBlendError(NO_BLENDER)
    expr = (
        f"import sys; sys.path.insert(0, {str(BRIDGE_DIR)!r}); "
        f"from neuroblend.blender.jobs import run_script; run_script({job!r})"
    )
    cmd = [binary, "-b", "--factory-startup", "--python-exit-code", "1",
           "--python-expr", expr, "--", *options_argv(options)]
    if verbose():
        return subprocess.call(cmd, env=_blender_env())
    return _call_filtered(cmd)


def _blender_env() -> dict:
    """This environment, plus this Python's FFmpeg for Blender's Python, which may lack
    imageio-ffmpeg (:func:`neuroblend.video_encode.ffmpeg_exe`)."""
    env = dict(os.environ)
    try:
        import imageio_ffmpeg

        env.setdefault("IMAGEIO_FFMPEG_EXE", imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        pass
    return env


def _call_filtered(cmd: list[str]) -> int:
    """Run ``cmd`` passing its output through without Blender's own log lines."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, errors="replace",
                          bufsize=1, env=_blender_env()) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if not is_blender_noise(line):
                sys.stdout.write(line)
                sys.stdout.flush()
        return child.wait()


def run_job_written(job: str, options: Any) -> tuple[int, list[Path]]:
    """Run a render job: its exit code and the files it wrote (it lists them in a manifest whose
    path the environment carries, in-process or into ``blender -b``)."""
    with tempfile.TemporaryDirectory(prefix="neuroblend-job-") as tmp:
        manifest = Path(tmp) / "written.json"
        os.environ[WRITTEN_ENV] = str(manifest)
        try:
            code = run_job(job, options)
        finally:
            os.environ.pop(WRITTEN_ENV, None)
        return code, read_written(manifest)
