"""SWC files keep NEURON's own structure: the sections NeuroBlend loads (count, names, points)
equal what NEURON's Import3d_SWC_read + Import3d_GUI.instantiate make from the original file."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from swc_generator import generate_cell  # noqa: E402

pytest.importorskip("neuron")

SCRIPT = """
import json, sys
from neuron import h
mode, path = sys.argv[1:3]
if mode == "neuron":
    h.load_file("stdlib.hoc"); h.load_file("import3d.hoc")
    reader = h.Import3d_SWC_read(); reader.quiet = 1; reader.input(path)
    h.Import3d_GUI(reader, False).instantiate(None)
    sections = list(h.allsec())
else:
    from neuroblend.simulation.neuron_morphology import load_morphology
    sections = load_morphology(path)
print(json.dumps([[s.name(), [[s.x3d(i), s.y3d(i), s.z3d(i), s.diam3d(i)]
                              for i in range(s.n3d())]] for s in sections]))
"""


def sections(mode: str, path: Path) -> list:
    """Sections as (name, points [n3d, 4]) made by NEURON alone or by NeuroBlend's loader."""
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [(name, np.array(points)) for name, points in json.loads(done.stdout.splitlines()[-1])]


def assert_same_structure(ours: list, reference: list, check_diameters: bool = True) -> None:
    assert len(ours) == len(reference)
    assert [n for n, _ in ours] == [n for n, _ in reference]
    for (name, a), (_, b) in zip(ours, reference, strict=True):
        assert a.shape == b.shape, name
        np.testing.assert_allclose(a[:, :3], b[:, :3], atol=1e-3, err_msg=name)
        if check_diameters:
            np.testing.assert_allclose(a[:, 3], b[:, 3], atol=1e-3, err_msg=name)


@pytest.mark.parametrize("seed, scramble", [(1, True), (2, False)])
def test_valid_reconstruction_matches_import3d(tmp_path, seed, scramble):
    path = tmp_path / "cell.swc"
    path.write_text(generate_cell(seed, scramble_ids=scramble))
    reference = sections("neuron", path)
    assert len(reference) > 100  # many branch orders, not a toy
    assert_same_structure(sections("neuroblend", path), reference)


@pytest.mark.slow
def test_repairs_touch_only_what_they_repair(tmp_path):
    original = tmp_path / "cell.swc"
    original.write_text(generate_cell(3))
    reference = sections("neuron", original)
    body = original.read_text().splitlines()[1:]
    zero = list(body)
    fields = zero[60].split()
    fields[5] = "0"
    zero[60] = " ".join(fields)
    (tmp_path / "zero.swc").write_text("\n".join(zero) + "\n")
    assert_same_structure(sections("neuroblend", tmp_path / "zero.swc"), reference,
                          check_diameters=False)
    random.Random(0).shuffle(body)  # parents after children: NEURON itself crashes on this
    (tmp_path / "shuffled.swc").write_text("\n".join(body) + "\n")
    assert_same_structure(sections("neuroblend", tmp_path / "shuffled.swc"), reference)
