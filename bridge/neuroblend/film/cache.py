"""Build cache: every shot and clip is stored under a key of its inputs' content hashes, its
parameters and the tool version, so a re-run renders only what changed.

An entry is a folder ``<cache>/items/<name>-<key>/`` of PNG frames plus ``done.json``; it is
written as ``*.partial`` and renamed when complete, so an interrupted render is never reused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import neuroblend

_FILE_HASHES: dict[tuple, str] = {}


def file_hash(path) -> str:
    """sha256 of a file's bytes (memoised per path, size and modification time)."""
    path = Path(path)
    stat = path.stat()
    memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if memo not in _FILE_HASHES:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _FILE_HASHES[memo] = digest.hexdigest()
    return _FILE_HASHES[memo]


def cache_key(params: dict, files=()) -> str:
    """Key of a build step: its parameters, its input files' contents and the tool version."""
    payload = {"params": params, "files": [file_hash(f) for f in files],
               "tool": f"neuroblend {neuroblend.__version__}"}
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class Cache:
    """The folder holding finished build steps."""

    def __init__(self, root):
        self.root = Path(root)

    def entry(self, name: str, key: str) -> Path:
        """The folder of step ``name`` under ``key`` (it may not exist yet)."""
        return self.root / "items" / f"{name}-{key}"

    def has(self, name: str, key: str) -> bool:
        """Whether step ``name`` finished under ``key``."""
        return (self.entry(name, key) / "done.json").is_file()

    def begin(self, name: str, key: str) -> Path:
        """A fresh partial folder to render step ``name`` into."""
        partial = self.entry(name, key).with_suffix(".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        return partial

    def commit(self, name: str, key: str, partial: Path, info: dict) -> Path:
        """Mark ``partial`` complete and move it into place; older keys of ``name`` go."""
        (partial / "done.json").write_text(json.dumps(info, indent=1, default=str))
        final = self.entry(name, key)
        shutil.rmtree(final, ignore_errors=True)
        partial.rename(final)
        for old in final.parent.glob(f"{name}-*"):
            if old != final and old.name.rsplit("-", 1)[0] == name:
                shutil.rmtree(old, ignore_errors=True)
        return final

    def stamp(self) -> Path:
        """The file recording which composition the finished video holds."""
        return self.root / "final.json"
