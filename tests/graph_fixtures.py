"""Shared helpers of the graph tests (clip and render): a small network and blob finding."""

from __future__ import annotations

import numpy as np

from neuroblend.graph.branching import double_exponential_kernel, simulate_branching
from neuroblend.network.network_file import build_network_document

MODEL = {"layers": 3, "neurons": 4, "sigma": 1.0, "p_spont": 0.3, "steps": 60, "seed": 4}


def small_network(edges: dict | None = None, **model) -> dict:
    """A 3 x 4 network document with lively activity."""
    params = {**MODEL, **model}
    kernel = double_exponential_kernel(1.0, 4.0)
    return build_network_document(simulate_branching(**params), params, kernel, 1.0, 4.0,
                                  edges=edges)


def blob_centroids(mask: np.ndarray) -> np.ndarray:
    """(column, row) centroids, in pixel units with pixel centres at +0.5, of ``mask``'s blobs."""
    from scipy import ndimage

    labels, count = ndimage.label(mask)
    rows_cols = ndimage.center_of_mass(mask, labels, range(1, count + 1))
    return np.array([(c + 0.5, r + 0.5) for r, c in rows_cols]).reshape(-1, 2)


def match_error(found: np.ndarray, expected: np.ndarray) -> float:
    """Largest distance from an expected point to its nearest found blob (one blob each)."""
    assert len(found) == len(expected), f"{len(found)} blobs, expected {len(expected)}"
    dist = np.linalg.norm(expected[:, None, :] - found[None, :, :], axis=2)
    assert len(set(dist.argmin(axis=1))) == len(expected), "two neurons matched one blob"
    return float(dist.min(axis=1).max())


def segment_samples(a: np.ndarray, b: np.ndarray, fractions=(0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)):
    """Points along each segment a[k] -> b[k]: [E, len(fractions), 2]."""
    f = np.asarray(fractions)[None, :, None]
    return a[:, None, :] + (b - a)[:, None, :] * f


def isolated_error(found: np.ndarray, expected: np.ndarray, min_gap: float) -> float:
    """Largest distance from an expected point with no other within ``min_gap`` (neurons may
    cross mid-move) to its nearest found blob."""
    gaps = np.linalg.norm(expected[:, None] - expected[None], axis=2) + np.eye(len(expected)) * 1e9
    alone = expected[gaps.min(axis=1) > min_gap]
    assert len(alone) >= len(expected) // 2, "too few separate neurons to check"
    return float(np.linalg.norm(alone[:, None] - found[None], axis=2).min(axis=1).max())
