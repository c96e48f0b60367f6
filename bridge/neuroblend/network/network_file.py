"""The ``neuroblend.network`` file format (v2): a branching-network simulation and its smoothing.

Payload: ``model`` {layers, neurons, sigma, p_spont, steps, seed} (see
:mod:`neuroblend.graph.branching`), ``active`` bool [steps, layers, neurons] (which units were
active at each step) and ``kernel`` {rise, decay (steps), values float64 [K] summing to 1}.
Units: {"time": "step"}. The smoothed activity is ``smooth_activity(active, kernel["values"])``.
Version 2 adds the optional ``edges`` {density, seed, pairs int32 [E, 2]}: the connections drawn
by the graph animation (flat neuron indices ``layer * neurons + neuron``, from a layer to the
next; see :mod:`neuroblend.graph.edges`). Version 1 files (no edges) still load.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

VERSION = 2
FORMAT = "neuroblend.network"
MODEL_KEYS = ("layers", "neurons", "sigma", "p_spont", "steps", "seed")
MAX_SIZE = 2**31 - 1  # layers, neurons, steps (sizes are checked against flags before use)
MAX_SEED = 2**63 - 1


def build_network_document(active: np.ndarray, model: Mapping, kernel: np.ndarray, rise: float,
                           decay: float, edges: Mapping | None = None) -> dict:
    """A network document for a simulation run with ``model`` parameters (and drawn ``edges``)."""
    from neuroblend.files.document import base_meta, new_document

    params = {k: model[k] for k in MODEL_KEYS}
    payload = {
        "model": params,
        "active": np.asarray(active, dtype=bool),
        "kernel": {"rise": float(rise), "decay": float(decay),
                   "values": np.asarray(kernel, dtype=np.float64)},
    }
    if edges is not None:
        payload["edges"] = {"density": float(edges["density"]), "seed": int(edges["seed"]),
                            "pairs": np.asarray(edges["pairs"], dtype=np.int32).reshape(-1, 2)}
    meta = base_meta(**params, rise=float(rise), decay=float(decay))
    return new_document(FORMAT, VERSION, payload, units={"time": "step"}, meta=meta)


def problems(doc: Mapping) -> list[str]:
    """What is wrong with a network document's payload, field by field."""
    out = []
    model = doc.get("model")
    if not isinstance(model, Mapping):
        return ["model: missing or not a dict"]
    missing = [k for k in MODEL_KEYS if k not in model]
    if missing:
        out.append(f"model: missing {', '.join(missing)}")
    model_problems = [] if missing else _model_problems(model)
    out += model_problems
    broken = bool(missing or model_problems)  # shapes cannot be compared with a broken model
    active = doc.get("active")
    if not isinstance(active, np.ndarray) or active.dtype != bool or active.ndim != 3:
        out.append("active: expected a bool array [steps, layers, neurons]")
    elif not broken:
        expected = (model["steps"], model["layers"], model["neurons"])
        if active.shape != expected:
            out.append(f"active: shape {active.shape} does not match model steps x layers x "
                       f"neurons {expected}")
    kernel = doc.get("kernel")
    if not isinstance(kernel, Mapping) or not all(k in kernel for k in ("rise", "decay", "values")):
        out.append("kernel: expected a dict with rise, decay and values")
    elif not (_is_number(kernel["rise"]) and _is_number(kernel["decay"])):
        out.append("kernel.rise, kernel.decay: expected finite numbers (steps)")
    else:
        values = kernel["values"]
        if (not isinstance(values, np.ndarray) or values.dtype.kind != "f" or values.ndim != 1
                or values.size < 1):
            out.append("kernel.values: expected a 1-D float array")
        elif not (np.all(np.isfinite(values)) and abs(float(values.sum()) - 1.0) < 1e-6):
            out.append(f"kernel.values: must be finite and sum to 1 (sums to {values.sum():g})")
    if "edges" in doc and not broken:
        out += _edge_problems(doc["edges"], int(model["layers"]), int(model["neurons"]))
    return out


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_number(value) -> bool:
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, (bool, np.bool_)) and bool(np.isfinite(value)))


def _model_problems(model: Mapping) -> list[str]:
    """The model's sizes are whole numbers >= 1, its seed 0..2**63-1, its rates finite."""
    for key in ("layers", "neurons", "steps"):
        if not _is_int(model[key]) or not 1 <= model[key] <= MAX_SIZE:
            return [f"model.{key} is {str(model[key])[:40]}, expected a whole number "
                    f"1..{MAX_SIZE}"]
    if not _is_int(model["seed"]) or not 0 <= model["seed"] <= MAX_SEED:
        return [f"model.seed is {str(model['seed'])[:40]}, expected a whole number 0..{MAX_SEED}"]
    if not _is_number(model["sigma"]) or model["sigma"] < 0:
        return [f"model.sigma is {str(model['sigma'])[:40]}, expected a finite number >= 0"]
    if not _is_number(model["p_spont"]) or not 0 <= model["p_spont"] <= 1:
        return [f"model.p_spont is {str(model['p_spont'])[:40]}, expected a probability 0..1"]
    return []


def _edge_problems(edges, layers: int, neurons: int) -> list[str]:
    if not isinstance(edges, Mapping) or not all(k in edges for k in ("density", "seed", "pairs")):
        return ["edges: expected a dict with density, seed and pairs"]
    if not _is_number(edges["density"]) or not 0 <= edges["density"] <= 1:
        return ["edges.density: expected a fraction 0..1"]
    if not _is_int(edges["seed"]) or not 0 <= edges["seed"] <= MAX_SEED:
        return [f"edges.seed: expected a whole number 0..{MAX_SEED}"]
    pairs = edges["pairs"]
    if (not isinstance(pairs, np.ndarray) or pairs.dtype.kind not in "iu" or pairs.ndim != 2
            or pairs.shape[1] != 2):
        return ["edges.pairs: expected an integer array [edges, 2]"]
    if pairs.size and (pairs.min() < 0 or pairs.max() >= layers * neurons):
        return [f"edges.pairs: neuron indices must be 0..{layers * neurons - 1}"]
    if pairs.size and np.any(pairs[:, 1] // neurons != pairs[:, 0] // neurons + 1):
        return ["edges.pairs: every edge must go from a layer to the next"]
    return []


def summarize(doc: Mapping) -> dict:
    """Model parameters and activity figures for ``neuroblend inspect``."""
    active = doc["active"]
    per_layer = active.mean(axis=(0, 2)) if active.size else np.zeros(0)
    return {
        "model": dict(doc["model"]),
        "kernel": {"rise": doc["kernel"]["rise"], "decay": doc["kernel"]["decay"],
                   "length": int(doc["kernel"]["values"].size)},
        "mean_activity_per_layer": [round(float(v), 5) for v in per_layer],
        "total_activations": int(active.sum()),
        "edges": int(len(doc["edges"]["pairs"])) if "edges" in doc else None,
        "graph_render": graph_render_check(doc),
    }


def graph_render_check(doc: Mapping) -> str:
    """Whether ``render network`` / ``clip network --layout graph`` accept ``doc`` at their
    default limits (the same check they make), for ``neuroblend inspect``."""
    from neuroblend.files.limits import LimitError
    from neuroblend.graph.budget import check_graph_size
    from neuroblend.graph.model import graph_edge_count

    try:
        needs = check_graph_size(doc, edges=graph_edge_count(doc, None))
    except LimitError as exc:
        return f"refused at the default limits: {exc}"
    return (f"within the default limits ({needs['neurons']:,} neurons, {needs['edges']:,} "
            f"edges, {needs['smoothed_steps']:,} smoothed steps)")
