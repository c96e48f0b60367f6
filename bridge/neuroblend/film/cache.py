"""Build cache: every shot and clip is stored under a key of its inputs' content hashes, its
parameters and the tool version, so a re-run renders only what changed.

An entry is a folder ``<cache>/items/<name>-<key>/`` of PNG frames plus ``done.json``; it is
written as ``*.partial`` and renamed when complete, so an interrupted render is never reused.

The cache never writes into or deletes from anything it did not make: its root holds only the
cache's own names (a folder of other files is refused, so ``--cache ~`` cannot clobber
``~/final.json``), no part of it may be a symbolic link (refused with one line, never followed),
every entry path is built from a plain item name and a hex key, and only entries of that shape
are ever removed (with ``rmtree`` on real folders, which does not follow links inside).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import neuroblend
from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import atomic_path, check_readable_file
from neuroblend.files.limits import MAX_NAME
from neuroblend.files.reading import read_blocks, read_bounded
from neuroblend.film.schema import NAME

_FILE_HASHES: dict[tuple, str] = {}
KEY = re.compile(r"[0-9a-f]{20}")
ENTRY = re.compile(r"(?P<name>[^\W]\w*)-(?P<key>[0-9a-f]{20})(?:\.partial)?")
FOLDERS = ("items", "data", "work", "locks")
SWEEP_AFTER_S = 60.0  # a work folder unlocked this long has lost its owner
FILES = ("final.json", "composition.json", "composition-silent.mp4")  # the last two: older caches


def file_hash(path) -> str:
    """sha256 of a regular file's bytes (memoised per path, size and modification time); a
    FIFO, device or folder is refused before it is read."""
    path = Path(path)
    st = check_readable_file(path).stat()
    memo = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if memo not in _FILE_HASHES:
        digest = hashlib.sha256()
        for block in read_blocks(path):
            digest.update(block)
        _FILE_HASHES[memo] = digest.hexdigest()
    return _FILE_HASHES[memo]


def cache_key(params: dict, files=()) -> str:
    """Key of a build step: its parameters, its input files' contents and the tool version."""
    payload = {"params": params, "files": [file_hash(f) for f in files],
               "tool": f"neuroblend {neuroblend.__version__}"}
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _lstat(path: Path):
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise NeuroBlendError(f"film cache: cannot use {path}: {exc.strerror}") from None


def _not_a_link(path: Path, folder: bool | None = None) -> bool:
    """Whether ``path`` exists; refuses a symbolic link (and a file where a folder belongs, or
    the reverse) with one line."""
    st = _lstat(path)
    if st is None:
        return False
    if stat.S_ISLNK(st.st_mode):
        raise NeuroBlendError(f"film cache: {path} is a symbolic link; the cache never writes "
                              "into or deletes from a link's target: remove the link or choose "
                              "another --cache")
    if folder is not None and not (stat.S_ISDIR if folder else stat.S_ISREG)(st.st_mode):
        raise NeuroBlendError(f"film cache: {path} is not a {'folder' if folder else 'file'}; "
                              "remove it or choose another --cache")
    return True


def _remove(path: Path) -> None:
    """Delete a cache entry (a real folder or file; never through a link)."""
    if _not_a_link(path):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


class Cache:
    """The folder holding finished build steps (checked when opened: see the module doc)."""

    def __init__(self, root):
        root = Path(root)
        self.root = root.parent.resolve() / root.name
        if _not_a_link(self.root, folder=True):
            try:
                foreign = sorted(p.name for p in self.root.iterdir() if not _own(p.name))
            except OSError as exc:
                raise NeuroBlendError(f"film cache: cannot read {self.root}: "
                                      f"{exc.strerror}") from None
            if foreign:
                raise NeuroBlendError(f"film cache: {self.root} holds files that are not the "
                                      f"cache's ({', '.join(foreign[:3])}...); give --cache a "
                                      "new or empty folder")
        for name in FOLDERS:
            _not_a_link(self.root / name, folder=True)
        for name in FILES:
            _not_a_link(self.root / name, folder=False)

    def folder(self, name: str) -> Path:
        """The cache's ``items`` or ``data`` folder, created (never a link)."""
        path = self.root / name
        if not _not_a_link(path, folder=True):
            path.mkdir(parents=True, exist_ok=True)  # another build may make it at once
            _not_a_link(path, folder=True)
        return path

    def file(self, name: str) -> Path:
        """One of the cache's own files at its root (never a link)."""
        path = self.root / name
        _not_a_link(path, folder=False)
        return path

    def entry(self, name: str, key: str, suffix: str = "") -> Path:
        """The folder of step ``name`` under ``key`` (it may not exist yet)."""
        if not (NAME.fullmatch(name) and len(name) <= MAX_NAME and KEY.fullmatch(key)):
            raise NeuroBlendError(f"film cache: {name[:80]!r}-{key[:40]!r} is not a cache entry "
                                  "name (a plain item name and a hex key)")
        path = self.root / "items" / f"{name}-{key}{suffix}"
        _not_a_link(path, folder=True)
        return path

    def has(self, name: str, key: str) -> bool:
        """Whether step ``name`` finished under ``key`` (its ``done.json`` says so)."""
        done = self.entry(name, key) / "done.json"
        info = _read_json(done)
        return info.get("name") == name and info.get("key") == key

    def partial(self, name: str, key: str) -> Path:
        """The folder gathering step ``name``'s finished frames (``frames/``) until every chunk
        is in; it survives an interrupted run, so a re-run renders only what is missing."""
        partial = self.entry(name, key, ".partial")
        self.folder("items")
        if not _not_a_link(partial / "frames", folder=True):
            (partial / "frames").mkdir(parents=True, exist_ok=True)
            _not_a_link(partial / "frames", folder=True)
        return partial

    @contextlib.contextmanager
    def in_use(self, name: str, key: str) -> Iterator[None]:
        """Mark step ``name``-``key`` as being built (a shared lock): no other build removes
        its partial frames as an older key while this one works on it."""
        self.entry(name, key)
        with _locked(self._lock_file(f"{name}-{key}.lock"), fcntl.LOCK_SH):
            yield

    @contextlib.contextmanager
    def work(self, name: str, key: str, first: int, last: int) -> Iterator[Path]:
        """A fresh private folder to render frames ``first..last`` of step ``name`` into,
        locked while its owner lives and removed after (see :meth:`sweep`)."""
        self.entry(name, key)
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-{key}-{first}-{last}-",
                                       dir=self.folder("work")))
        try:
            with _locked(folder.with_suffix(".lock"), fcntl.LOCK_EX):
                yield folder
        finally:
            _remove(folder)
            with contextlib.suppress(OSError):
                folder.with_suffix(".lock").unlink()

    def sweep(self) -> None:
        """Remove work folders whose owner is gone (a killed worker's lock is released)."""
        work = self.folder("work")
        for lock in work.glob("*.lock"):
            if time.time() - lock.stat().st_mtime < SWEEP_AFTER_S:  # its owner may be starting
                continue
            try:
                with _locked(lock, fcntl.LOCK_EX | fcntl.LOCK_NB):
                    _remove(lock.with_suffix(""))
                    lock.unlink()
            except BlockingIOError:
                continue

    def commit_frames(self, name: str, key: str, work: Path, frames) -> None:
        """Move the finished ``frames`` (numbers) of step ``name`` from ``work`` into its
        partial folder, one rename each, unless the step is already complete."""
        names = [f"frame_{f:04d}.png" for f in frames]
        lost = [n for n in names if not (work / n).is_file()]
        if lost:
            raise NeuroBlendError(f"film: {name}: the render left no {lost[0]} "
                                  f"({len(lost)} frame(s) missing)")
        with _locked(self._lock_file("commit.lock"), fcntl.LOCK_EX):
            if self.has(name, key):
                return
            target = self.partial(name, key) / "frames"
            for frame in names:
                os.replace(work / frame, target / frame)

    def finish(self, name: str, key: str, count: int, info: dict) -> bool:
        """Move step ``name``'s partial folder into place once all ``count`` frames are in
        (older keys of ``name`` no build is using go); whether the step is complete."""
        with _locked(self._lock_file("commit.lock"), fcntl.LOCK_EX):
            if self.has(name, key):
                return True
            partial = self.partial(name, key)
            present = {p.name for p in (partial / "frames").iterdir()}
            if any(f"frame_{f:04d}.png" not in present for f in range(1, count + 1)):
                return False
            (partial / "done.json").write_text(json.dumps(info, indent=1, default=str))
            final = self.entry(name, key)
            _remove(final)
            partial.rename(final)
            self._drop_older(name, key)
            return True

    def _drop_older(self, name: str, key: str) -> None:
        for old in self.folder("items").iterdir():
            match = ENTRY.fullmatch(old.name)
            if not match or match["name"] != name or match["key"] == key:
                continue
            try:
                with _locked(self._lock_file(f"{name}-{match['key']}.lock"),
                             fcntl.LOCK_EX | fcntl.LOCK_NB):
                    _remove(old)
            except BlockingIOError:  # another build is working on that key
                continue

    def _lock_file(self, name: str) -> Path:
        path = self.folder("locks") / name
        _not_a_link(path, folder=False)
        return path

    def read_stamp(self) -> dict:
        """What ``final.json`` says the finished video is ({} if absent or unreadable)."""
        return _read_json(self.file("final.json"))

    def write_stamp(self, info: dict) -> None:
        """Record which composition the finished video holds (atomically)."""
        with atomic_path(self.file("final.json")) as tmp:
            tmp.write_text(json.dumps(info))


@contextlib.contextmanager
def _locked(path: Path, how: int) -> Iterator[None]:
    """Hold an ``flock`` on ``path`` (created; released when its owner exits, even by kill)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, how)
        yield
    finally:
        os.close(fd)


def _own(name: str) -> bool:
    """Whether ``name`` at the cache root is one of the cache's (or a temp file of one)."""
    return name in FOLDERS + FILES or any(name.startswith(f".{own}.") for own in FILES)


def _read_json(path: Path) -> dict:
    """A small JSON object written by the cache, or {} (absent, forged, not JSON, not a dict)."""
    try:
        info = json.loads(read_bounded(path, 1 << 16))
    except (NeuroBlendError, OSError, ValueError, RecursionError):
        return {}
    return info if isinstance(info, dict) else {}
