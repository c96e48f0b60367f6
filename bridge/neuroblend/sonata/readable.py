"""HDF5 files that libsonata's wheels can open.

What libsonata (0.1-0.2 wheels) refuses in files that BMTK writes:
- gzip-compressed datasets (BMTK's nodes, edges and spikes by default): the wheels' HDF5 is
  built without zlib ("required filter 'deflate' is not registered");
- a report mapping's ``index_pointer`` (the standard says ``index_pointers``), a report's data
  in float64 (the standard: float32), data and time without a ``units`` attribute, and the
  spikes ``sorting`` written as a string instead of the standard's enum.

:func:`libsonata_path` hands libsonata the file itself when none applies, else a stand-in made
with h5py in a folder removed when the process ends: the same groups (attributes fixed), each
unfiltered dataset an HDF5 external link to the original, a report's data a float32 virtual
dataset over the original when it needs units or conversion (no data copied: a report is still read lazily from where it
is), and only filtered datasets (and the 3-value time vector) copied.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from neuroblend.errors import NeuroBlendError

_SLICE_VALUES = 4_000_000
_COPIES: dict[tuple, Path] = {}
_FOLDER: list[Path] = []
_SORTING = {"none": 0, "by_id": 1, "by_time": 2}


def libsonata_path(path: Path) -> Path:
    """``path``, or a stand-in libsonata can read (see the module's docstring)."""
    import h5py

    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise NeuroBlendError(f"{path}: cannot read ({exc.strerror})") from None
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key in _COPIES:
        return _COPIES[key]
    try:
        with h5py.File(path, "r") as f:
            if not _needs_stand_in(f):
                return path
            copy = _folder() / f"{len(_COPIES)}_{path.name}"
            source = str(path.resolve())
            with h5py.File(copy, "w") as out:
                _copy_attrs(f, out)
                f.visititems(lambda name, obj: _copy(name, obj, out, source))
    except OSError as exc:
        raise NeuroBlendError(f"{path}: not a readable HDF5 file ({exc})") from None
    _COPIES[key] = copy
    return copy


def _is_filtered(obj: Any) -> bool:
    return obj.chunks is not None and bool(obj.compression or obj.shuffle or obj.scaleoffset
                                           or obj.fletcher32)


def _needs_stand_in(f: Any) -> bool:
    import h5py

    found = []

    def visit(name: str, obj: Any) -> None:
        if isinstance(obj, h5py.Dataset):
            if _is_filtered(obj) or _missing_units(name, obj):
                found.append(name)
        elif name.endswith("/mapping") and "index_pointer" in obj \
                and "index_pointers" not in obj:
            found.append(name)
        elif name.startswith("spikes/") and isinstance(obj.attrs.get("sorting"), (str, bytes)):
            found.append(name)
    f.visititems(visit)
    return bool(found)


def _missing_units(name: str, obj: Any) -> bool:
    """A report's data or time without units, or (BMTK) data stored as float64."""
    if not name.startswith("report/"):
        return False
    if name.endswith("/data"):
        return "units" not in obj.attrs or obj.dtype != np.float32
    return name.endswith("/mapping/time") and "units" not in obj.attrs


def _copy(name: str, obj: Any, out: Any, source: str) -> None:
    import h5py

    if isinstance(obj, h5py.Group):
        group = out.require_group(name)
        _copy_attrs(obj, group)
        sorting = obj.attrs.get("sorting")
        if name.startswith("spikes/") and isinstance(sorting, (str, bytes)):
            text = sorting.decode() if isinstance(sorting, bytes) else sorting
            group.attrs.create("sorting", _SORTING.get(text, 0),
                               dtype=h5py.enum_dtype(_SORTING, basetype=np.uint8))
        return
    target = name.replace("/mapping/index_pointer", "/mapping/index_pointers") \
        if name.endswith("/mapping/index_pointer") else name
    if _missing_units(name, obj) and name.endswith("/data") and not _is_filtered(obj):
        layout = h5py.VirtualLayout(shape=obj.shape, dtype=np.float32)
        layout[...] = h5py.VirtualSource(source, "/" + name, shape=obj.shape)
        out.create_virtual_dataset(target, layout)
        _copy_attrs(obj, out[target])
        if "units" not in obj.attrs:
            out[target].attrs["units"] = _data_units(obj)
    elif _is_filtered(obj) or _missing_units(name, obj):
        _copy_data(obj, out, target)
        if _missing_units(name, obj):
            out[target].attrs["units"] = "ms" if name.endswith("/time") else _data_units(obj)
    else:
        out[target] = h5py.ExternalLink(source, "/" + name)


def _data_units(obj: Any) -> str:
    from neuroblend.simulation.simulation_file import unit_for_variable

    variable = obj.attrs.get("variable", "v")
    return unit_for_variable(variable.decode() if isinstance(variable, bytes) else str(variable))


def _copy_data(obj: Any, out: Any, target: str) -> None:
    dtype = np.float32 if target.startswith("report/") and target.endswith("/data") else obj.dtype
    dst = out.create_dataset(target, shape=obj.shape, dtype=dtype)
    if obj.shape and obj.size:
        step = max(1, _SLICE_VALUES // max(1, obj.size // obj.shape[0]))
        for start in range(0, obj.shape[0], step):
            dst[start:start + step] = obj[start:start + step]
    elif obj.shape == ():
        dst[()] = obj[()]
    _copy_attrs(obj, dst)


def _copy_attrs(src: Any, dst: Any) -> None:
    for key in src.attrs:
        dst.attrs.create(key, src.attrs[key], dtype=src.attrs.get_id(key).dtype)


def _folder() -> Path:
    if not _FOLDER:
        _FOLDER.append(Path(tempfile.mkdtemp(prefix="neuroblend-sonata-")))
        atexit.register(shutil.rmtree, _FOLDER[0], True)
    return _FOLDER[0]
