"""Hostile files through the CLI under a 4 GiB address-space limit: no crash, no hang (> 30 s),
no traceback, no code run, and a one-line error naming the problem (and a limit's flag)."""

from __future__ import annotations

import os
import pickle
import pickletools
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hostile_payloads as hp  # noqa: E402
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402

MARKER = "pwned"
PAYLOADS = hp.pickle_payloads(MARKER)


@pytest.fixture(scope="module")
def payload_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in PAYLOADS.items():
        (folder / f"{name}.pkl").write_bytes(data)
    return folder


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_inspect_refuses_hostile_pickles(payload_dir, name):
    run = run_cli(["inspect", f"{name}.pkl"], payload_dir)
    assert_clean_refusal(run)
    assert not (payload_dir / MARKER).exists()


WORST = ["forged-object-dtype-in-time", "forged-float-dtype-in-units", "zero-stride-bomb",
         "encoding2-shape-bomb", "nesting-bomb", "billion-laughs", "huge-string",
         "huge-units-string", "os.system-protocol0", "codecs-zlib-protocol2"]


@pytest.mark.parametrize("name", WORST)
def test_clip_trace_refuses_hostile_pickles(payload_dir, tmp_path, name):
    run = run_cli(["clip", "trace", payload_dir / f"{name}.pkl", "--out", tmp_path / "c.mp4"],
                  tmp_path)
    assert_clean_refusal(run)
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["spike", "surface"])
@pytest.mark.parametrize("name", ["forged-object-dtype-in-note", "zero-stride-bomb",
                                  "nesting-bomb", "huge-units-string", "exec-protocol5"])
def test_render_refuses_hostile_pickles(payload_dir, tmp_path, kind, name):
    run = run_cli(["render", kind, payload_dir / f"{name}.pkl", "--out", tmp_path / "r",
                   "--resolution", "64x48", "--samples", "1"], tmp_path, timeout=60)
    assert_clean_refusal(run)
    assert not (tmp_path / "r").exists() and not (payload_dir / MARKER).exists()


def test_numpy_arrays_from_every_protocol_still_load(tmp_path):
    doc = hp.small_simulation()
    for protocol in range(6):
        path = tmp_path / f"p{protocol}.pkl"
        path.write_bytes(pickle.dumps(doc, protocol))
        run = run_cli(["inspect", path], tmp_path)
        assert run.returncode == 0, run.stderr
        assert "neuroblend.simulation" in run.stdout


@pytest.mark.parametrize("name, data, needle", [
    ("bomb.npz", None, "--max-pixels"),
    ("forged.npy", hp.npy_forged_header(), "--max-pixels"),
    ("bomb.png", hp.png_bomb(), "--max-pixels"),
    ("corrupt.npz", b"PK\x03\x04" + bytes(100), "not a readable .npz"),
], ids=["npz-decompression-bomb", "npy-header-1e10", "png-400-megapixels", "corrupt-npz"])
def test_heightmap_refuses_bombs_before_reading(tmp_path, name, data, needle):
    (tmp_path / name).write_bytes(hp.npz_bomb() if data is None else data)
    run = run_cli(["heightmap", name, "--out", "h.pkl"], tmp_path)
    assert_clean_refusal(run, needle)
    assert run.peak_rss_mb < 1000, run.peak_rss_mb
    assert not (tmp_path / "h.pkl").exists()


def test_network_clip_size_is_limited(tmp_path):
    run = run_cli(["clip", "network", "--steps", "100000", "--layers", "100",
                   "--neurons", "1000", "--out", "n.mp4"], tmp_path)
    assert_clean_refusal(run, "--max-cells")


def test_trace_window_outside_the_data_is_refused(tmp_path):
    from neuroblend.files.fileformat import save_document

    save_document(hp.small_simulation(), tmp_path / "sim.pkl")
    run = run_cli(["clip", "trace", "sim.pkl", "--compartments", "soma", "--time-window",
                   "500", "600", "--out", "c.mp4"], tmp_path)
    assert_clean_refusal(run, "outside the recording")
    run = run_cli(["clip", "trace", "sim.pkl", "--frames-per-ms", "1e4", "--max-frames", "1000",
                   "--out", "c.mp4"], tmp_path)
    assert_clean_refusal(run, "--max-frames")


@pytest.mark.parametrize("option", [["--frames-per-ms", "0"], ["--range", "nan", "1"],
                                    ["--frames-per-ms", "inf"]])
def test_meaningless_numbers_are_refused(tmp_path, option):
    from neuroblend.files.fileformat import save_document

    save_document(hp.small_simulation(), tmp_path / "sim.pkl")
    run = run_cli(["clip", "trace", "sim.pkl", *option, "--out", "c.mp4"], tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert option[0] in run.stderr


def test_saved_files_name_no_numpy_global(tmp_path):
    from neuroblend.files.fileformat import load_document, save_document

    doc = hp.small_simulation()
    save_document(doc, tmp_path / "sim.pkl")
    ops = {op.name for op, _arg, _pos in pickletools.genops((tmp_path / "sim.pkl").read_bytes())}
    assert not ops & {"GLOBAL", "STACK_GLOBAL", "REDUCE", "BUILD", "INST", "OBJ", "NEWOBJ"}
    again = load_document(tmp_path / "sim.pkl")
    np.testing.assert_array_equal(again["values"], doc["values"])
    assert again["values"].dtype == np.float32 and again["values"].flags.writeable
    assert os.path.getsize(tmp_path / "sim.pkl") < 4000


def test_binary_garbage_morphology_is_a_clean_error(tmp_path):
    (tmp_path / "garbage.asc").write_bytes(bytes(range(128, 256)) * 8)
    run = run_cli(["simulate", "garbage.asc", "--out", "g.pkl"], tmp_path, timeout=60)
    assert_clean_refusal(run, "not a text file")


@pytest.mark.slow
def test_compose_refuses_a_fake_video(tmp_path):
    (tmp_path / "fake.mp4").write_bytes(bytes(range(256)) * 12)
    run = run_cli(["compose", "fake.mp4", "--out", "o.mp4"], tmp_path, timeout=90)
    assert_clean_refusal(run)
    assert [p.name for p in tmp_path.iterdir()] == ["fake.mp4"]
