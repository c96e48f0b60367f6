"""The scale bar's numbers and setting, and the frame layout's placement (pure, no Blender)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroblend.errors import NeuroBlendError
from neuroblend.film import layout
from neuroblend.scale_bar import label, round_length
from neuroblend.spike.render_options import SpikeRenderOptions


@pytest.mark.parametrize("target, expected", [
    (1.0, 1.0), (1.4, 1.0), (1.5, 2.0), (3.1, 2.0), (3.2, 5.0), (7.0, 5.0), (7.1, 10.0),
    (0.034, 0.05), (140.0, 100.0), (148.0, 200.0), (4200.0, 5000.0)])
def test_round_length_is_the_closest_1_2_5_step(target, expected):
    assert round_length(target) == pytest.approx(expected)


@pytest.mark.parametrize("length, text", [(50.0, "50 µm"), (1000.0, "1 mm"), (2000.0, "2 mm"),
                                          (500.0, "500 µm"), (0.5, "0.5 µm"), (0.02, "0.02 µm")])
def test_labels(length, text):
    assert label(length) == text


@pytest.mark.parametrize("value", ["nan", -1.0, 0.0, 1e7, "big", True])
def test_a_bad_scale_bar_is_refused_naming_the_flag(tmp_path, value):
    with pytest.raises(NeuroBlendError, match="--scale-bar"):
        SpikeRenderOptions(input=tmp_path / "x.pkl", out=tmp_path, scale_bar=value)


@pytest.mark.parametrize("value", ["auto", "off", 50.0])
def test_good_scale_bars_pass(tmp_path, value):
    assert SpikeRenderOptions(input=tmp_path / "x.pkl", out=tmp_path, scale_bar=value)


def _masks(lit_box: layout.Box, frames: int = 3, shape=(68, 120)) -> np.ndarray:
    masks = np.zeros((frames, *shape), dtype=bool)
    layout.paint(masks, lit_box)
    return masks


def test_an_item_over_lit_pixels_moves_to_a_free_place():
    masks = _masks(layout.Box(0.5, 0.0, 1.0, 1.0))  # the right half lit
    box = layout.clip_box((0.8, 0.3), 0.3)
    assert layout.lit_under(masks, box).all()
    placed, factor = layout.place(masks, box)
    assert factor == 1.0 and not layout.lit_under(masks, placed).any()
    assert placed.x1 <= 0.5 + 1e-9


def test_an_item_that_fits_nowhere_at_its_size_shrinks_or_is_reported():
    masks = _masks(layout.Box(0.3, 0.0, 1.0, 1.0))
    placed, factor = layout.place(masks, layout.clip_box((0.8, 0.5), 0.4))
    assert factor < 1.0 and not layout.lit_under(masks, placed).any()
    assert layout.place(_masks(layout.Box(0.0, 0.0, 1.0, 1.0)), layout.clip_box((0.5, 0.5),
                                                                             0.3)) is None


def test_a_free_item_stays_where_the_storyboard_put_it():
    box = layout.title_box("A title", 20, (240, 136), "top", (0.5, 0.95))
    placed, factor = layout.place(_masks(layout.Box(0.0, 0.0, 1.0, 0.5)), box)
    assert factor == 1.0 and placed.centre == pytest.approx(box.centre)
    assert box.y1 == pytest.approx(0.95) and box.x0 + box.x1 == pytest.approx(1.0)
