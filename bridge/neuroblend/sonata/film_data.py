"""A SONATA config named as a storyboard shot's ``data``: imported once (default options) into
a simulation file in NeuroBlend's cache, re-imported only when the config or a file it names
changes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from neuroblend.sonata.config import load_config


def cache_folder() -> Path:
    """``$NEUROBLEND_CACHE`` or ``$XDG_CACHE_HOME/neuroblend`` (default ``~/.cache/neuroblend``)."""
    root = os.environ.get("NEUROBLEND_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "neuroblend"
    return Path(root) / "sonata"


def simulation_for(config: Path) -> Path:
    """The simulation file imported from SONATA ``config`` (imported now if not cached)."""
    from neuroblend.sonata.to_simulation import SonataImportOptions, import_sonata

    resolved = load_config(config)
    files = [Path(config)] + [p.h5 for p in resolved.nodes + resolved.edges]
    files += [r.path for r in resolved.reports.values()]
    files += [resolved.spikes_file] if resolved.spikes_file else []
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat() if path.exists() else None
        digest.update(f"{path.resolve()}|{stat.st_mtime_ns if stat else 0}|"
                      f"{stat.st_size if stat else 0}\n".encode())
    out = cache_folder() / f"{Path(config).stem}-{digest.hexdigest()[:16]}.pkl"
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        import_sonata(SonataImportOptions(config=str(config), out=str(out)))
    return out
