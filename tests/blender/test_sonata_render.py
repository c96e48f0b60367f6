"""`neuroblend render spike` renders a simulation imported from SONATA (cells lit by the report)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("libsonata")
pytest.importorskip("morphio")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import sonata_fixtures as sf  # noqa: E402
from cli_runner import run_cli  # noqa: E402

pytestmark = pytest.mark.render


def test_render_spike_on_an_imported_sonata_simulation(tmp_path, artifact_dir):
    from PIL import Image

    config = sf.write_circuit(tmp_path / "sonata")
    run = run_cli(["import", "sonata", str(config), "--out", "sim.pkl", "--report", "v_report"],
                  tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    run = run_cli(["render", "spike", "sim.pkl", "--out", "frames", "--frames", "20",
                   "--resolution", "160x100", "--samples", "2", "--no-time-label",
                   "--no-colorbar"], tmp_path, timeout=300, address_space=None)
    assert run.returncode == 0, run.stderr[-2000:]
    png = tmp_path / "frames" / "frame_0020.png"
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)
    (artifact_dir / "sonata_frame.png").write_bytes(png.read_bytes())
    lit = pixels.max(axis=2) > 40
    assert lit.sum() > 50, "the imported cells should be visible"
