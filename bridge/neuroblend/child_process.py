"""Child processes that die with the process that started them."""

from __future__ import annotations


def die_with_parent() -> None:
    """In a child process (``preexec_fn``): be killed when the parent dies (Linux
    ``PR_SET_PDEATHSIG``), so a killed Dask worker leaves no render running."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
