"""Where a film may be written: checked before anything is hashed, simulated or rendered.

``--out`` is an ``.mp4`` name that is not a symbolic link (never written through), not a folder
or device, in a folder that can be made, and not any input of the film (the storyboard, a data
file, the voiceover), compared by resolved path and by (device, inode) so a hard link or another
spelling of an input is refused too. The cache (see :mod:`neuroblend.film.cache`) is checked
too, and may not hold the output.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.files.atomic import check_output_target, protect_inputs
from neuroblend.film.cache import Cache


def film_inputs(board) -> list[tuple[str, Path]]:
    """(what, path) of every file the film reads: the storyboard, data files, the voiceover."""
    found = [("the storyboard", Path(board.path))] if board.path else []
    found += [(f"timeline[{item.index}].data ({item.name})", item.spec["data"])
              for item in board.items if isinstance(item.spec.get("data"), Path)]
    if board.voiceover:
        found.append(("the voiceover", Path(board.voiceover)))
    return found


def check_targets(out, board, cache_dir=None) -> tuple[Path, Cache]:
    """The absolute path to write the film to and its checked cache (``cache_dir``, default
    ``.NAME.film-cache`` beside ``out``), or a one-line error saying why not. Writes nothing."""
    given = Path(out)
    if given.suffix.lower() != ".mp4":
        raise NeuroBlendError(f"--out {given}: the film is written as an .mp4 file")
    try:
        st = os.lstat(given)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        parent = next(p for p in given.parents if p.exists())
        raise NeuroBlendError(f"--out {given}: {parent} is a file, not a folder") from None
    except OSError as exc:
        raise NeuroBlendError(f"--out {given}: {exc.strerror}") from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise NeuroBlendError(f"--out {given} is a symbolic link; the film is never written "
                              "through a link: give the file's own path or another name")
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise NeuroBlendError(f"--out {given} is a folder: give a file name ending in .mp4")
    try:
        path = given.parent.resolve() / given.name
    except (OSError, RuntimeError) as exc:
        raise NeuroBlendError(f"--out {given}: cannot resolve its folder ({exc})") from None
    inputs = film_inputs(board)
    _not_an_input(path, st, inputs)
    protect_inputs([p for _, p in inputs])
    check_output_target(given)  # a device or FIFO, a file as a parent folder
    _writable(path)
    cache = Cache(cache_dir or path.parent / f".{path.stem}.film-cache")
    if path.is_relative_to(cache.root):
        raise NeuroBlendError(f"--out {path} is inside the film cache {cache.root}: write the "
                              "film elsewhere (the cache may be cleared)")
    return path, cache


def _writable(path: Path) -> None:
    folder = next(p for p in path.parents if p.exists())
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NeuroBlendError(f"--out {path}: cannot write in {folder} (permission denied)")


def _not_an_input(path: Path, st, inputs) -> None:
    for what, source in inputs:
        try:
            same = source.resolve() == path or (
                st is not None and os.path.samestat(st, os.stat(source)))
        except (OSError, RuntimeError):
            same = False
        if same:
            raise NeuroBlendError(f"--out {path} is {what} of this film ({source}); writing it "
                                  "would replace an input: choose another output name")
