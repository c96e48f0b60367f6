"""Font files: the bundled face, and a user's ``--font FILE`` checked before anything loads it.

A font given by a user is read here as data only (its table directory and a few tables), never
handed to anything that runs code: a regular file, at most ``MAX_FONT_BYTES``, a TrueType or
OpenType (CFF) font with the tables every renderer needs, each inside the file. The same reading
gives the metrics the layout uses: units per em, x-height, cap height and advance widths.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

from neuroblend.errors import FileFormatError
from neuroblend.files.atomic import check_readable_file
from neuroblend.files.limits import MAX_FONT_BYTES

FONT_DIR = Path(__file__).resolve().parents[1] / "data" / "fonts"
DEFAULT_FONT = FONT_DIR / "DejaVuSans.ttf"  # DejaVu Sans (Bitstream Vera licence, beside it)
FONT_LICENSE = FONT_DIR / "LICENSE-DejaVu.txt"
_SFNT = {b"\x00\x01\x00\x00": "TrueType", b"true": "TrueType", b"OTTO": "OpenType (CFF)"}
_REQUIRED = ("head", "hhea", "hmtx", "maxp", "cmap")
_MAX_TABLES = 200
_HEAD_MAGIC = 0x5F0F3CF5
HOW = "give a .ttf or .otf font file (e.g. DejaVuSans.ttf)"


@dataclass(frozen=True)
class FontMetrics:
    """What the layout needs of a face, in ems (fractions of the font size)."""

    path: Path
    kind: str  # "TrueType" or "OpenType (CFF)"
    units_per_em: int
    x_height: float
    cap_height: float
    advances: dict[str, float]  # printable ASCII characters the face has -> advance width

    def advance(self, char: str) -> float:
        """Advance width of ``char`` in ems (a missing character: the width of "0")."""
        return self.advances.get(char, self.advances.get("0", 0.6))

    def width(self, text: str) -> float:
        """Advance width of ``text`` in ems (no kerning)."""
        return sum(self.advance(c) for c in text)


def font_path(font: str | Path | None) -> Path:
    """The font to use: ``font`` once checked (see :func:`read_metrics`), else the bundled face."""
    if font is None:
        return DEFAULT_FONT
    return read_metrics(font).path


def read_metrics(path: str | Path) -> FontMetrics:
    """Check that ``path`` is a usable font file and read its metrics; a FileFormatError with one
    line saying what is wrong otherwise."""
    p = check_readable_file(Path(path))
    return _read(p.resolve(), p.stat().st_size, p.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read(path: Path, size: int, mtime: int) -> FontMetrics:
    if size > MAX_FONT_BYTES:
        raise FileFormatError(path, f"{size:,} bytes is too large for a font (at most "
                              f"{MAX_FONT_BYTES:,}); {HOW}")
    data = path.read_bytes()[:MAX_FONT_BYTES]
    kind = _SFNT.get(data[:4])
    if kind is None:
        found = "a TrueType collection" if data[:4] == b"ttcf" else (
            "a web font (WOFF)" if data[:4] in (b"wOFF", b"wOF2") else "not a font")
        raise FileFormatError(path, f"{found}: {HOW}")
    tables = _tables(path, data)
    head, hhea, maxp = tables["head"], tables["hhea"], tables["maxp"]
    if len(head) < 54 or struct.unpack_from(">I", head, 12)[0] != _HEAD_MAGIC:
        raise FileFormatError(path, f"its 'head' table is damaged; {HOW}")
    upem = struct.unpack_from(">H", head, 18)[0]
    if not 16 <= upem <= 16384 or len(hhea) < 36 or len(maxp) < 6:
        raise FileFormatError(path, f"its font header is damaged; {HOW}")
    n_metrics = struct.unpack_from(">H", hhea, 34)[0]
    n_glyphs = struct.unpack_from(">H", maxp, 4)[0]
    hmtx = tables["hmtx"]
    if not 1 <= n_metrics <= n_glyphs or len(hmtx) < 4 * n_metrics:
        raise FileFormatError(path, f"its 'hmtx' table is damaged; {HOW}")
    glyphs = _cmap(path, tables["cmap"], n_glyphs)
    advances = {}
    for char, gid in glyphs.items():
        index = min(gid, n_metrics - 1)
        advances[char] = struct.unpack_from(">H", hmtx, 4 * index)[0] / upem
    if not any(c.isdigit() for c in advances):
        raise FileFormatError(path, f"the font has no digits; {HOW}")
    x_height, cap_height = _os2_heights(tables.get("OS/2", b""), upem)
    x_height = _glyph_top(tables, glyphs.get("x"), upem) or x_height
    cap_height = _glyph_top(tables, glyphs.get("H"), upem) or cap_height
    return FontMetrics(path, kind, upem, x_height, cap_height, advances)


def _tables(path: Path, data: bytes) -> dict[str, bytes]:
    if len(data) < 12:
        raise FileFormatError(path, f"too short to be a font; {HOW}")
    count = struct.unpack_from(">H", data, 4)[0]
    if not 1 <= count <= _MAX_TABLES or len(data) < 12 + 16 * count:
        raise FileFormatError(path, f"its table directory is damaged; {HOW}")
    tables = {}
    for k in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * k)
        if offset + length > len(data):
            raise FileFormatError(path, f"table {tag.decode('latin-1')!r} runs past the end of "
                                  f"the file; {HOW}")
        tables[tag.decode("latin-1")] = data[offset:offset + length]
    missing = [t for t in _REQUIRED if t not in tables]
    if not ("glyf" in tables or "CFF " in tables or "CFF2" in tables):
        missing.append("glyf or CFF")
    if missing:
        raise FileFormatError(path, f"not a usable font (no {', '.join(missing)} table); {HOW}")
    return tables


def _cmap(path: Path, cmap: bytes, n_glyphs: int) -> dict[str, int]:
    """Glyph ids of the printable ASCII characters, from a Unicode cmap subtable (format 4/12)."""
    wanted = [chr(c) for c in range(32, 127)]
    try:
        count = struct.unpack_from(">H", cmap, 2)[0]
        for k in range(min(count, 64)):
            platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * k)
            if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6)):
                continue
            fmt = struct.unpack_from(">H", cmap, offset)[0]
            lookup = {4: _format4, 12: _format12}.get(fmt)
            if lookup is not None:
                found = {c: g for c in wanted if 0 < (g := lookup(cmap, offset, ord(c))) < n_glyphs}
                if found:
                    return found
    except struct.error:
        pass
    raise FileFormatError(path, f"its character map ('cmap') has no usable Unicode table; {HOW}")


def _format4(cmap: bytes, offset: int, code: int) -> int:
    segments = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    ends = offset + 14
    starts = ends + 2 * segments + 2
    deltas, ranges = starts + 2 * segments, starts + 4 * segments
    for k in range(segments):
        end = struct.unpack_from(">H", cmap, ends + 2 * k)[0]
        if code > end:
            continue
        start, delta, range_offset = (struct.unpack_from(">H", cmap, at + 2 * k)[0]
                                      for at in (starts, deltas, ranges))
        if code < start:
            return 0
        if range_offset == 0:
            return (code + delta) & 0xFFFF
        gid = struct.unpack_from(">H", cmap, ranges + 2 * k + range_offset + 2 * (code - start))[0]
        return (gid + delta) & 0xFFFF if gid else 0
    return 0


def _format12(cmap: bytes, offset: int, code: int) -> int:
    groups = struct.unpack_from(">I", cmap, offset + 12)[0]
    for k in range(min(groups, 100_000)):
        start, end, first = struct.unpack_from(">III", cmap, offset + 16 + 12 * k)
        if start <= code <= end:
            return first + code - start
    return 0


def _glyph_top(tables: dict[str, bytes], gid: int | None, upem: int) -> float | None:
    """Top of a TrueType glyph's outline (ems), or None (no such glyph, or a CFF font)."""
    glyf, loca = tables.get("glyf"), tables.get("loca")
    if gid is None or glyf is None or loca is None:
        return None
    try:
        if struct.unpack_from(">h", tables["head"], 50)[0] == 0:  # short offsets, halved
            start, end = (2 * v for v in struct.unpack_from(">HH", loca, 2 * gid))
        else:
            start, end = struct.unpack_from(">II", loca, 4 * gid)
        if end - start < 10:
            return None
        top = struct.unpack_from(">h", glyf, start + 8)[0]
    except struct.error:
        return None
    return top / upem if 0 < top < upem else None


def _os2_heights(os2: bytes, upem: int) -> tuple[float, float]:
    """x-height and cap height (ems) from the OS/2 table (version 2+), else typical values."""
    if len(os2) >= 90 and struct.unpack_from(">H", os2, 0)[0] >= 2:
        x, cap = struct.unpack_from(">hh", os2, 86)
        if 0 < x < upem and 0 < cap < upem:
            return x / upem, cap / upem
    return 0.5, 0.7
