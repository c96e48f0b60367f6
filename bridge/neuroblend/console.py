"""What a render prints: our progress lines, not Blender's per-frame log.

Blender writes "Fra:...", "Saved: ..." and "Video append frame N" to the process's stdout from
C, once per frame. While Blender renders, :func:`blender_output_hidden` points file descriptor 1
at /dev/null and Python's ``sys.stdout`` at a copy of the real one, so our own lines (progress,
errors) still show. Under ``blender -b`` the runner also drops Blender's start-up and per-frame
lines from the child's output (:func:`is_blender_noise`). ``--verbose`` (the environment
variable ``NEUROBLEND_VERBOSE``, inherited by every child) shows everything.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import sys
from collections.abc import Iterator

VERBOSE_ENV = "NEUROBLEND_VERBOSE"
_NOISE = re.compile(
    r"^\s*(?:\d\d:\d\d\.\d+\s+\w+\s+\|\s+)?"  # CLOG's "00:01.215  render  | " prefix
    r"(?:Fra:\d|Saved: |Video append frame|Append frame|Time: \d|Blender quit|Blender \d|"
    r"Read blend: |Read prefs: |Color management: |Warning: no DISPLAY|--No graphics|"
    r"Writing: |Output: |Wrote |Remaining: )")


def verbose() -> bool:
    """Whether Blender's own output is shown (``--verbose``)."""
    return os.environ.get(VERBOSE_ENV, "") not in ("", "0")


def set_verbose(on: bool) -> None:
    """Show (``on``) or hide Blender's own output here and in every child process."""
    if on:
        os.environ[VERBOSE_ENV] = "1"
    else:
        os.environ.pop(VERBOSE_ENV, None)


def is_blender_noise(line: str) -> bool:
    """Whether ``line`` is one of Blender's start-up or per-frame log lines."""
    return bool(_NOISE.match(line))


def _flush_c_stdout() -> None:
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # no C library to call (not POSIX)
        pass


@contextlib.contextmanager
def blender_output_hidden() -> Iterator[None]:
    """Silence what Blender's C code writes to stdout inside the block (unless verbose);
    Python's prints go to the real stdout meanwhile."""
    if verbose():
        try:
            yield
        finally:  # C's stdio buffers a pipe: flush now, in order with Python's lines
            sys.stdout.flush()
            _flush_c_stdout()
        return
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no stdout to redirect (a closed or unusual stream)
        yield
        return
    python_stdout = sys.stdout
    console = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = console
    try:
        yield
    finally:
        _flush_c_stdout()
        console.flush()
        sys.stdout = python_stdout
        os.dup2(saved, 1)
        os.close(saved)
        console.close()
