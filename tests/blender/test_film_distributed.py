"""`neuroblend film` on a Dask cluster: the same video as a serial run, a lost worker costs only
its chunk, an interrupted run keeps its finished chunks, two runs can share one cache, and a
running scheduler is used as given. (Workers and schedulers listen on this machine's loopback.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from spike_docs import toy_document

from neuroblend.dask_cluster import ClusterOptions
from neuroblend.files.fileformat import save_document
from neuroblend.film import load_storyboard
from neuroblend.film.build import build_film

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cli_runner import BRIDGE  # noqa: E402

BOARD = """\
[video]
size = [160, 90]
fps = 20
samples = 4

[[timeline]]
name = "cell"
shot = "spike"
data = "toy.pkl"
look = { vmin = -75, vmax = 30, min_radius = 2, time_label = false, colorbar = false }
clock = [[0, 0], [2.0, 8.0, "in-out"]]

[[timeline]]
name = "trace"
clip = "trace"
clock = "cell"
position = [0.8, 0.2]
scale = 0.4
options = { compartments = ["soma"] }
"""


def _board(folder: Path) -> Path:
    save_document(toy_document(), folder / "toy.pkl")
    (folder / "board.toml").write_text(BOARD)
    return folder / "board.toml"


def same_video(a: Path, b: Path) -> bool:
    """Whether two MP4s are byte-identical (one deterministic encoder: neuroblend.video_encode)."""
    return a.read_bytes() == b.read_bytes()


def same_frames(cache_a: Path, cache_b: Path) -> bool:
    """Whether two film caches hold pixel-identical frames for every shot and clip."""
    def frames(cache):
        return {f"{p.parent.parent.name.split('-')[0]}/{p.name}": np.asarray(Image.open(p))
                for p in cache.glob("items/*/frames/*.png")}
    first, second = frames(cache_a), frames(cache_b)
    return bool(first) and first.keys() == second.keys() and all(
        (first[k] == second[k]).all() for k in first)


def _cli(folder: Path, *args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(BRIDGE), PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "neuroblend", "film", "board.toml", *args],
                            cwd=folder, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def films(tmp_path_factory):
    folder = tmp_path_factory.mktemp("distributed")
    board = load_storyboard(_board(folder))
    build_film(board, folder / "serial.mp4")
    lines: list[str] = []
    build_film(board, folder / "dask.mp4", cluster=ClusterOptions(workers=2, chunk_frames=4),
               log=lines.append)
    return folder, lines


def test_two_workers_give_the_serial_video_frame_for_frame(films):
    folder, lines = films
    assert same_frames(folder / ".serial.film-cache", folder / ".dask.film-cache")
    assert same_video(folder / "dask.mp4", folder / "serial.mp4")
    done = [line for line in lines if line.startswith("[frames ")]
    first, then = done[:11], done[11:]  # the layout pre-pass with the clip, then the shot
    assert sum("cell_layout" in line for line in first) == 10, lines  # 40 frames, 10 chunks
    assert sum("trace" in line for line in first) == 1, lines  # the clip: one chunk
    assert first[-1].startswith("[frames 80/80]"), lines
    assert len(then) == 10 and all(" cell frames" in line for line in then), lines
    assert then[-1].startswith("[frames 40/40]") and "frames/min" in then[-1]
    assert lines[0].startswith("Dask scheduler tcp://127.0.0.1:")


def test_a_running_scheduler_is_used(films, tmp_path):
    from dask.distributed import LocalCluster

    folder, _ = films
    board = load_storyboard(folder / "board.toml")
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        lines: list[str] = []
        build_film(board, tmp_path / "via.mp4", cluster=ClusterOptions(scheduler=cluster.scheduler_address),
                   log=lines.append)
    assert same_frames(tmp_path / ".via.film-cache", folder / ".serial.film-cache")
    assert same_video(tmp_path / "via.mp4", folder / "serial.mp4")
    assert cluster.scheduler_address in lines[0]


def _chunk_processes() -> list[tuple[int, int]]:
    """(pid, parent pid) of every shot-chunk render running now."""
    found = []
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"neuroblend.film.shot_server" in status.read_bytes():
                ppid = int((status.parent / "stat").read_text().rsplit(")", 1)[1].split()[1])
                found.append((int(status.parent.name), ppid))
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.mark.slow
def test_a_killed_worker_costs_only_its_chunk(films, tmp_path):
    folder, _ = films
    (tmp_path / "toy.pkl").write_bytes((folder / "toy.pkl").read_bytes())
    (tmp_path / "board.toml").write_text(BOARD.replace("samples = 4", "samples = 64"))
    run = _cli(tmp_path, "--out", "killed.mp4", "--workers", "2", "--chunk-frames", "10")
    deadline = time.time() + 120
    while not _chunk_processes() and time.time() < deadline and run.poll() is None:
        time.sleep(0.05)
    killed = _chunk_processes()
    assert killed, "no chunk was rendering"
    os.kill(killed[0][1], signal.SIGKILL)  # the Dask worker running that chunk
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 0, output[-3000:]
    assert (tmp_path / "killed.mp4").stat().st_size > 1000
    assert not any(pid == killed[0][0] for pid, _ in _chunk_processes())  # died with its worker


@pytest.mark.slow
def test_an_interrupted_run_keeps_its_chunks_and_two_runs_share_a_cache(films, tmp_path):
    folder, _ = films
    (tmp_path / "toy.pkl").write_bytes((folder / "toy.pkl").read_bytes())
    (tmp_path / "board.toml").write_text(BOARD.replace("samples = 4", "samples = 32"))
    first = _cli(tmp_path, "--out", "a.mp4", "--workers", "1", "--cache", "shared",
                 "--chunk-frames", "5")
    output = ""
    while output.count("[frames") < 2:  # two chunks are in
        line = first.stdout.readline()
        assert line, output
        output += line
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=60)
    assert first.returncode == 130
    kept = list((tmp_path / "shared" / "items").glob("*/frames/frame_*.png"))
    assert len(kept) >= 5
    runs = [_cli(tmp_path, "--out", name, *extra, "--cache", "shared", "--chunk-frames", "5")
            for name, extra in (("b.mp4", ["--workers", "2"]), ("c.mp4", []))]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert same_video(tmp_path / "b.mp4", tmp_path / "c.mp4")
    totals = [int(line.split("/")[1].split("]")[0]) for line in outputs[0].splitlines()
              if line.startswith("[frames ")]
    phases = [t for i, t in enumerate(totals) if i == 0 or t != totals[i - 1]]  # pre-pass, film
    assert phases and sum(phases) <= 40 + 80 - len(kept), outputs[0]  # only what was missing


def test_render_on_workers_gives_the_serial_frames_video_and_blend(films, tmp_path):
    from neuroblend.cli import main

    folder, _ = films
    common = ["render", "spike", str(folder / "toy.pkl"), "--frames", "1-12", "--resolution",
              "160x90", "--samples", "4"]
    assert main([*common, "--out", str(tmp_path / "serial"), "--video",
                 str(tmp_path / "serial.mp4")]) == 0
    assert main([*common, "--out", str(tmp_path / "dask"), "--video", str(tmp_path / "dask.mp4"),
                 "--save-blend", str(tmp_path / "dask.blend"), "--workers", "2",
                 "--chunk-frames", "4"]) == 0
    assert same_video(tmp_path / "dask.mp4", tmp_path / "serial.mp4")
    serial = sorted((tmp_path / "serial").iterdir())
    assert [p.name for p in sorted((tmp_path / "dask").iterdir())] == [p.name for p in serial]
    for frame in serial:
        assert (np.asarray(Image.open(frame)) == np.asarray(Image.open(
            tmp_path / "dask" / frame.name))).all()
    assert (tmp_path / "dask.blend").stat().st_size > 10_000


def test_render_on_workers_needs_a_frame_range(films, tmp_path, capsys):
    from neuroblend.cli import main

    folder, _ = films
    code = main(["render", "spike", str(folder / "toy.pkl"), "--out", str(tmp_path / "o"),
                 "--workers", "2"])
    assert code == 2 and "give --frames A-B" in capsys.readouterr().err


def test_a_worker_keeps_one_blender_that_builds_a_shot_once(films, tmp_path):
    from neuroblend.film import shot_server

    folder, _ = films
    job = str(next((folder / ".serial.film-cache" / "items").glob("cell-*/job.json")))
    assert shot_server.render_on_server(job, 1, 2, tmp_path / "a") == 2
    server = shot_server._LOCAL.server
    with pytest.raises(RuntimeError, match="FileNotFoundError"):  # a failed chunk: reported
        shot_server.render_on_server(str(tmp_path / "gone.json"), 1, 1, tmp_path / "x")
    assert shot_server.render_on_server(job, 3, 4, tmp_path / "b") == 2
    assert shot_server.render_on_server(job, 5, 5, tmp_path / "b") == 1
    assert shot_server._LOCAL.server is server and server.alive()  # one Blender throughout
    log = (server.folder / "render.log").read_text()
    assert log.count("film_serve: building") == 2  # built once, and again after the failure
    serial = Path(job).parent / "frames"
    for name, part in [("frame_0001.png", "a"), ("frame_0004.png", "b"), ("frame_0005.png", "b")]:
        assert (np.asarray(Image.open(tmp_path / part / name)) ==
                np.asarray(Image.open(serial / name))).all()
    server.close()
    assert not server.folder.exists() and not server.alive()
