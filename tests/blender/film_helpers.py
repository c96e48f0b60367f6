"""Reading back what a film test rendered: the frames of an MP4."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from neuroblend.video_encode import ffmpeg_exe


def decode(video: Path) -> np.ndarray:
    """All frames of ``video`` as int arrays [n, H, W, 3] (also kept as PNGs beside it)."""
    folder = video.parent / f"{video.stem}_frames"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-i", str(video),
                    str(folder / "f_%04d.png")], check=True)
    return np.stack([np.asarray(Image.open(p).convert("RGB")).astype(int)
                     for p in sorted(folder.glob("f_*.png"))])
