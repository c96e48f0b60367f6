"""Compartments of a simulation file by name: ``soma``, ``soma(0.5)``, ``dend[3](0.7)``, ``cell:axon``.

``NAME`` alone means ``NAME(0.5)``. ``x`` picks the compartment whose arc-length interval
``[k/n, (k+1)/n)`` holds it (``x = 1`` is the last). With several cells, prefix the cell name
(``cell0:soma``) when a section name is not unique.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np

from neuroblend.errors import NeuroBlendError

_NAME = re.compile(r"^(?:(?P<cell>[^:()]+):)?(?P<section>[^()]+?)\s*(?:\((?P<x>[^()]*)\))?$")
_INDEXED = re.compile(r"^(?P<base>.*)\[(?P<index>\d+)\]$")


@dataclass(frozen=True)
class Compartment:
    """One resolved compartment: the user's label, the row in ``values``, section and x."""

    label: str
    row: int
    cell: str
    section: str
    x: float

    @property
    def readable(self) -> str:
        """The name people read: ``soma``, ``dendrite 1, 50%``, ``apical dendrite 4, 10%``
        (NEURON's own name is :attr:`label`)."""
        return readable_name(self.section, self.x)


_WORDS = {"dend": "dendrite", "apic": "apical dendrite", "apical": "apical dendrite",
          "ais": "axon initial segment", "myelin": "myelin", "node": "node"}


def readable_name(section: str, x: float) -> str:
    """``dend[1]`` at 0.5 -> ``dendrite 1, 50%``; ``dendrite_1[20]`` -> ``dendrite 1, section
    20, 50%``; the soma is ``soma`` (its middle: no position)."""
    m = _INDEXED.match(section)
    base, index = (m["base"], int(m["index"])) if m else (section, None)
    words = " ".join(_WORDS.get(w.lower(), w) for w in base.replace("_", " ").split())
    if words.lower() == "soma":
        return "soma" if abs(x - 0.5) < 0.26 else f"soma, {x:.0%}"
    if index is not None:
        words += f", section {index}" if words[-1:].isdigit() else f" {index}"
    return f"{words}, {x:.0%}"


def resolve_compartments(doc: dict, names: list[str]) -> list[Compartment]:
    """Resolve compartment names against a simulation document; unknown names list valid ones."""
    if not names:
        raise NeuroBlendError("give at least one compartment, e.g. --compartments soma")
    return [_resolve(doc, name.strip()) for name in names]


def _resolve(doc: dict, text: str) -> Compartment:
    match = _NAME.match(text)
    if not match:
        raise NeuroBlendError(f"compartment {text!r}: write NAME or NAME(x), e.g. dend[3](0.7)")
    x = 0.5
    if match["x"] is not None:
        try:
            x = float(match["x"])
        except ValueError:
            x = float("nan")
        if not 0.0 <= x <= 1.0:
            raise NeuroBlendError(f"compartment {text!r}: x must be a number from 0 to 1")
    cells = doc["cells"]
    if match["cell"] is not None:
        cells = [c for c in cells if c["name"] == match["cell"]]
        if not cells:
            known = ", ".join(c["name"] for c in doc["cells"])
            raise NeuroBlendError(f"compartment {text!r}: no cell named {match['cell']!r} "
                                  f"(cells: {known})")
    found = _sections_named(cells, match["section"])
    if not found and "[" not in match["section"]:  # "soma" means soma[0] of an SWC/ASC import
        found = _sections_named(cells, match["section"] + "[0]")
    if not found:
        raise NeuroBlendError(_unknown_message(text, match["section"], cells))
    if len(found) > 1:
        options = ", ".join(f"{cell['name']}:{match['section']}" for cell, _ in found)
        raise NeuroBlendError(f"compartment {text!r} is in several cells; write one of {options}")
    cell, section = found[0]
    rows = np.flatnonzero(np.asarray(cell["compartments"]["section"]) == section)
    k = min(int(x * len(rows)), len(rows) - 1)
    return Compartment(label=text, row=int(cell["row_start"]) + int(rows[k]), cell=cell["name"],
                       section=cell["sections"]["name"][section],
                       x=float(cell["compartments"]["x"][rows[k]]))


def _sections_named(cells: list[dict], section: str) -> list[tuple[dict, int]]:
    return [(cell, i) for cell in cells
            for i, name in enumerate(cell["sections"]["name"]) if name == section]


def _unknown_message(text: str, section: str, cells: list[dict]) -> str:
    names = [name for cell in cells for name in cell["sections"]["name"]]
    close = difflib.get_close_matches(section, names, n=3)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    return (f"unknown compartment {text!r}{hint}; valid sections: {summarize_names(names)}; "
            "write NAME or NAME(x) with 0 <= x <= 1")


def summarize_names(names: list[str]) -> str:
    """Section names with runs of indices folded: ``soma, dend[0-11], apic[0-3,7]``."""
    groups: dict[str, list[int]] = {}
    order: list[str] = []
    for name in names:
        m = _INDEXED.match(name)
        key, index = (m["base"], int(m["index"])) if m else (name, None)
        if key not in groups:
            groups[key] = []
            order.append(key)
        if index is not None:
            groups[key].append(index)
    parts = []
    for key in order:
        indices = sorted(set(groups[key]))
        parts.append(f"{key}[{_ranges(indices)}]" if indices else key)
    return ", ".join(parts)


def _ranges(indices: list[int]) -> str:
    runs, start = [], indices[0]
    for i, index in enumerate(indices):
        if i + 1 == len(indices) or indices[i + 1] != index + 1:
            runs.append(f"{start}" if start == index else f"{start}-{index}")
            start = indices[i + 1] if i + 1 < len(indices) else index
    return ",".join(runs)
