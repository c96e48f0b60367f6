"""Public module-level functions of neuroblend and the add-ons that nothing refers to (read with
``ast``): a function counts as referenced when a name, an attribute, an import or a string naming
it exactly (``"name"``, ``"module:name"``, ``"package.module.name"``) appears anywhere in the
checked folders, its own definition aside."""

from __future__ import annotations

import ast
from pathlib import Path

from import_graph import REPO

DEFINED_IN = ("bridge/neuroblend", "addons")
USED_IN = ("bridge", "addons", "tests", "benchmarks", "examples", "scripts")


def public_functions(root: Path = REPO) -> dict[str, list[str]]:
    """{function name: [file:line, ...]} for every public module-level function."""
    found: dict[str, list[str]] = {}
    for folder in DEFINED_IN:
        for path in sorted((root / folder).rglob("*.py")):
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and not node.name.startswith("_"):
                    found.setdefault(node.name, []).append(
                        f"{path.relative_to(root)}:{node.lineno}")
    return found


def referenced_names(sources: list[str]) -> set[str]:
    """Every name the sources use: names, attributes, imported names, strings naming one."""
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.name.rsplit(".", 1)[-1])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value.replace(":", ".").replace(".", "").replace("_", "").isalnum():
                names.add(node.value.replace(":", ".").rsplit(".", 1)[-1])
    return names


def unreferenced(root: Path = REPO, allowed: frozenset[str] = frozenset()) -> list[str]:
    """``file:line name`` of every public module-level function nothing refers to."""
    sources = [path.read_text() for folder in USED_IN if (root / folder).is_dir()
               for path in sorted((root / folder).rglob("*.py"))]
    used = referenced_names(sources)
    return sorted(f"{where} {name}" for name, places in public_functions(root).items()
                  if name not in used and name not in allowed for where in places)
