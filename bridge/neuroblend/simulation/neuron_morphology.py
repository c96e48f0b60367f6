"""Morphology files into NEURON sections: SWC/ASC through Import3d (its output captured, the first
error reported), ``.hoc``/``.nrn`` programs only with ``trust_code``."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from neuroblend.errors import NeuroBlendError
from neuroblend.files.limits import MAX_SWC_POINTS
from neuroblend.simulation.neuron_env import neuron_h

MORPHOLOGY_SUFFIXES = (".swc", ".asc", ".hoc", ".nrn")


def load_morphology(path: str | os.PathLike, trust_code: bool = False,
                    max_swc_points: int = MAX_SWC_POINTS) -> list:
    """Load an SWC, Neurolucida ASC, or ``.hoc``/``.nrn`` file; returns its sections.

    A ``.hoc``/``.nrn`` file is a NEURON program that can do anything the user can (run shell
    commands, write files): it runs only with ``trust_code=True`` (``--trust-code``).
    """
    h = neuron_h()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MORPHOLOGY_SUFFIXES:
        raise NeuroBlendError(f"{path}: unsupported morphology type {suffix or '(none)'!r}; "
                              f"use one of {', '.join(MORPHOLOGY_SUFFIXES)}")
    if not path.is_file():
        raise NeuroBlendError(f"{path}: no such morphology file")
    if suffix in (".hoc", ".nrn") and not trust_code:
        raise NeuroBlendError(
            f"{path}: a {suffix} file is a NEURON program, not just geometry: it can run any "
            "command on this computer. Run it only if you trust it, with --trust-code (or "
            "convert the morphology to .swc/.asc)")
    if suffix != ".swc":
        _require_text(path)
    before = set(h.allsec())
    h.load_file("stdlib.hoc")
    output = ""
    if suffix in (".hoc", ".nrn"):
        ok, output = run_hoc(path)
        if not ok:
            raise NeuroBlendError(f"{path}: NEURON could not run this geometry file: "
                                  f"{first_error(output)}")
    elif suffix == ".swc":
        from neuroblend.simulation.morphology import read_swc, write_swc

        tree = read_swc(path, max_swc_points)
        if not tree.repaired:  # NEURON reads the user's own file: its sections, its names
            output = _import3d(h, "Import3d_SWC_read", path)
        else:
            with tempfile.TemporaryDirectory(prefix="neuroblend-swc-") as tmp:
                clean = Path(tmp) / "clean.swc"
                write_swc(tree, clean, header=f"repaired copy of {path}")
                output = _import3d(h, "Import3d_SWC_read", clean)
    else:
        output = _import3d(h, "Import3d_Neurolucida3", path)
    sections = [sec for sec in h.allsec() if sec not in before]
    if not sections:
        detail = first_error(output) if output.strip() else "it defines no sections"
        raise NeuroBlendError(f"{path}: no sections were created ({detail})")
    return sections


def run_hoc(path: str | os.PathLike) -> tuple[bool, str]:
    """Run the hoc program ``path`` (again, if it ran before); returns whether NEURON finished it
    without error and what it printed (kept out of the user's terminal)."""
    h = neuron_h()
    with captured_stdout() as captured:
        try:
            ok = bool(h.load_file(1, str(path)))
        except RuntimeError:
            ok = False
    return ok, captured.text()


def _require_text(path: Path) -> None:
    """NEURON's readers (and its printing of what they read) need UTF-8 text."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except OSError as exc:
        raise NeuroBlendError(f"{path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise NeuroBlendError(f"{path}: not a text file (byte {exc.start} is not UTF-8 text); "
                              "expected a Neurolucida .asc or a NEURON .hoc/.nrn text file") \
            from None
    if b"\x00" in data:
        raise NeuroBlendError(f"{path}: not a text file (it holds NUL bytes)")


def _import3d(h: Any, reader_name: str, path: Path) -> str:
    h.load_file("import3d.hoc")
    with captured_stdout() as captured:
        try:
            reader = getattr(h, reader_name)()
            reader.quiet = 1
            reader.input(str(path))
            h.Import3d_GUI(reader, False).instantiate(None)
        except RuntimeError:
            pass  # reported below from NEURON's own message
    return captured.text()


@contextlib.contextmanager
def captured_stdout() -> Iterator[Any]:
    """Capture what NEURON prints to the C-level stdout (kept out of the user's terminal)."""
    class Captured:
        data = b""

        def text(self) -> str:
            return self.data.decode("utf-8", "replace")

    captured = Captured()
    sys.stdout.flush()
    _flush_c_stdout()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            yield captured
        finally:
            _flush_c_stdout()
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            tmp.seek(0)
            captured.data = tmp.read()


def _flush_c_stdout() -> None:
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None).fflush(None)


def first_error(output: str) -> str:
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    for ln in lines:
        if re.search(r"error|line \d+", ln, re.IGNORECASE):
            return " / ".join(lines[lines.index(ln):lines.index(ln) + 3])[:300]
    return " / ".join(lines[:3])[:300] or "no message from NEURON"
