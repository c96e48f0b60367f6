"""Hostile network simulation files and graph (``neuroblend.network``) files through the CLI under
the 4 GiB address-space cap: out-of-range values refused by the formats' checks (so load, inspect
and render agree), sizes refused before anything is allocated with the flag that raises them, and
the budgets behind those refusals (pulse textures made coarser rather than huge, smoothing FFTs in
blocks)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroblend.files.limits import LimitError
from neuroblend.files.safe_pickle import save_pickle
from neuroblend.graph.branching import double_exponential_kernel, smooth_activity
from neuroblend.network import geometry as ng
from neuroblend.network.network_file import build_network_document
from neuroblend.network.render_budget import (
    NetworkLimits,
    check_network_render,
    pulse_grid,
    texture_bytes,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402
from graph_fixtures import small_network  # noqa: E402
from network_docs import toy_network  # noqa: E402

HAS_BPY = importlib.util.find_spec("bpy") is not None
MILLION = 10**6


def _connections(count: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {"pre": rng.integers(0, 3, count), "post": rng.integers(0, 3, count),
            "post_section": np.ones(count, int), "post_x": rng.random(count),
            "delay": rng.uniform(0.5, 10.0, count), "weight": np.full(count, 0.04)}


def _forged_network(change) -> dict:
    doc = toy_network()
    change(doc)
    return doc


def _set(table: str, key: str, index, value):
    def change(doc):
        doc[table][key][index] = value
    return change


def _set_cell(key: str, index, value):
    def change(doc):
        target = doc["cells"][1]["placement"] if key == "placement" else \
            doc["cells"][1]["sections"]["points"]
        target[index] = value
    return change


NETWORK_CASES = {
    "delay-1e300": (_set("connections", "delay", 1, 1e300), "connections[1].delay"),
    "delay-nan": (_set("connections", "delay", 0, np.nan), "connections[0].delay"),
    "weight-inf": (_set("connections", "weight", 0, np.inf), "connections[0].weight"),
    "post-x-2": (_set("connections", "post_x", 0, 2.0), "connections[0].post_x"),
    "spike-time-nan": (_set("spikes", "time", 0, np.nan), "spikes[0].time"),
    "placement-1e300": (_set_cell("placement", (0, 3), 1e300), "cells[1].placement"),
    "placement-scale-1e300": (_set_cell("placement", (0, 0), 1e300), "cells[1].placement"),
    "placement-nan": (_set_cell("placement", (2, 2), np.nan), "cells[1].placement"),
    "placed-far": (_set_cell("placement", (0, 0), 999.0), None),  # in range: must still load
    "points-nan": (_set_cell("points", (0, 0), np.nan), "cells[1].sections.points"),
}


@pytest.mark.parametrize("name", sorted(NETWORK_CASES))
def test_inspect_refuses_network_values_out_of_range(tmp_path, name):
    change, field = NETWORK_CASES[name]
    save_pickle(_forged_network(change), tmp_path / "net.pkl")
    run = run_cli(["inspect", "net.pkl"], tmp_path)
    if field is None:
        assert run.returncode == 0, run.stderr
        return
    assert_clean_refusal(run, field)


def test_placed_points_beyond_ten_metres_are_refused(tmp_path):
    doc = toy_network()
    doc["cells"][1]["placement"][:3, :3] *= 900.0  # a 200 um dendrite placed 180 mm away...
    doc["cells"][1]["placement"][1, 3] = 9.99e6  # ...along a translation just in range
    save_pickle(doc, tmp_path / "net.pkl")
    assert_clean_refusal(run_cli(["inspect", "net.pkl"], tmp_path), "placed points reach")


@pytest.fixture(scope="module")
def million_connections(tmp_path_factory):
    from neuroblend.files.fileformat import save_document

    path = tmp_path_factory.mktemp("million") / "net.pkl"
    save_document(toy_network(connections=_connections(MILLION)), path)
    return path


def test_inspect_reports_what_the_render_would_refuse(million_connections):
    run = run_cli(["inspect", million_connections], million_connections.parent)
    assert run.returncode == 0, run.stderr
    line = next(ln for ln in run.stdout.splitlines() if ln.startswith("render:"))
    assert "refused at the default limits" in line and "--max-connections" in line
    assert run.peak_rss_mb < 1024


@pytest.mark.skipif(not HAS_BPY, reason="needs the bpy wheel")
def test_render_refuses_a_million_connections_naming_the_flag(million_connections, tmp_path):
    run = run_cli(["render", "spike", million_connections, "--out", tmp_path / "r",
                   "--resolution", "64x64", "--samples", "1", "--lod", "soma"], tmp_path,
                  timeout=120)
    assert_clean_refusal(run, "1,000,000", "--max-connections")
    assert not (tmp_path / "r").exists()


def test_small_networks_render_within_the_default_limits():
    doc = toy_network()
    needs = check_network_render(doc, "full")
    assert needs["connections"] == 2 and needs["pulse_samples"] == len(doc["time"])


def test_pulses_of_a_big_network_are_baked_coarser_within_the_budget():
    time = np.linspace(0.0, 100.0, 4001)  # 0.025 ms samples
    limits = NetworkLimits(max_connections=MILLION, max_bake_mb=64)
    grid = pulse_grid(time, MILLION, limits)
    assert 2 <= len(grid) < len(time)
    assert texture_bytes(MILLION, len(grid)) <= limits.bake_bytes
    assert grid[0] == time[0] and grid[-1] <= time[-1] + 1e-9
    assert np.allclose(np.diff(grid), grid[1] - grid[0])  # still uniform
    assert len(pulse_grid(time, 10)) == len(time)  # small networks keep every sample


def test_a_pulse_texture_that_cannot_fit_names_the_flag():
    doc = toy_network(connections=_connections(300_000))
    with pytest.raises(LimitError, match="--max-bake-mb"):
        check_network_render(doc, "soma", NetworkLimits(max_connections=MILLION, max_bake_mb=1))


def test_pulse_phases_match_a_connection_by_connection_reference():
    doc = toy_network(connections=_connections(500, seed=3))
    time = np.linspace(0.0, 20.0, 81)
    phase = ng.pulse_phases(doc, time, flash_ms=1.5, block=64)
    spikes = doc["spikes"]
    for k in (0, 17, 499):
        pre, delay = doc["connections"]["pre"][k], doc["connections"]["delay"][k]
        fired = np.sort(spikes["time"][spikes["cell"] == pre])
        for t, got in zip(time, phase[k], strict=True):
            since = t - fired[fired <= t].max() if np.any(fired <= t) else np.nan
            want = np.nan if not since <= delay + 1.5 else since / delay
            assert np.isnan(got) if np.isnan(want) else np.isclose(got, want, rtol=1e-6)


# --------------------------------------------------------------------------- graph files

def _graph_with_edges(count: int) -> dict:
    doc = small_network(layers=2, neurons=1000, steps=10)
    rng = np.random.default_rng(0)
    pairs = np.stack([rng.integers(0, 1000, count), rng.integers(1000, 2000, count)], axis=1)
    doc["edges"] = {"density": 1.0, "seed": 0, "pairs": pairs.astype(np.int32)}
    return doc


def _wide_graph() -> dict:
    model = {"layers": 10, "neurons": 50_000, "sigma": 1.0, "p_spont": 0.01, "steps": 20,
             "seed": 0}
    return build_network_document(np.zeros((20, 10, 50_000), bool), model,
                                  double_exponential_kernel(1.0, 4.0), 1.0, 4.0)


def _kernel_bomb() -> dict:
    doc = small_network()
    doc["kernel"]["values"] = np.full(5_000_000, 1 / 5_000_000)
    return doc


def _model(key, value):
    def build():
        doc = small_network()
        doc["model"][key] = value
        if key == "layers":
            doc["active"] = np.zeros((doc["model"]["steps"], value, 4), bool)
        return doc
    return build


GRAPH_CASES = {
    "million-edges": (lambda: _graph_with_edges(MILLION), "--max-edges"),
    "50000-neurons-per-layer": (_wide_graph, "--max-neurons"),
    "fft-kernel-bomb": (_kernel_bomb, "--max-frames"),
}
GRAPH_INVALID = {
    "zero-layers": (_model("layers", 0), "model.layers"),
    "negative-seed": (_model("seed", -1), "model.seed"),
    "nan-sigma": (_model("sigma", float("nan")), "model.sigma"),
    "float-steps": (_model("steps", 60.0), "model.steps"),
}


@pytest.mark.parametrize("name", sorted(GRAPH_CASES))
def test_graph_sizes_are_refused_before_allocation(tmp_path, name):
    build, flag = GRAPH_CASES[name]
    save_pickle(build(), tmp_path / "g.pkl")
    run = run_cli(["clip", "network", "--data", "g.pkl", "--layout", "graph", "--rearrange",
                   "1-5", "--out", "g.mp4", "--quiet"], tmp_path, timeout=60)
    assert_clean_refusal(run, flag)
    assert not (tmp_path / "g.mp4").exists()
    inspect = run_cli(["inspect", "g.pkl"], tmp_path)
    assert inspect.returncode == 0, inspect.stderr
    assert "refused at the default limits" in inspect.stdout and flag in inspect.stdout


@pytest.mark.parametrize("name", sorted(GRAPH_INVALID))
def test_invalid_graph_models_are_refused_by_load_and_inspect(tmp_path, name):
    build, field = GRAPH_INVALID[name]
    save_pickle(build(), tmp_path / "g.pkl")
    assert_clean_refusal(run_cli(["inspect", "g.pkl"], tmp_path), field)
    run = run_cli(["clip", "network", "--data", "g.pkl", "--out", "g.mp4"], tmp_path)
    assert_clean_refusal(run, field)


def test_raising_the_flag_lets_a_big_graph_through(tmp_path):
    save_pickle(_graph_with_edges(120_000), tmp_path / "g.pkl")
    args = ["clip", "network", "--data", "g.pkl", "--layout", "graph", "--rearrange", "1-2",
            "--frames", "1-1", "--size", "64x64", "--out", "g", "--quiet"]
    assert_clean_refusal(run_cli(args, tmp_path), "--max-edges")
    run = run_cli(args + ["--max-edges", "120000"], tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "g").iterdir())) == 1


@pytest.mark.parametrize("args, needle", [
    (["--neurons", "50000", "--steps", "10"], "--max-neurons"),
    (["--layout", "graph", "--rearrange", "1-5", "--layout-seed", "-1"], "--layout-seed"),
    (["--layout", "graph", "--rearrange", "1-5", "--neurons", "2000", "--layers", "10",
      "--steps", "10"], "--max-edges"),
    (["--layout", "graph", "--rearrange", "1-5", "--frames-per-step", "1e308"],
     "--frames-per-step"),
    (["--layout", "graph", "--rearrange", "1-5", "--steps", "600", "--frames-per-step", "5000"],
     "beyond Blender"),
    (["--layout", "graph", "--rearrange", "1-999999999999"], "--rearrange"),
    (["--layout", "graph", "--rearrange", "1-5", "--start-frame", "-99999999999"],
     "--start-frame"),
    (["--layout", "graph", "--rearrange", "1-200000"], "--max-frames"),
])
def test_clip_simulation_parameters_are_bounded(tmp_path, args, needle):
    run = run_cli(["clip", "network", *args, "--out", "c.mp4", "--quiet"], tmp_path)
    assert_clean_refusal(run, needle)


@pytest.mark.skipif(not HAS_BPY, reason="needs the bpy wheel")
@pytest.mark.parametrize("name, extra", [("million-edges", []), ("fft-kernel-bomb", []),
                                         ("small", ["--frames-per-step", "9000", "--start-frame", "1000000", "--max-frames", "10000000"])])
def test_render_network_refuses_graph_sizes(tmp_path, name, extra):
    build, flag = GRAPH_CASES[name] if name in GRAPH_CASES else (small_network, "beyond Blender")
    save_pickle(build(), tmp_path / "g.pkl")
    run = run_cli(["render", "network", "g.pkl", "--rearrange", "1-5", "--out", "r",
                   "--resolution", "64x64", "--samples", "1", *extra], tmp_path, timeout=120)
    assert_clean_refusal(run, flag)
    assert not (tmp_path / "r").exists()


def test_smoothing_in_blocks_matches_one_fft():
    rng = np.random.default_rng(1)
    active = rng.random((50, 3, 7)) < 0.2
    kernel = double_exponential_kernel(1.0, 5.0)
    whole = smooth_activity(active, kernel, block_bytes=1 << 30)
    blocks = smooth_activity(active, kernel, block_bytes=1)  # one column at a time
    assert whole.shape == (50 + len(kernel) - 1, 3, 7)
    assert np.allclose(whole, blocks, atol=1e-6)
    assert np.isclose(whole.sum(), active.sum(), rtol=1e-5)
