"""Cluster configs for `neuroblend film --cluster FILE.yaml` (dask-jobqueue): what is accepted,
the batch script it makes, and one clear line for what is not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from storyboards import SHOT, write

from neuroblend.cli import main
from neuroblend.dask_cluster import jobqueue_cluster, read_cluster_file
from neuroblend.errors import NeuroBlendError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "slurm_cluster.yaml"


def test_the_example_slurm_config_makes_a_batch_script(tmp_path):
    kind, workers, options = read_cluster_file(EXAMPLE)
    assert (kind, workers, options["queue"]) == ("slurm", 8, "render")
    config = tmp_path / "here.yaml"  # the example, its scheduler listening on this machine only
    config.write_text(EXAMPLE.read_text() + '  scheduler_options: {host: "127.0.0.1"}\n')
    cluster = jobqueue_cluster(config, scale=False)
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    assert "#SBATCH -p render" in script and "#SBATCH --gres=gpu:1" in script
    assert "#SBATCH -t 02:00:00" in script and "--nthreads 8" in script


@pytest.mark.parametrize("text, says", [
    ("kind: kubernetes\n", "kind 'kubernetes' is not one of slurm, pbs, sge, lsf"),
    ("kind: slurm\nworkers: 0\n", "workers must be a whole number 1..10000"),
    ("kind: slurm\nworkers: 1e400\n", "workers must be a whole number"),
    ("kind: slurm\nnodes: 3\n", "expected a mapping with keys kind, workers, options"),
    ("- a list\n", "expected a mapping"),
    ("kind: [unclosed\n", "not YAML"),
    ("kind: slurm\noptions: [1, 2]\n", "options must be a mapping"),
    ("kind: slurm\noptions: {no_such_argument: 1}\n", "SLURMCluster refused the options"),
])
def test_a_bad_config_is_one_clear_line(tmp_path, text, says):
    path = tmp_path / "cluster.yaml"
    path.write_text(text)
    with pytest.raises(NeuroBlendError, match=says.replace("[", r"\[").replace("(", r"\(")):
        jobqueue_cluster(path, scale=False)


def test_the_film_refuses_a_bad_cluster_file_before_rendering(tmp_path, capsys):
    board = write(tmp_path, SHOT)
    fifo = tmp_path / "cluster.yaml"
    os.mkfifo(fifo)
    code = main(["film", str(board), "--out", str(tmp_path / "f.mp4"), "--cluster", str(fifo)])
    assert code == 2 and "FIFO" in capsys.readouterr().err
    assert not (tmp_path / "f.mp4").exists() and not (tmp_path / ".f.film-cache").exists()


def test_the_storyboard_names_the_render_device(tmp_path):
    from storyboards import HEADER

    from neuroblend.film import load_storyboard

    board = write(tmp_path, SHOT)
    assert load_storyboard(board).video.device == "auto"
    board.write_text(HEADER.replace("fps = 10", 'fps = 10\ndevice = "optix"') + SHOT)
    assert load_storyboard(board).video.device == "optix"
    (tmp_path / "bad.toml").write_text(HEADER.replace("fps = 10", 'fps = 10\ndevice = "vulkan"')
                                       + SHOT)
    with pytest.raises(NeuroBlendError, match="video.device.*'vulkan' is not one of: auto, cpu"):
        load_storyboard(tmp_path / "bad.toml")


@pytest.mark.parametrize("address", ["garbage", "tcp://host", "tcp://h:0", "tcp://h:99999",
                                     "http://h:8786", "tcp://h:8786/x", "tcp://" + "h" * 300 + ":1"])
def test_a_bad_scheduler_address_is_refused_before_anything_runs(tmp_path, capsys, address):
    board = write(tmp_path, SHOT)
    with pytest.raises(SystemExit) as exit_:
        main(["film", str(board), "--out", str(tmp_path / "f.mp4"), "--scheduler", address])
    assert exit_.value.code == 2 and "expected tcp://HOST:PORT" in capsys.readouterr().err


def test_a_good_scheduler_address_is_taken():
    from neuroblend.cli.cluster_args import scheduler_address

    for address in ("tcp://10.0.0.5:8786", "tls://sched.lab.org:8786", "tcp://[::1]:8786"):
        assert scheduler_address(address) == address


def test_configs_hold_only_plain_options_and_local_workers_fit_the_machine(tmp_path):
    from neuroblend.dask_cluster import ClusterOptions, open_client

    bomb = "kind: slurm\noptions:\n  a: &a [x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    with pytest.raises(NeuroBlendError, match="options.b must be a number, a string"):
        read_cluster_file(path)
    with pytest.raises(NeuroBlendError, match="at most .* local workers"):
        with open_client(ClusterOptions(workers=10_000)):
            pass
