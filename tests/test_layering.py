"""House rules that keep the code base readable: ruff-clean, no bpy outside the bpy layer, flags
only in cli/, imports only downwards (add-ons -> neuroblend.blender -> pure), no import cycle,
small modules and functions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from import_graph import REPO, cycles, import_graph, layer, long_functions

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# (file, function): why it may be longer (declarative tables only)
LONG_FUNCTION_ALLOWED: dict[tuple[str, str], str] = {}
CHECKED_DIRS = ("bridge", "addons", "scripts", "benchmarks", "tests")
BPY_IMPORT = re.compile(r"^\s*(import bpy|from bpy[ .])", re.MULTILINE)


def test_bridge_core_never_imports_bpy():
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "bridge" / "neuroblend").rglob("*.py")
        if "blender" not in path.relative_to(REPO / "bridge" / "neuroblend").parts
        and BPY_IMPORT.search(path.read_text())
    ]
    assert offenders == [], "bpy may only be imported under neuroblend/blender/"


def test_command_line_flags_are_declared_only_in_cli():
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "bridge" / "neuroblend").rglob("*.py")
        if path.parent.name != "cli" and ".add_argument" in path.read_text()
    ]
    assert offenders == [], "parsers and flags belong in neuroblend/cli/ (jobs take options)"


def test_core_cli_imports_without_blender_or_neuron():
    code = ("import sys; import neuroblend.cli as c; c.build_parser(); "
            "bad = {'bpy', 'neuron', 'matplotlib'} & set(sys.modules); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def _ruff() -> str | None:
    local = Path(sys.executable).parent / "ruff"
    return shutil.which("ruff") or (str(local) if local.exists() else None)


def test_ruff_clean():
    ruff = _ruff()
    if ruff is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("ruff is not installed (CI must run the linter: pip install ruff)")
        pytest.skip("ruff is not installed")
    proc = subprocess.run([ruff, "check", "--quiet", str(REPO)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_imports_only_go_down_the_layers():
    imports, _ = import_graph()
    upward = sorted(f"{a} -> {b}" for a, targets in imports.items() for b in targets
                    if layer(b) > layer(a))
    assert upward == [], "pure code never imports neuroblend.blender; neuroblend.blender never imports add-ons"


def test_no_import_cycle_static_or_at_run_time():
    imports, references = import_graph()
    graph = {name: imports[name] | references[name] for name in imports}
    assert cycles(graph) == []


def test_the_graph_sees_function_level_imports_and_job_references():
    imports, references = import_graph()
    assert "neuroblend.blender.jobs.render_spike" in references["neuroblend.cli.render"] \
        or any(m.startswith("neuroblend.blender.jobs.") for m in references["neuroblend.blender_runner"])
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_over_400_lines():
    long = [f"{path.relative_to(REPO)}: {n}" for folder in CHECKED_DIRS
            for path in (REPO / folder).rglob("*.py")
            if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES]
    assert long == [], f"split modules over {MAX_MODULE_LINES} lines"


def test_no_function_over_60_lines():
    long = [item for folder in CHECKED_DIRS for item in long_functions(REPO / folder, MAX_FUNCTION_LINES)
            if item[:2] not in LONG_FUNCTION_ALLOWED]
    assert long == [], f"split functions over {MAX_FUNCTION_LINES} lines"
