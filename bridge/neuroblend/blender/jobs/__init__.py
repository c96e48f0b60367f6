"""Headless Blender jobs. Each module defines ``Options`` (a pure-side dataclass),
``run(options) -> list[Path]`` (the files written) and ``main(argv)`` for a ``blender -b`` child,
whose options arrive as one JSON argument (see :mod:`neuroblend.job_options`).

Flags are parsed only in ``neuroblend.cli``: the same job runs as ``neuroblend render ...`` (see
``neuroblend.blender_runner``), as ``blender -b --python-exit-code 1 -P scripts/<job>.py -- ARGS``
and as ``python scripts/<job>.py ARGS`` with the bpy wheel (the scripts call the CLI).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from neuroblend.errors import NeuroBlendError, command_line_text
from neuroblend.files.atomic import install_signal_cleanup


def script_argv(argv: list[str] | None = None) -> list[str]:
    """Arguments meant for a script: after ``--`` under Blender, else ``sys.argv[1:]``."""
    argv = sys.argv if argv is None else argv
    if "--" in argv:
        return argv[argv.index("--") + 1:]
    if argv and Path(argv[0]).suffix == ".py":
        return argv[1:]
    return []


def run_script(job: str) -> None:
    """Entry point of a ``blender -b`` child started by :func:`neuroblend.blender_runner.run_job`:
    run ``job`` with the options in the arguments after ``--`` and exit with its code.

    Expected failures print one line and exit 2; the process exits non-zero under
    ``blender -b --python-exit-code 1`` as well as under plain Python.
    """
    module = importlib.import_module(f"neuroblend.blender.jobs.{job}")
    argv = script_argv()
    install_signal_cleanup()
    try:
        code = int(module.main(argv) or 0)
    except NeuroBlendError as exc:
        print(f"{job}: error: {command_line_text(exc)}", file=sys.stderr)
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    if code:
        sys.exit(code)
