"""Headless Blender jobs. Each module defines ``main(argv) -> int`` with its own argparse parser.

The same job runs as ``neuroblend render ...`` (see ``neuroblend.blender_runner``), as
``blender -b --python-exit-code 1 -P scripts/<job>.py -- ARGS`` and as
``python scripts/<job>.py ARGS`` with the bpy wheel.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import input_files, install_signal_cleanup, protect_inputs


def script_argv(argv: list[str] | None = None) -> list[str]:
    """Arguments meant for a script: after ``--`` under Blender, else ``sys.argv[1:]``."""
    argv = sys.argv if argv is None else argv
    if "--" in argv:
        return argv[argv.index("--") + 1:]
    if argv and Path(argv[0]).suffix == ".py":
        return argv[1:]
    return []


def run_script(job: str) -> None:
    """Entry point used by ``scripts/*.py``: run ``job`` and exit with its code.

    Expected failures print one line and exit 2; the process exits non-zero under
    ``blender -b --python-exit-code 1`` as well as under plain Python.
    """
    module = importlib.import_module(f"neuroblend.blender.jobs.{job}")
    argv = script_argv()
    install_signal_cleanup()
    protect_inputs(input_files(argv))
    try:
        code = int(module.main(argv) or 0)
    except NeuroBlendError as exc:
        print(f"{job}: error: {exc}", file=sys.stderr)
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    if code:
        sys.exit(code)
