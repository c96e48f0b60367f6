"""Render a branching network as a rearranging graph.

blender -b --python-exit-code 1 -P scripts/render_network.py -- ARGS
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bridge"))
from neuroblend.blender.jobs import run_script  # noqa: E402

run_script("render_network")
