"""House rules that keep the code base readable: ruff-clean, no bpy outside the bpy layer, flags
only in cli/, imports only downwards (add-ons -> neuroblend.blender -> pure), no import cycle,
small modules and functions."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from import_graph import REPO, cycles, import_graph, layer, long_functions, package_graph
from unreferenced import unreferenced

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# public functions nothing in the repository names: why they are kept (entry points only)
ENTRY_POINTS = {
    "main": "a job's or script's entry under blender -b / python -m",
    "register": "Blender calls it when an add-on is enabled",
    "unregister": "Blender calls it when an add-on is disabled",
    "run_script": "named only inside the --python-expr code that blender_runner hands Blender",
}
# (file, function): why it may be longer (declarative tables only)
LONG_FUNCTION_ALLOWED: dict[tuple[str, str], str] = {}
CHECKED_DIRS = ("bridge", "addons", "scripts", "benchmarks", "tests")
FLAG = re.compile(r"(?<![\w-])--[a-z]")
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


def _package_cycles(imports: dict[str, set[str]]) -> list[str]:
    graph = package_graph(imports)
    found = []
    for component in cycles({name: set(targets) for name, targets in graph.items()}):
        inside = set(component)
        edges = [f"{a} -> {b} ({graph[a][b][0]})" for a in component for b in graph[a] if b in inside]
        found.append("; ".join(edges))
    return found


def test_no_two_packages_import_each_other():
    """Packages (folders) form no cycle through their imports (module level or in functions):
    spike/ and network/ build on simulation/ and never on each other, film/ never imports cli/.
    Run-time references (format and job registries, ``run_job``) are left out here: they point
    from a dispatcher to what it dispatches to, and the module-level cycle test holds them."""
    imports, _ = import_graph()
    assert _package_cycles(imports) == []


def test_spike_and_network_build_on_simulation_and_not_on_each_other():
    graph = package_graph(import_graph()[0])
    spike, network, simulation = "neuroblend.spike", "neuroblend.network", "neuroblend.simulation"
    assert network not in graph[spike] and spike not in graph[network]
    assert simulation in graph[spike] and simulation in graph[network]
    assert {spike, network} & set(graph[simulation]) == set()


def test_the_package_test_sees_a_cycle_through_two_folders():
    imports, _ = import_graph()
    imports = {name: set(targets) for name, targets in imports.items()}
    imports["neuroblend.film.demo_data"].add("neuroblend.cli.demo")  # as it once was
    found = _package_cycles(imports)
    assert len(found) == 1 and "neuroblend.film -> neuroblend.cli" in found[0]
    imports, _ = import_graph()
    imports = {name: set(targets) for name, targets in imports.items()}
    imports["neuroblend.simulation.simulation_file"].add("neuroblend.network.render_budget")
    assert any("neuroblend.simulation -> neuroblend.network" in c for c in _package_cycles(imports))


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


def flags_in_raised_errors(source: str) -> list[str]:
    """The texts of errors raised in ``source`` that name a command-line flag (``--frames``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            texts = [n.value for n in ast.walk(node.exc)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            found += [f"line {node.lineno}: {text}" for text in texts if FLAG.search(text)]
    return found


def test_errors_of_the_bpy_layer_name_no_command_line_flag():
    """An add-on user has no flags: the bpy layer raises OptionError(option, text) and the CLI
    adds the flag (errors.command_line_text)."""
    offenders = [f"{path.relative_to(REPO)} {found}"
                 for path in sorted((REPO / "bridge" / "neuroblend" / "blender").rglob("*.py"))
                 for found in flags_in_raised_errors(path.read_text())]
    assert offenders == []
    assert flags_in_raised_errors('raise E(f"the camera needs a range (e.g. --frames {a}-60)")')
    assert not flags_in_raised_errors('raise E(f"{a} -- {b}: x")\nprint("--frames")')


def test_every_public_function_is_used_somewhere():
    """No dead code: each public module-level function of neuroblend and the add-ons is named
    somewhere in bridge/, addons/, tests/, benchmarks/, examples/ or scripts/."""
    assert unreferenced(allowed=frozenset(ENTRY_POINTS)) == []


def test_the_dead_code_check_finds_a_function_nobody_calls(tmp_path):
    package = tmp_path / "bridge" / "neuroblend"
    package.mkdir(parents=True)
    (package / "a.py").write_text("def used():\n    pass\n\n\ndef lonely():\n    used()\n")
    (package / "b.py").write_text('JOBS = {"x": "neuroblend.a:by_string"}\n\n\ndef by_string():\n'
                                  '    """lonely is only in this docstring."""\n')
    assert unreferenced(tmp_path) == ["bridge/neuroblend/a.py:5 lonely"]
