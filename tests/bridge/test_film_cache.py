"""The film cache and reuse stamp: never through a link, never outside its own entries, and a
forged stamp never keeps a video that is not the one it describes."""

from __future__ import annotations

import json

import pytest
from storyboards import SHOT, write

from neuroblend.errors import NeuroBlendError
from neuroblend.film import Film, FilmLimits, load_storyboard
from neuroblend.film.build import finished_video
from neuroblend.film.cache import Cache, file_hash
from neuroblend.film.outputs import check_targets

KEY = "0123456789abcdef0123"
OTHER = "fedcba9876543210fedc"


def test_a_forged_stamp_beside_another_video_recomposes(tmp_path):
    cache = Cache(tmp_path / "c")
    out = tmp_path / "f.mp4"
    out.write_bytes(b"the real video")
    plan = {"key": KEY}
    cache.write_stamp({"key": KEY, "out": str(out), "out_size": out.stat().st_size,
                       "out_sha256": file_hash(out)})
    assert finished_video(cache, plan, out)
    out.write_bytes(b"garbage, same size")  # same key, same path, another video
    assert not finished_video(cache, plan, out)
    out.write_bytes(b"the real video")
    assert not finished_video(cache, plan, tmp_path / "g.mp4")  # another output
    for forged in ("not json {", "[1, 2]", '{"key": "' + KEY + '"}', "9" * 5000):
        (tmp_path / "c" / "final.json").write_text(forged)
        assert not finished_video(cache, plan, out)


def test_commit_replaces_only_its_own_entries(tmp_path):
    cache = Cache(tmp_path / "c")
    items = cache.folder("items")
    for name in (f"cell-{OTHER}", f"cell-{OTHER}.partial", f"cellar-{OTHER}", "cell-notakey",
                 "cell-x"):
        (items / name).mkdir()
    with cache.work("cell", KEY, 1, 1) as work:
        (work / "frame_0001.png").write_bytes(b"png")
        cache.commit_frames("cell", KEY, work, [1])
    assert cache.finish("cell", KEY, 1, {"name": "cell", "key": KEY})
    assert sorted(p.name for p in items.iterdir()) == sorted(
        [f"cell-{KEY}", f"cellar-{OTHER}", "cell-notakey", "cell-x"])
    assert cache.has("cell", KEY) and not cache.has("cellar", OTHER)
    (items / f"cell-{KEY}" / "done.json").write_text(json.dumps({"name": "cell", "key": OTHER}))
    assert not cache.has("cell", KEY)  # a done.json for another key


def test_entries_that_are_links_or_bad_names_are_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "frames").mkdir(parents=True)
    cache = Cache(tmp_path / "c")
    items = cache.folder("items")
    (items / f"cell-{KEY}.partial").symlink_to(elsewhere)
    with pytest.raises(NeuroBlendError, match="symbolic link"):
        cache.partial("cell", KEY)
    (items / f"cell-{OTHER}").symlink_to(elsewhere)
    with pytest.raises(NeuroBlendError, match="symbolic link"):
        cache.has("cell", OTHER)
    for name in ("../x", "/abs", ".hidden", "a/b", "x" * 100):
        with pytest.raises(NeuroBlendError, match="not a cache entry name"):
            cache.entry(name, KEY)
    assert (elsewhere / "frames").is_dir()


def test_the_python_api_has_the_same_limits_and_output_checks(tmp_path):
    (tmp_path / "sim.mp4").write_bytes(b"data")
    film = Film(base=tmp_path, size=[4000, 200], fps=10, limits=FilmLimits(max_size=1000))
    film.shot("cell", "spike", data="sim.mp4", duration=1)
    with pytest.raises(NeuroBlendError, match="--max-size"):
        film.storyboard()
    film = Film(base=tmp_path, size=[64, 36], fps=10, limits=FilmLimits(max_frames=5))
    film.shot("cell", "spike", data="sim.mp4", duration=1)
    with pytest.raises(NeuroBlendError, match="--max-frames"):
        film.build(tmp_path / "f.mp4")
    film = Film(base=tmp_path, size=[64, 36], fps=10).shot("cell", "spike", data="sim.mp4")
    with pytest.raises(NeuroBlendError, match="of this film"):
        film.build(tmp_path / "sim.mp4")
    assert not (tmp_path / ".sim.film-cache").exists()


def test_check_targets_writes_nothing_and_refuses_the_storyboard(tmp_path):
    board = load_storyboard(write(tmp_path, SHOT, name="board.mp4"))
    before = sorted(tmp_path.rglob("*"))
    out, cache = check_targets(tmp_path / "new" / "f.mp4", board)
    assert out == tmp_path / "new" / "f.mp4" and cache.root == tmp_path / "new" / ".f.film-cache"
    with pytest.raises(NeuroBlendError, match="is the storyboard of this film"):
        check_targets(tmp_path / "board.mp4", board)
    assert sorted(tmp_path.rglob("*")) == before
