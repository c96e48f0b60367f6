"""The NeuroBlend file contract: versioned dict documents in safely loaded pickles.

Every file is a dict with ``format``, ``version``, ``units``, ``meta`` and a format-specific
payload. Each format lives in its own module (see :data:`FORMAT_MODULES`) which defines:

- ``VERSION``: the current version number (int) it writes and the newest it reads;
- ``problems(doc) -> list[str]``: what is wrong with a document's payload, field by field;
- ``summarize(doc) -> dict``: a short JSON-friendly summary for ``neuroblend inspect``;
- optionally ``from_legacy(obj) -> dict | None``: convert a foreign pickle (e.g. BlenderSpike's).
"""

from __future__ import annotations

import datetime as _dt
import importlib
import os
import platform
import sys
from types import ModuleType
from typing import Any

import neuroblend
from neuroblend.errors import FileFormatError
from neuroblend.files.limits import MAX_LABEL
from neuroblend.files.safe_pickle import load_pickle, save_pickle

FORMAT_MODULES = {
    "neuroblend.simulation": "neuroblend.spike.simulation_file",
    "neuroblend.heightmap": "neuroblend.surface.heightmap_file",
    "neuroblend.atlas": "neuroblend.atlas.atlas_file",
    "neuroblend.network": "neuroblend.network.network_file",
}
HEADER_KEYS = ("format", "version", "units", "meta")


def format_module(fmt: str) -> ModuleType:
    """The module implementing format ``fmt`` (e.g. ``"neuroblend.simulation"``)."""
    return importlib.import_module(FORMAT_MODULES[fmt])


def base_meta(**parameters: Any) -> dict:
    """Provenance common to every file: tool versions, creation time, and the given parameters."""
    import numpy

    return {
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "neuroblend_version": neuroblend.__version__,
        "python_version": platform.python_version(),
        "numpy_version": numpy.__version__,
        "platform": sys.platform,
        "parameters": dict(parameters),
    }


def make_document(fmt: str, payload: dict, *, units: dict | None = None,
                  meta: dict | None = None) -> dict:
    """Assemble a document of format ``fmt`` at its current version."""
    module = format_module(fmt)
    doc = {"format": fmt, "version": module.VERSION, "units": dict(units or {}),
           "meta": dict(meta or base_meta())}
    overlap = set(doc) & set(payload)
    if overlap:
        raise ValueError(f"payload keys clash with the header: {sorted(overlap)}")
    doc.update(payload)
    return doc


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
    problems = _header_problems(doc) or module.problems(doc)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise FileFormatError(source, "invalid " + fmt + " file: " + "; ".join(problems[:3]) + more)
    return doc


def _header_problems(doc: dict) -> list[str]:
    """Units must be short labels (they are drawn in renders), meta a dict."""
    units, problems = doc["units"], []
    if not isinstance(units, dict):
        return [f"units must be a dict of labels, not {type(units).__name__}"]
    for key, value in units.items():
        if not (isinstance(key, str) and isinstance(value, str)):
            problems.append("units must map names to text labels")
        elif len(value) > MAX_LABEL:
            problems.append(f"units[{key[:40]!r}] is {len(value):,} characters long "
                            f"(labels are limited to {MAX_LABEL})")
    if not isinstance(doc["meta"], dict):
        problems.append(f"meta must be a dict, not {type(doc['meta']).__name__}")
    return problems


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
        try:
            module = format_module(fmt)
        except ImportError:
            continue
        convert = getattr(module, "from_legacy", None)
        if convert is not None:
            doc = convert(obj)
            if doc is not None:
                return doc
    return None
