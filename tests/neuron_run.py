"""Run Python code in a fresh process with NEURON headless (NEURON's ``h`` is a process-wide
singleton, so each simulation test runs in its own subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """``python -c code`` in ``cwd`` (stdout and stderr captured as text)."""
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
