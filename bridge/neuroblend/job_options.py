"""Typed job options crossing into a ``blender -b`` subprocess: one JSON argument, decoded back into
the job's options dataclass (the only place job options become strings)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any, TypeVar

FLAG = "--options-json"
T = TypeVar("T")


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def options_argv(options: Any) -> list[str]:
    """The subprocess arguments carrying ``options`` (a dataclass)."""
    data = {f.name: _plain(getattr(options, f.name)) for f in dataclasses.fields(options)}
    return [FLAG, json.dumps(data)]


def options_from_argv(cls: type[T], argv: list[str]) -> T:
    """The ``cls`` options carried by ``argv`` (as written by :func:`options_argv`)."""
    if len(argv) != 2 or argv[0] != FLAG:
        raise ValueError(f"expected {FLAG} JSON, got {argv[:2]!r}")
    data = json.loads(argv[1])
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = data[f.name]
        kind = str(f.type)
        if value is not None and "Path" in kind:
            value = Path(value)
        elif isinstance(value, list) and "tuple" in kind:
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


WRITTEN_ENV = "NEUROBLEND_WRITTEN"  # file where a job lists what it wrote (see run_job_written)


def report_written(paths) -> None:
    """Record the files a job wrote, for :func:`neuroblend.blender_runner.run_job_written` (in
    this process or in the ``blender -b`` child: the environment carries the manifest's path)."""
    manifest = os.environ.get(WRITTEN_ENV)
    if manifest:
        Path(manifest).write_text(json.dumps([str(p) for p in paths]))


def read_written(manifest: Path) -> list[Path]:
    """The files listed by :func:`report_written` (none if the job wrote no list)."""
    return [Path(p) for p in json.loads(manifest.read_text())] if manifest.is_file() else []
