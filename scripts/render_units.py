"""Render a units file: blender -b --python-exit-code 1 -P scripts/render_units.py -- ARGS"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bridge"))
from neuroblend.blender.jobs import script_argv  # noqa: E402
from neuroblend.cli import main  # noqa: E402

code = main(["render", "units", *script_argv()])
if code:
    sys.exit(code)
