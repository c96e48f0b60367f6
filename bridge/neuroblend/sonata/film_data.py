"""A SONATA config named as a storyboard shot's ``data``: imported once (default options) into
a simulation file in the film cache's ``data`` folder, re-imported only when the config or a file
it names changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from neuroblend.sonata.config import load_config


def simulation_for(config: Path, folder: Path) -> Path:
    """The simulation file imported from SONATA ``config`` into ``folder`` (imported now if
    not there yet)."""
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
    out = folder / f"sonata-{digest.hexdigest()[:20]}.pkl"
    if not out.is_file():
        import_sonata(SonataImportOptions(config=str(config), out=str(out)))
    return out
