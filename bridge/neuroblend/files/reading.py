"""Reading input files that must be regular files: a FIFO, device, socket or directory is refused
before a byte is read (so hashing or reading never blocks on a pipe or reads /dev/zero forever).

The path is checked with ``stat`` (a symlink to a regular file is fine), then opened without
blocking and checked again on the open descriptor, so a file swapped after the first check is
refused too. The descriptor stays non-blocking: a "regular" file of a kernel filesystem that
would block (``/proc/kmsg``) is refused instead of waited on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from neuroblend.errors import FileFormatError
from neuroblend.files.atomic import check_readable_file


def read_blocks(path: str | os.PathLike, block: int = 1 << 20,
                limit: int | None = None, what: str = "the file") -> Iterator[bytes]:
    """The bytes of the regular file ``path`` in blocks; a one-line error if it is not one, if
    reading would block, or if it holds more than ``limit`` bytes."""
    path = check_readable_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileFormatError(path, f"cannot read it: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileFormatError(path, "is not a regular file (it changed while being opened)")
        total = 0
        while chunk := _read(fd, path, block):
            total += len(chunk)
            if limit is not None and total > limit:
                raise FileFormatError(path, f"{what} is larger than {limit:,} bytes (a fixed "
                                      "limit); is this the right file?")
            yield chunk
    finally:
        os.close(fd)


def _read(fd: int, path: Path, size: int) -> bytes:
    try:
        return os.read(fd, size)
    except BlockingIOError:
        raise FileFormatError(path, "reading it would wait for more data: not a plain "
                              "file") from None
    except OSError as exc:
        raise FileFormatError(path, f"cannot read it: {exc.strerror}") from None


def read_bounded(path: str | os.PathLike, limit: int, what: str = "the file") -> bytes:
    """The bytes of the regular file ``path``, refused if it holds more than ``limit`` bytes."""
    return b"".join(read_blocks(path, limit=limit, what=what))
