"""Document headers without the format registry: what a format module needs to build its own
documents (``new_document``, ``base_meta``) and check them (``header_problems``, ``problem_text``).
:mod:`neuroblend.files.fileformat` dispatches to the format modules; they import only this."""

from __future__ import annotations

import datetime as _dt
import platform
import sys
from typing import Any

import neuroblend
from neuroblend.files.limits import MAX_LABEL

HEADER_KEYS = ("format", "version", "units", "meta")


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


def new_document(fmt: str, version: int, payload: dict, *, units: dict | None = None,
                 meta: dict | None = None) -> dict:
    """Assemble a document of format ``fmt`` at ``version``."""
    doc = {"format": fmt, "version": version, "units": dict(units or {}),
           "meta": dict(meta or base_meta())}
    overlap = set(doc) & set(payload)
    if overlap:
        raise ValueError(f"payload keys clash with the header: {sorted(overlap)}")
    doc.update(payload)
    return doc


def problem_text(fmt: str, problems: list[str]) -> str:
    """The one-line description of an invalid document (first three problems)."""
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return "invalid " + fmt + " file: " + "; ".join(problems[:3]) + more


def header_problems(doc: dict) -> list[str]:
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
