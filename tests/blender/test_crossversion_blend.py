"""A .blend saved by ``--save-blend`` under Blender 4.2 renders the same frame in this Blender.

The fixtures were made once under bpy 4.2.23 (``make test-blender BPY=4.2.23`` builds that venv):

    .venv-bpy-4.2.23/bin/neuroblend render spike tests/fixtures/crossversion/simulation-numpy1.pkl \
        --resolution 96x72 --samples 256 --frames 11-11 --no-render \
        --save-blend tests/fixtures/crossversion/spike-blender4.2.blend --out /tmp/unused
    .venv-bpy-4.2.23/bin/python tests/blender/test_crossversion_blend.py \
        tests/fixtures/crossversion/spike-blender4.2.blend tests/fixtures/crossversion/spike-blender4.2.png

The frame is compared without the compositor: Blender itself converts a 4.2 Glare node's
``mix``/``size`` options to the 4.4+ Strength/Size inputs on load, and its bloom then comes out
about 10% brighter (up to 22/255 around lit tubes under 5.0); that is Blender's file versioning,
not something the saved scene can carry. Everything NeuroBlend bakes (meshes, thickness modifier,
packed voltage image, colormap lookup, drivers, labels) must render like 4.2 rendered it, within
2/255 (measured: 4.5 and 5.0), except where the renderer itself changed: 5.3 differs on 2.4% of
the pixels, up to 23/255, and renders the scene it builds itself pixel-identical to this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.blender.core import compat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crossversion"
BLEND = FIXTURES / "spike-blender4.2.blend"
REFERENCE = FIXTURES / "spike-blender4.2.png"
FRAME = 11  # the soma has fired: bright yellow soma, blue dendrites, "10 ms" label


def render_frame(blend: Path, png: Path) -> np.ndarray:
    """Open ``blend`` as saved and render frame ``FRAME`` (compositor off) to ``png``."""
    import bpy

    from neuroblend.blender.core import compat

    bpy.ops.wm.open_mainfile(filepath=str(blend), load_ui=False)
    scene = bpy.context.scene
    scene.render.use_compositing = False
    compat.set_png_output(scene, "RGBA")
    scene.frame_set(FRAME)
    scene.render.filepath = str(png)
    scene.render.use_file_extension = False
    bpy.ops.render.render(write_still=True)
    return read_png(png)


def read_png(path: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGBA")).astype(int)


@pytest.mark.render
def test_blend_saved_by_blender_42_renders_the_same_frame_here(artifact_dir):
    got = render_frame(BLEND, artifact_dir / "from_4.2_blend.png")
    want = read_png(REFERENCE)
    assert got.shape == want.shape
    assert (want[..., :3].max(axis=-1) > 100).mean() > 0.02, "the reference frame is not lit"
    # within 2/255 of 4.2's render, except where this Blender's renderer itself has changed
    # (5.3's Cycles: the soma's rim and +3 in the dendrites' blue; the scene built by 5.3 itself
    # renders pixel-identical to this 4.2 file there): at most 3% of the pixels, never over 32/255
    diff = np.abs(got - want).max(axis=-1)
    off = (diff > 2).mean()
    assert off <= (0.03 if compat.VERSION >= (5, 3, 0) else 0.0), f"{off:.1%} of pixels differ"
    assert diff.max() <= (32 if compat.VERSION >= (5, 3, 0) else 2)


if __name__ == "__main__":
    render_frame(Path(sys.argv[1]), Path(sys.argv[2]))
