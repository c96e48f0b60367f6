"""Opening input files that must be regular files: a FIFO, device, socket or directory is refused
before a byte is read (so hashing or reading never blocks on a pipe or reads /dev/zero forever).

The path is checked with ``stat`` (a symlink to a regular file is fine), then opened without
blocking and checked again on the open descriptor, so a file swapped after the first check is
refused too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from neuroblend.errors import FileFormatError
from neuroblend.files.atomic import check_readable_file


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """``path`` opened for binary reading if it is a regular file, else a one-line error."""
    path = check_readable_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileFormatError(path, f"cannot read it: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FileFormatError(path, "is not a regular file (it changed while being opened)")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bounded(path: str | os.PathLike, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, refused if it holds more than ``limit`` bytes."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileFormatError(Path(path), f"{what} is larger than {limit:,} bytes (a fixed "
                              "limit); is this the right file?")
    return data
