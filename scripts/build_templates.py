"""Rebuild blend_templates/: blender -b --python-exit-code 1 -P scripts/build_templates.py -- [--out DIR]"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bridge"))
from neuroblend.blender.jobs import script_argv  # noqa: E402
from neuroblend.cli.build_templates import main  # noqa: E402

code = main(script_argv())
if code:
    sys.exit(code)
