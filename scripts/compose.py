"""Compose clips and renders: blender -b --python-exit-code 1 -P scripts/compose.py -- LAYER... --out F"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bridge"))
from neuroblend.blender.jobs import script_argv  # noqa: E402
from neuroblend.cli import main  # noqa: E402

code = main(["compose", *script_argv()])
if code:
    sys.exit(code)
