"""Branching-network model, its smoothing kernel, the network file and `neuroblend clip network`."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from PIL import Image  # noqa: E402

from neuroblend.cli import main as cli_main  # noqa: E402
from neuroblend.clips.network import NetworkAnimator  # noqa: E402
from neuroblend.errors import FileFormatError, NeuroBlendError  # noqa: E402
from neuroblend.files.fileformat import load_document, save_document, summarize  # noqa: E402
from neuroblend.graph.branching import (  # noqa: E402
    double_exponential_kernel,
    simulate_branching,
    smooth_activity,
)
from neuroblend.network.network_file import build_network_document  # noqa: E402


def test_sigma_one_keeps_mean_activity_from_layer_to_layer():
    active = simulate_branching(layers=6, neurons=100, sigma=1.0, p_spont=0.02, steps=20000, seed=3)
    per_step = active.sum(axis=2).astype(float)  # [steps, layers]
    previous, following = per_step[:-1, :-1], per_step[1:, 1:]  # layer l at t vs l+1 at t+1
    ratio = following.mean(axis=0) / previous.mean(axis=0)
    # standard error of the ratio from the per-step variance (activity is bursty at sigma = 1)
    stderr = following.std(axis=0) / np.sqrt(len(following)) / previous.mean(axis=0)
    assert np.all(np.abs(ratio - 1.0) < 4 * stderr + 0.01), (ratio, stderr)


@pytest.mark.parametrize("sigma, trend", [(0.5, "dies out"), (1.6, "grows")])
def test_sigma_below_or_above_one_shrinks_or_grows_activity(sigma, trend):
    active = simulate_branching(5, 200, sigma, 0.01, 5000, seed=1)
    per_layer = active.mean(axis=(0, 2))
    if trend == "dies out":
        assert np.allclose(per_layer[1:] / per_layer[:-1], sigma, rtol=0.1)
    else:
        assert np.all(np.diff(per_layer) > 0)


def test_simulation_is_seeded_and_spontaneous_drive_is_in_the_first_layer():
    a = simulate_branching(4, 50, 0.0, 0.1, 500, seed=7)
    assert np.array_equal(a, simulate_branching(4, 50, 0.0, 0.1, 500, seed=7))
    assert not np.array_equal(a, simulate_branching(4, 50, 0.0, 0.1, 500, seed=8))
    assert a[:, 0].mean() == pytest.approx(0.1, abs=0.01)
    assert not a[:, 1:].any()  # sigma = 0: nothing propagates


def test_kernel_convolution_preserves_total_activity():
    kernel = double_exponential_kernel(rise=1.5, decay=8.0)
    assert kernel.sum() == pytest.approx(1.0)
    assert kernel[0] == 0.0 and kernel.argmax() > 0  # rises, then decays
    assert np.all(np.diff(kernel[kernel.argmax():]) <= 0)
    active = simulate_branching(3, 40, 1.0, 0.05, 400, seed=2)
    smoothed = smooth_activity(active, kernel)
    assert smoothed.shape == (400 + len(kernel) - 1, 3, 40)
    assert smoothed.sum() == pytest.approx(active.sum(), rel=1e-5)
    assert np.allclose(smoothed.sum(axis=0), active.sum(axis=0), rtol=1e-4, atol=1e-4)
    impulse = np.zeros(50)
    impulse[10] = 1.0
    response = smooth_activity(impulse, kernel)
    assert response[:10].max() < 1e-6 and response.argmax() == 10 + kernel.argmax()


def test_bad_model_parameters_are_clear():
    with pytest.raises(NeuroBlendError, match="sigma"):
        simulate_branching(3, 10, 11.0, 0.1, 10)
    with pytest.raises(NeuroBlendError, match="probability"):
        simulate_branching(3, 10, 1.0, 1.5, 10)
    with pytest.raises(NeuroBlendError, match="rise < decay"):
        double_exponential_kernel(5.0, 2.0)


def test_network_file_round_trip_and_problems(tmp_path):
    model = {"layers": 3, "neurons": 20, "sigma": 1.0, "p_spont": 0.05, "steps": 50, "seed": 1}
    active = simulate_branching(**model)
    kernel = double_exponential_kernel(1.0, 4.0)
    doc = build_network_document(active, model, kernel, 1.0, 4.0)
    save_document(doc, tmp_path / "net.pkl")
    back = load_document(tmp_path / "net.pkl", expect="neuroblend.network")
    assert np.array_equal(back["active"], active) and back["model"] == model
    info = summarize(back)
    assert info["total_activations"] == int(active.sum())
    assert len(info["mean_activity_per_layer"]) == 3
    doc["active"] = active[:, :2]
    with pytest.raises(FileFormatError, match="does not match"):
        save_document(doc, tmp_path / "bad.pkl")
    assert not (tmp_path / "bad.pkl").exists()


def test_network_grid_shows_active_layers_bright():
    smoothed = np.zeros((3, 4, 10), np.float32)
    smoothed[1, 2, :] = 1.0  # layer 3 fully active at step 1
    animator = NetworkAnimator(smoothed, (200, 100), "gray", vmax=1.0, labels=False)
    pixels = animator.draw(1).copy()
    columns = pixels[50, :, 0].astype(int)  # layers are columns, 50 px wide each
    assert columns[110:140].min() >= 250 and columns[:90].max() <= 5 and columns[160:].max() <= 5
    assert animator.draw(0)[..., :3].max() <= 5


def test_cli_network_saves_data_and_redraws_it(tmp_path, capsys):
    args = ["clip", "network", "--layers", "4", "--neurons", "30", "--steps", "40", "--sigma",
            "1.2", "--p-spont", "0.05", "--size", "160x90", "--quiet"]
    assert cli_main([*args, "--out", str(tmp_path / "a"), "--save-data",
                     str(tmp_path / "net.pkl")]) == 0
    doc = load_document(tmp_path / "net.pkl", expect="neuroblend.network")
    frames = sorted((tmp_path / "a").iterdir())
    assert len(frames) == 40 + len(doc["kernel"]["values"]) - 1
    assert cli_main(["clip", "network", "--data", str(tmp_path / "net.pkl"), "--size", "160x90",
                     "--quiet", "--out", str(tmp_path / "b")]) == 0
    for name in ("frame_0010.png", "frame_0030.png"):
        assert np.array_equal(np.asarray(Image.open(tmp_path / "a" / name)),
                              np.asarray(Image.open(tmp_path / "b" / name)))
    assert cli_main(["clip", "network", "--data", str(tmp_path / "a" / "frame_0001.png"),
                     "--out", str(tmp_path / "c.mp4")]) == 2
    assert "not a pickle" in capsys.readouterr().err
