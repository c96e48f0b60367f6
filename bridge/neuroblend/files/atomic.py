"""Safe file output: temp file beside the target, renamed over it when complete.

- An interrupted write never leaves a half-written file under the final name, and temp files are
  removed on SIGINT/SIGTERM (:func:`install_signal_cleanup`).
- Only regular files are ever replaced: a folder, FIFO or device as target is refused.
- A command's own input files are never overwritten (:func:`protect_inputs`).
- Every failure (read-only folder, a file where a folder should be...) is a one-line
  :class:`~neuroblend.errors.NeuroBlendError`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from neuroblend.errors import FileFormatError, NeuroBlendError

_LIVE: set[Path] = set()
_PROTECTED: set[tuple[int, int]] = set()


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


OUTPUT_FLAGS = frozenset({"--out", "--video", "--save-blend", "--save-data", "--export-png",
                          "--stimulus-out",
                          "--export-exr"})


def input_files(items: Iterable) -> list[str]:
    """The existing files among command-line ``items``, skipping the values of output flags."""
    found, previous = [], None
    for item in items:
        is_path = isinstance(item, (str, os.PathLike))
        if is_path and previous not in OUTPUT_FLAGS and os.path.isfile(item):
            found.append(os.fspath(item))
        previous = item if isinstance(item, str) else None
    return found


def protect_inputs(paths: Iterable[str | os.PathLike]) -> None:
    """Remember existing input files so no output of this process may replace them."""
    for path in paths:
        with contextlib.suppress(OSError, ValueError):
            st = os.stat(path)
            if stat.S_ISREG(st.st_mode):
                _PROTECTED.add((st.st_dev, st.st_ino))


def check_output_target(path: str | os.PathLike) -> Path:
    """``path`` if it may be written: refuses inputs, non-regular files and impossible folders."""
    target = Path(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise NeuroBlendError(f"cannot write {target}: {exc.strerror}") from None
    if st is not None:
        if (st.st_dev, st.st_ino) in _PROTECTED:
            raise NeuroBlendError(f"{target} is an input of this command; writing it would "
                                  "overwrite the input: choose another output name")
        if not stat.S_ISREG(st.st_mode):
            raise NeuroBlendError(f"cannot write {target}: it is {_kind(st.st_mode)}; NeuroBlend "
                                  "only replaces regular files, choose a file name")
    for parent in (target.parent, *target.parent.parents):
        if parent.exists():
            if not parent.is_dir():
                raise NeuroBlendError(f"cannot write {target}: {parent} is a file, not a folder")
            break
    return target


def check_readable_file(path: str | os.PathLike) -> Path:
    """``path`` as a Path if it is a readable regular file, else a FileFormatError saying why."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise FileFormatError(p, "no such file") from None
    except OSError as exc:
        raise FileFormatError(p, f"cannot read it: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileFormatError(p, f"is {_kind(st.st_mode)}, expected a regular file")
    if not os.access(p, os.R_OK):
        raise FileFormatError(p, "cannot read it: permission denied")
    return p


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it to ``path`` if the block succeeds.

    ``suffix`` defaults to the target's own suffix so tools that pick a format from the file
    name (Blender, FFmpeg, matplotlib) still do the right thing.
    """
    target = check_output_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=target.suffix if suffix is None else suffix,
            dir=target.parent)
    except OSError as exc:
        raise NeuroBlendError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    _LIVE.add(tmp)
    try:
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())
        yield tmp
        check_output_target(target)  # still a regular file (or absent) after the long write
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise NeuroBlendError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        _LIVE.discard(tmp)
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def temp_folder(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target``, removed on exit and on SIGINT/SIGTERM."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise NeuroBlendError(f"cannot write {target}: {exc.strerror or exc}") from None
    _LIVE.add(tmp)
    try:
        yield tmp
    finally:
        _LIVE.discard(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_live_temps() -> None:
    """Delete every temp file/folder of unfinished writes (used by the signal handlers)."""
    for tmp in list(_LIVE):
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                tmp.unlink()
        _LIVE.discard(tmp)


def _on_signal(signum: int, _frame) -> None:
    remove_live_temps()
    name = "interrupted" if signum == signal.SIGINT else "terminated"
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        print(f"neuroblend: {name}", file=sys.stderr, flush=True)
    os._exit(128 + signum)


def install_signal_cleanup() -> None:
    """On SIGINT/SIGTERM: remove unfinished temp files and exit 130/143 at once.

    Python handles signals between bytecodes, so inside a long C call (a Blender render) this
    takes effect at the next Python callback (the end of the current frame)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _on_signal)
