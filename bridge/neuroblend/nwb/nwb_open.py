"""Open an NWB file read-only through pynwb, with one clear line for anything that is not one.

Nothing here parses HDF5 by hand: the file's first bytes are checked for the HDF5 signature (so a
text file or a pickle is named as such before pynwb sees it), then pynwb reads it. Reading runs
no code from the file: pynwb reads data and cached schema specifications (YAML/JSON), never
pickles.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

from neuroblend.errors import NeuroBlendError

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
INSTALL_HINT = "pip install 'neuroblend[nwb]'"


def _pynwb():
    try:
        import pynwb
    except ImportError:
        raise NeuroBlendError(f"reading NWB files needs pynwb ({INSTALL_HINT})") from None
    return pynwb


def check_hdf5(path: Path) -> None:
    """Raise unless ``path`` is a readable file starting with the HDF5 signature (NWB 2 files are
    HDF5; the signature sits at byte 0 of files written by pynwb/MatNWB)."""
    if not path.is_file():
        raise NeuroBlendError(f"{path}: no such file")
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(HDF5_SIGNATURE))
    except OSError as exc:
        raise NeuroBlendError(f"{path}: cannot read it ({exc.strerror})") from None
    if head != HDF5_SIGNATURE:
        raise NeuroBlendError(f"{path} is not an NWB file: it is not HDF5 (NWB 2 files are HDF5, "
                              "as written by pynwb or MatNWB)")


@contextlib.contextmanager
def open_nwb(path) -> Iterator:
    """The ``NWBFile`` in ``path``, open read-only while the context lasts (datasets stay lazy)."""
    path = Path(path)
    check_hdf5(path)
    pynwb = _pynwb()
    import h5py

    try:
        with h5py.File(path, "r") as probe:
            if "nwb_version" not in probe.attrs:
                raise NeuroBlendError(f"{path} is an HDF5 file but not an NWB file (no "
                                      "nwb_version attribute at its root)")
    except OSError as exc:
        raise NeuroBlendError(f"{path}: not a readable HDF5 file ({exc})") from None
    try:
        io = pynwb.NWBHDF5IO(str(path), mode="r", load_namespaces=True)
        with warnings.catch_warnings():  # schema-version chatter, not the user's problem
            warnings.simplefilter("ignore")
            nwbfile = io.read()
    except NeuroBlendError:
        raise
    except Exception as exc:  # pynwb/hdmf raise many kinds for a malformed file
        raise NeuroBlendError(f"{path}: pynwb cannot read it as NWB: {type(exc).__name__}: "
                              f"{str(exc).splitlines()[0][:300] if str(exc) else ''}") from None
    try:
        yield nwbfile
    finally:
        io.close()
