"""The NeuroBlend file contract: versioned dict documents in safely loaded pickles.

Every file is a dict with ``format``, ``version``, ``units``, ``meta`` and a format-specific
payload. Each format lives in its own module (see :data:`FORMAT_MODULES`) which defines:

- ``VERSION``: the current version number (int) it writes and the newest it reads;
- ``problems(doc) -> list[str]``: what is wrong with a document's payload, field by field;
- ``summarize(doc) -> dict``: a short JSON-friendly summary for ``neuroblend inspect``;
Foreign pickles (e.g. BlenderSpike's) convert through :data:`LEGACY_CONVERTERS`.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Any

from neuroblend.errors import FileFormatError
from neuroblend.files.document import (
    HEADER_KEYS,
    header_problems,
    new_document,
    problem_text,
)
from neuroblend.files.safe_pickle import load_pickle, save_pickle

FORMAT_MODULES = {
    "neuroblend.simulation": "neuroblend.simulation.simulation_file",
    "neuroblend.heightmap": "neuroblend.surface.heightmap_file",
    "neuroblend.atlas": "neuroblend.atlas.atlas_file",
    "neuroblend.network": "neuroblend.network.network_file",
    "neuroblend.units": "neuroblend.nwb.units_file",
}
# format -> module with ``from_legacy(obj) -> dict | None`` (foreign pickles converted on load)
LEGACY_CONVERTERS = {"neuroblend.simulation": "neuroblend.simulation.blenderspike"}


def format_module(fmt: str) -> ModuleType:
    """The module implementing format ``fmt`` (e.g. ``"neuroblend.simulation"``)."""
    return importlib.import_module(FORMAT_MODULES[fmt])


def make_document(fmt: str, payload: dict, *, units: dict | None = None,
                  meta: dict | None = None) -> dict:
    """Assemble a document of format ``fmt`` at its current version."""
    return new_document(fmt, format_module(fmt).VERSION, payload, units=units, meta=meta)


def check_document(doc: Any, source: str = "<document>", expect: str | None = None) -> dict:
    """Validate a loaded object as a NeuroBlend document; raise FileFormatError naming the problem."""
    if not isinstance(doc, dict):
        raise FileFormatError(
            source, f"not a NeuroBlend file: it holds a {type(doc).__name__}, expected a dict "
            "with 'format' and 'version'")
    missing = [k for k in HEADER_KEYS if k not in doc]
    if missing:
        raise FileFormatError(source, f"not a NeuroBlend file: missing {', '.join(missing)}")
    fmt = doc["format"]
    if not isinstance(fmt, str) or fmt not in FORMAT_MODULES:
        raise FileFormatError(
            source, f"unknown format {str(fmt)[:60]!r}; known formats: {', '.join(FORMAT_MODULES)}")
    if expect is not None and fmt != expect:
        raise FileFormatError(source, f"is a {fmt} file, but a {expect} file is needed here")
    module = format_module(fmt)
    version = doc["version"]
    if type(version) is not int or version < 1:
        raise FileFormatError(source, f"invalid version {version!r} (expected a positive integer)")
    if version > module.VERSION:
        raise FileFormatError(
            source, f"{fmt} version {version} is newer than this NeuroBlend reads "
            f"(up to {module.VERSION}); upgrade NeuroBlend")
    problems = header_problems(doc) or module.problems(doc)
    if problems:
        raise FileFormatError(source, problem_text(fmt, problems))
    return doc


def load_document(path: str | os.PathLike, expect: str | None = None) -> dict:
    """Load and validate a NeuroBlend file (or a supported legacy pickle) from ``path``."""
    obj = load_pickle(path)
    if not (isinstance(obj, dict) and "format" in obj):
        converted = _from_legacy(obj, expect)
        if converted is not None:
            obj = converted
    return check_document(obj, str(path), expect)


def save_document(doc: dict, path: str | os.PathLike) -> None:
    """Validate ``doc`` and write it atomically to ``path``."""
    check_document(doc, str(path))
    save_pickle(doc, path)


def summarize(doc: dict) -> dict:
    """Header plus the format's own summary, for ``neuroblend inspect``."""
    summary = {"format": doc["format"], "version": doc["version"], "units": doc["units"]}
    summary.update(format_module(doc["format"]).summarize(doc))
    meta = doc.get("meta", {})
    summary["created"] = meta.get("created")
    return summary


def _from_legacy(obj: Any, expect: str | None) -> dict | None:
    formats = [expect] if expect else list(FORMAT_MODULES)
    for fmt in formats:
        if fmt in LEGACY_CONVERTERS:
            doc = importlib.import_module(LEGACY_CONVERTERS[fmt]).from_legacy(obj)
            if doc is not None:
                return doc
    return None
