"""SWC reading: malformed files are repaired with a one-line warning or refused naming the line."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from neuroblend.errors import NeuroBlendError
from neuroblend.simulation.morphology import MorphologyWarning, parse_swc, read_swc, write_swc

GOOD = """\
# a small cell
1 1 0 0 0 5 -1
2 3 0 5 0 1 1
3 3 0 20 0 1 2
4 3 10 30 0 0.5 3
5 3 -10 30 0 0.5 3
6 2 0 -5 0 0.5 1
7 2 0 -50 0 0.5 6
"""


def parse(text: str):
    """Parse ``text``; return the tree and the warning lines."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tree = parse_swc(text, "cell.swc")
    messages = [str(w.message) for w in caught if issubclass(w.category, MorphologyWarning)]
    return tree, messages


def test_clean_file_loads_without_warnings():
    tree, messages = parse(GOOD)
    assert messages == []
    assert len(tree.types) == 7
    np.testing.assert_array_equal(tree.parent, [-1, 0, 1, 2, 2, 0, 5])  # the file's own order
    np.testing.assert_array_equal(tree.xyz[5], [0, -5, 0])
    assert not tree.repaired


def test_parents_after_children_become_depth_first():
    lines = GOOD.splitlines()
    tree, messages = parse("\n".join([lines[0], lines[7], *lines[1:7]]))  # id 7 first
    assert any("depth-first" in m for m in messages) and tree.repaired
    np.testing.assert_array_equal(tree.parent, [-1, 0, 1, 2, 2, 0, 5])
    np.testing.assert_array_equal(tree.xyz[6], [0, -50, 0])


def test_point_count_limit_names_its_flag():
    with pytest.raises(NeuroBlendError, match=r"over the limit of 3 .*--max-swc-points"):
        parse_swc(GOOD, "cell.swc", max_points=3)


def test_comments_and_blank_lines_anywhere():
    text = "\n\n# head\n1 1 0 0 0 5 -1   # soma\n\n   \n# mid\n2 3 0 5 0 1 1\n#end\n\n3 3 0 9 0 1 2"
    tree, messages = parse(text)
    assert messages == [] and len(tree.types) == 3


def test_missing_parent_becomes_a_root_and_is_joined():
    tree, messages = parse(GOOD + "8 3 40 40 0 0.5 99\n")
    assert any("1 point with a missing parent became tree roots: line 9 (parent 99)" in m
               for m in messages)
    assert any("joined 1 tree to the main tree at the nearest point" in m for m in messages)
    assert np.sum(tree.parent < 0) == 1
    new = int(np.flatnonzero((tree.xyz == [40, 40, 0]).all(1))[0])
    np.testing.assert_array_equal(tree.xyz[tree.parent[new]], [10, 30, 0])  # nearest point


def test_several_trees_are_joined_to_the_one_with_the_soma():
    text = "1 3 100 0 0 1 -1\n2 3 110 0 0 1 1\n" + "\n".join(
        f"{int(line.split()[0]) + 10} " + " ".join(line.split()[1:6]) + " "
        + (str(int(line.split()[6]) + 10) if int(line.split()[6]) > 0 else "-1")
        for line in GOOD.splitlines()[1:])
    tree, messages = parse(text)
    assert any("found 2 separate trees" in m for m in messages)
    assert tree.types[0] == 1  # the soma tree is the main one: its root comes first


def test_repeated_identical_line_is_dropped():
    tree, messages = parse(GOOD + "3 3 0 20 0 1 2\n")
    assert len(tree.types) == 7
    assert any("dropped 1 repeated line identical to an earlier one: line 9" in m
               for m in messages)


def test_repeated_id_with_other_data_is_refused_naming_both_lines():
    with pytest.raises(NeuroBlendError, match=r"cell.swc line 9: id 3 is used again with "
                                               r"different data \(first on line 4\)"):
        parse(GOOD + "3 3 5 5 5 1 2\n")


def test_zero_radius_takes_the_neighbouring_radius():
    tree, messages = parse(GOOD.replace("4 3 10 30 0 0.5 3", "4 3 10 30 0 0 3"))
    assert any("1 point with zero or negative radius" in m and "line 5" in m for m in messages)
    assert np.all(tree.radius > 0)
    assert tree.radius[np.flatnonzero((tree.xyz == [10, 30, 0]).all(1))[0]] == 1.0


def test_zero_length_segment_is_removed():
    text = GOOD.replace("4 3 10 30 0 0.5 3", "4 3 0 20 0 0.5 3") + "8 3 5 40 0 0.5 4\n"
    tree, messages = parse(text)
    assert any("removed 1 zero-length segment (a point on top of its parent): line 5" in m
               for m in messages)
    seg_len = np.linalg.norm(tree.xyz[1:] - tree.xyz[tree.parent[1:]], axis=1)
    assert seg_len.min() > 0
    child = int(np.flatnonzero((tree.xyz == [5, 40, 0]).all(1))[0])
    np.testing.assert_array_equal(tree.xyz[tree.parent[child]], [0, 20, 0])


def test_no_soma_uses_the_root_point():
    tree, messages = parse(GOOD.replace("1 1 0 0 0 5 -1", "1 3 0 0 0 5 -1"))
    assert any("no soma points (type 1): the root point on line 2" in m for m in messages)
    assert tree.types[0] == 1


def test_unknown_types_load_as_dendrite():
    tree, messages = parse(GOOD.replace("4 3 10 30", "4 7 10 30"))
    assert any("of type [7]" in m and "loaded as dendrite" in m for m in messages)
    assert set(tree.types) <= {1, 2, 3, 4}


def test_parents_after_children_are_reordered():
    lines = GOOD.splitlines()
    tree, messages = parse("\n".join([lines[0]] + lines[1:][::-1]))
    assert len(messages) == 1 and "depth-first order" in messages[0]
    assert all(tree.parent[k] < k for k in range(1, len(tree.parent)))


@pytest.mark.parametrize("text, expected", [
    ("1 1 0 0 0 5 -1\n2 3 0 5 0 1\n", r"line 2: expected 7 numbers"),
    ("1 1 0 0 0 5 -1\n2 3 0 five 0 1 1\n", r"line 2: id, type and parent must be integers"),
    ("1 1 0 0 0 5 -1\n2 3 0 nan 0 1 1\n", r"line 2: non-finite coordinate"),
    ("1 1 0 0 0 5 -1\n2 3 0 5 0 1 3\n3 3 0 9 0 1 2\n", r"parent ids loop back"),
    ("# only a comment\n\n", r"no SWC points found"),
])
def test_unrepairable_files_are_refused_naming_the_line(text, expected):
    with pytest.raises(NeuroBlendError, match=expected):
        parse(text)


def test_all_repairs_at_once_still_give_a_tree(tmp_path):
    text = ("#x\n1 3 0 0 0 0 -1\n\n2 3 0 0 0 1 1\n2 3 0 0 0 1 1\n3 9 0 10 0 1 2\n"
            "4 3 50 50 0 1 77\n")
    tree, messages = parse(text)
    assert len(messages) >= 5 and all("\n" not in m for m in messages)
    assert np.sum(tree.parent < 0) == 1 and tree.types[0] == 1
    out = tmp_path / "clean.swc"
    write_swc(tree, out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the clean copy needs no repair
        again = read_swc(out)
    np.testing.assert_allclose(again.xyz, tree.xyz)
    np.testing.assert_array_equal(again.parent, tree.parent)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(NeuroBlendError, match="cannot read SWC file"):
        read_swc(tmp_path / "nope.swc")
