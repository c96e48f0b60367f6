"""The static import graph of neuroblend and the add-ons, read with ``ast`` (nothing is imported).

Edges come from every ``import``/``from ... import`` (module level or inside functions) and from
run-time references: string constants naming a module (``importlib``, format and kind registries,
``"module:function"``), f-strings starting with a package path (``f"neuroblend.blender.jobs.{job}"``)
and ``run_job("job", ...)`` calls.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOTTED = re.compile(r"^neuroblend(\.\w+)+(:\w+)?$")
JOBS = "neuroblend.blender.jobs"


def module_files() -> dict[str, Path]:
    """{dotted module name: file} for neuroblend (bridge/) and the add-ons (addons.<name>)."""
    found = {}
    bridge = REPO / "bridge"
    for path in (bridge / "neuroblend").rglob("*.py"):
        parts = path.relative_to(bridge).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in (REPO / "addons").glob("*/__init__.py"):
        found[f"addons.{path.parent.name}"] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is a module (attributes dropped), or None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _from_base(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    return ".".join(parts[:keep] + ([node.module] if node.module else []))


def _import_targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = _from_base(node, module, is_package)
        return [f"{base}.{alias.name}" for alias in node.names]
    return []


def _reference_targets(node: ast.AST, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.match(node.value):
        return [node.value.split(":")[0]]
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        prefix = str(node.values[0].value)
        if prefix.startswith("neuroblend.") and prefix.endswith("."):
            return [name for name in modules if name.startswith(prefix)]
    if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "run_job"
            and node.args and isinstance(node.args[0], ast.Constant)):
        return [f"{JOBS}.{node.args[0].value}"]
    return []


def import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(imports, references): {module: modules it imports} and {module: modules it names at run time}."""
    modules = module_files()
    imports: dict[str, set[str]] = {name: set() for name in modules}
    references: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            for target in _import_targets(node, name, is_package):
                found = _resolve(target, modules)
                if found and found != name:
                    imports[name].add(found)
            for target in _reference_targets(node, modules):
                found = _resolve(target, modules)
                if found and found != name and found not in _ancestors(name):
                    references[name].add(found)
    return imports, references


def _ancestors(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def package_of(module: str, modules: dict[str, Path]) -> str:
    """The package a module belongs to: its folder (``neuroblend.spike.timebase`` ->
    ``neuroblend.spike``); a package's ``__init__`` is the package itself, and a module directly
    under ``neuroblend`` (``neuroblend.errors``) or an add-on stands alone."""
    if modules[module].name == "__init__.py" or module.count(".") < 2:
        return module
    return module.rsplit(".", 1)[0]


def package_graph(imports: dict[str, set[str]]) -> dict[str, dict[str, list[str]]]:
    """{package: {package it imports: ["module -> module", ...]}} from the module imports."""
    modules = module_files()
    graph: dict[str, dict[str, list[str]]] = {}
    for module, targets in imports.items():
        source = package_of(module, modules)
        graph.setdefault(source, {})
        for target in sorted(targets):
            dest = package_of(target, modules)
            if dest != source:
                graph[source].setdefault(dest, []).append(f"{module} -> {target}")
    return graph


def layer(module: str) -> int:
    """0 = pure, 1 = the bpy layer (neuroblend.blender), 2 = add-ons."""
    if module.startswith("addons."):
        return 2
    return 1 if module == "neuroblend.blender" or module.startswith("neuroblend.blender.") else 0


def long_functions(root: Path, limit: int) -> list[tuple[str, str, int]]:
    """(file, function, lines) for every function longer than ``limit`` lines under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found.append((str(path.relative_to(REPO)), node.name, length))
    return found
