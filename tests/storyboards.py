"""Storyboard text for the film tests: a small video header, writing a board beside stand-in data
files, and the message of a board that is refused."""

from __future__ import annotations

import textwrap

import pytest

from neuroblend.errors import NeuroBlendError
from neuroblend.film import load_storyboard

HEADER = """\
[video]
size = [320, 180]
fps = 10

"""
DATA_FILES = ("sim.pkl", "net.pkl")
SHOT = """\
[[timeline]]
name = "cell"
shot = "spike"
data = "sim.pkl"
clock = [[0, 5], [1, 5], [3, 9, "in-out"]]
"""


def write(tmp_path, body: str, name="board.toml"):
    """``HEADER + body`` as ``tmp_path/name``, with stand-in data files (not read while checking)."""
    for data in DATA_FILES:
        (tmp_path / data).write_bytes(b"not read while validating")
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(body))
    return path


def problems_of(tmp_path, body: str) -> str:
    """The one error a board with ``body`` is refused with."""
    with pytest.raises(NeuroBlendError) as info:
        load_storyboard(write(tmp_path, body))
    return str(info.value)
