"""Outputs: never an input of the same command, never anything but a regular file, a clean error
for every unwritable target, and no temp files left after SIGTERM/SIGINT."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hostile_payloads as hp  # noqa: E402
from cli_runner import assert_clean_refusal, finish, run_cli, start  # noqa: E402

from neuroblend.files.fileformat import save_document  # noqa: E402


@pytest.fixture
def work(tmp_path):
    np.save(tmp_path / "x.npy", np.random.default_rng(0).random((20, 30)))
    save_document(hp.small_simulation(), tmp_path / "sim.pkl")
    return tmp_path


def test_output_may_not_be_an_input(work):
    before = (work / "x.npy").read_bytes()
    run = run_cli(["heightmap", "x.npy", "--out", "x.npy"], work)
    assert_clean_refusal(run, "is an input of this command")
    assert (work / "x.npy").read_bytes() == before
    run = run_cli(["heightmap", "x.npy", "--out", "h.pkl", "--export-png", "x.npy"], work)
    assert_clean_refusal(run, "is an input of this command")


@pytest.mark.parametrize("target, needle", [
    ("/dev/null", "it is a device"), ("fifo", "FIFO"), ("folder", "is a directory"),
    ("x.npy/h.pkl", "cannot write"),
], ids=["device", "fifo", "folder", "under-a-file"])
def test_only_regular_files_are_replaced(work, target, needle):
    os.mkfifo(work / "fifo")
    (work / "folder").mkdir()
    run = run_cli(["heightmap", "x.npy", "--out", target], work)
    assert_clean_refusal(run, needle)
    assert Path("/dev/null").is_char_device() and (work / "fifo").is_fifo()
    assert not list(work.glob(".*"))


def test_read_only_folder_is_a_clean_error(work):
    (work / "ro").mkdir(mode=0o555)
    # root writes into any mode-0555 folder; sysfs refuses new files even to root
    target = "/sys/h.pkl" if os.geteuid() == 0 else "ro/h.pkl"
    run = run_cli(["heightmap", "x.npy", "--out", target], work)
    assert_clean_refusal(run, "cannot write", "Permission denied")


def test_fifo_input_is_refused_without_hanging(work):
    os.mkfifo(work / "in.pkl")
    assert_clean_refusal(run_cli(["inspect", "in.pkl"], work), "FIFO")


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signals_remove_temp_files(work, sig, code):
    started = time.perf_counter()
    proc, out, err = start(["clip", "network", "--steps", "5000", "--size", "320x240",
                            "--out", "n.mp4"], work)
    deadline = time.time() + 60
    while not _temps(work) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert _temps(work), "the clip never started writing"
    time.sleep(0.5)
    proc.send_signal(sig)
    run = finish(proc, out, err, started, timeout=90)
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr
    assert not _temps(work) and not (work / "n.mp4").exists()


@pytest.mark.slow
def test_render_does_not_overwrite_its_input_and_ctrl_c_stops_it(work):
    before = (work / "sim.pkl").read_bytes()
    run = run_cli(["render", "spike", "sim.pkl", "--out", "r", "--save-blend", "sim.pkl",
                   "--no-render"], work, timeout=120)
    assert_clean_refusal(run, "is an input of this command")
    assert (work / "sim.pkl").read_bytes() == before
    started = time.perf_counter()
    proc, out, err = start(["render", "spike", "sim.pkl", "--out", "r", "--video", "v.mp4",
                            "--frames-per-ms", "40", "--resolution", "160x120",
                            "--samples", "4"], work)
    deadline = time.time() + 120
    while not _temps(work) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    sent = time.perf_counter()
    run = finish(proc, out, err, started, timeout=150)
    assert run.returncode == 130, run.stderr[-2000:]
    assert time.perf_counter() - sent < 15
    assert not _temps(work) and not (work / "v.mp4").exists()


def test_input_files_skip_output_flag_values(work, monkeypatch):
    from neuroblend.cli import build_parser, input_paths
    from neuroblend.files.atomic import input_files

    monkeypatch.chdir(work)
    argv = ["sim.pkl", "--save-blend", "x.npy", "--out", "r"]
    assert input_files(argv) == ["sim.pkl"]
    args = build_parser().parse_args(["render", "spike", *argv])
    assert input_paths(args) == ["sim.pkl"]
