"""House rules that keep the code base readable: ruff-clean, and no bpy outside the bpy layer."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BPY_IMPORT = re.compile(r"^\s*(import bpy|from bpy[ .])", re.MULTILINE)


def test_bridge_core_never_imports_bpy():
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "bridge" / "neuroblend").rglob("*.py")
        if "blender" not in path.relative_to(REPO / "bridge" / "neuroblend").parts
        and BPY_IMPORT.search(path.read_text())
    ]
    assert offenders == [], "bpy may only be imported under neuroblend/blender/"


def test_core_cli_imports_without_blender_or_neuron():
    code = ("import sys; import neuroblend.cli as c; c.build_parser(); "
            "bad = {'bpy', 'neuron', 'matplotlib'} & set(sys.modules); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.skipif(shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
                    reason="ruff is not installed")
def test_ruff_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run([ruff, "check", "--quiet", str(REPO)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]
