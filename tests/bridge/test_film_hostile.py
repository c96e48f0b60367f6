"""Hostile storyboards, outputs and caches for ``neuroblend film``, through the CLI under the
4 GiB address-space cap: exit 2 with one line and no traceback, no hang, nothing read from a pipe
or device, no input changed and nothing written anywhere (every case is refused before any
Blender work, so each run takes about a second)."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402

VIDEO = "[video]\nsize = [64, 36]\nfps = 10\n\n"
SHOT = '[[timeline]]\nname = "cell"\nshot = "spike"\ndata = "sim.pkl"\nduration = 1\n'
TIMEOUT = 20


def snapshot(root: Path) -> dict:
    """Every path under ``root`` (links not followed) -> its kind and content hash."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            if path.is_symlink():
                found[path] = ("link", os.readlink(path))
            elif path.is_file():
                found[path] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            elif path.is_dir():
                found[path] = ("dir", None)
            else:
                found[path] = ("other", None)
    return found


@pytest.fixture
def film(tmp_path):
    """A folder with a valid storyboard and stand-in data, and an `elsewhere` folder that a
    link may point into (it must stay untouched)."""
    (tmp_path / "sim.pkl").write_bytes(b"stand-in data, never read by a refused build")
    (tmp_path / "voice.wav").write_bytes(b"stand-in voiceover")
    (tmp_path / "board.toml").write_text(VIDEO + SHOT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    (elsewhere / "items").mkdir()
    (elsewhere / "items" / "cell-0123456789abcdef0123").mkdir()
    return tmp_path


def refused(folder: Path, args, *needles: str) -> None:
    """``neuroblend film ARGS`` in ``folder`` is refused cleanly and changes nothing."""
    before = snapshot(folder)
    run = run_cli(["film", *args], folder, timeout=TIMEOUT)
    assert_clean_refusal(run, *needles)
    assert snapshot(folder) == before


def board(folder: Path, text: str, name: str = "bad.toml") -> str:
    (folder / name).write_text(text)
    return name


# -- the storyboard file itself: hangs and tracebacks -----------------------------------------

def test_a_fifo_device_or_folder_storyboard_is_refused_before_opening(film):
    os.mkfifo(film / "pipe.toml")
    (film / "folder.toml").mkdir()
    (film / "zero.toml").symlink_to("/dev/zero")
    for name, needle in (("pipe.toml", "FIFO"), ("/dev/zero", "device"),
                         ("zero.toml", "device"), ("folder.toml", "directory")):
        refused(film, [name, "--check"], needle)


def test_binary_huge_and_deeply_nested_storyboards_are_one_line(film):
    (film / "binary.toml").write_bytes(bytes(range(256)) * 4)
    (film / "big.toml").write_text(VIDEO + SHOT + "# " + "x" * (1 << 20) + "\n")
    cases = {"binary.toml": "not UTF-8", "big.toml": "larger than 1,048,576 bytes",
             board(film, "a = " + "[" * 100_000, "arrays.toml"): "nested too deeply",
             board(film, "a = " + "{b = " * 50_000, "tables.toml"): "nested too deeply",
             board(film, "a." * 20_000 + "b = 1\n", "dotted.toml"): "dotted keys nested",
             board(film, "a." * 20 + "b = 1\n", "dotted20.toml"): "nested more than",
             board(film, VIDEO + SHOT + "samples = " + "9" * 5000 + "\n", "digits.toml"):
                 "not a usable TOML",
             board(film, "\x00" * 100, "nul.toml"): "NUL"}
    for name, needle in cases.items():
        refused(film, [name, "--check"], needle)


# -- numbers: bombs, NaN, inf, 400-digit integers, nonsense accepted with exit 0 --------------

BAD_NUMBERS = {
    "fps = 1e9": "video.fps",
    "fps = nan": "video.fps",
    "fps = inf": "video.fps",
    "fps = " + "9" * 400: "video.fps",
    "size = [100000, 100000]": "--max-size",
    "size = [" + "9" * 400 + ", 10]": "video.size",
    "size = [8, 8]": "video.size",
}


@pytest.mark.parametrize("line", sorted(BAD_NUMBERS))
def test_bad_video_numbers_name_the_key(film, line):
    text = VIDEO.replace("fps = 10", line) if "fps" in line else VIDEO.replace(
        "size = [64, 36]", line)
    refused(film, [board(film, text + SHOT), "--check"], BAD_NUMBERS[line])


BAD_ITEMS = {
    "duration = 1e9": "timeline[0].duration",
    "at = nan": "timeline[0].at",
    "at = " + "9" * 400: "timeline[0].at",
    'at = "cell.start+' + "9" * 150 + '"': "offset must be at most",
    "clock = [[0, nan], [1, 2]]": "timeline[0].clock[0]",
    "clock = [[0, 1], [inf, 2]]": "timeline[0].clock[1]",
    "clock = [[0, 1e300]]": "timeline[0].clock[0]",
    "position = [nan, 0.5]": "timeline[0].position",
    "opacity = 2": "timeline[0].opacity",
    "scale = 1e300": "timeline[0].scale",
    "fade_in = inf": "timeline[0].fade_in",
    "camera = { preset = \"orbit\", turns = 1e300 }": "camera.turns",
    "camera = { keys = [{ at = 0, zoom = nan }] }": "camera.keys[0].zoom",
    "camera = { view = [nan, 0, 1] }": "camera.view",
}


@pytest.mark.parametrize("line", sorted(BAD_ITEMS))
def test_bad_item_numbers_name_the_item_and_line(film, line):
    text = VIDEO + SHOT.replace("duration = 1\n", "" if "duration" in line else "duration = 1\n")
    refused(film, [board(film, text + line + "\n"), "--check"], BAD_ITEMS[line], "bad.toml:")


def test_frame_bombs_are_refused_with_the_flag_before_allocating(film):
    title = '[[timeline]]\ntitle = "t"\nduration = 86000\n'
    refused(film, [board(film, VIDEO + title), "--check"], "--max-frames", "860,000")
    long_shot = VIDEO.replace("fps = 10", "fps = 240") + SHOT.replace("duration = 1",
                                                                      "duration = 80000")
    refused(film, [board(film, long_shot), "--check"], "--max-frames", "timeline[0] (cell)")
    refused(film, [board(film, VIDEO + SHOT), "--check", "--max-frames", "5"], "--max-frames")
    refused(film, [board(film, VIDEO + '[[timeline]]\ntitle = "t"\nfont_size = 1e9\n'),
                   "--check"], "font_size")
    refused(film, [board(film, VIDEO + SHOT), "--check", "--max-frames", "nan"], "max-frames")


# -- names, references and sizes of the timeline ----------------------------------------------

@pytest.mark.parametrize("name", ["/tmp/abs", "../x", ".hidden", "a/b", "x" * 100_000, "a\\b",
                                  ""])
def test_item_names_are_plain_names(film, name):
    text = VIDEO + SHOT.replace('name = "cell"', f"name = {name!r}".replace("'", '"'))
    refused(film, [board(film, text), "--out", "f.mp4"], "timeline[0].name")


def test_reference_cycles_long_chains_and_huge_timelines(film):
    cycle = (VIDEO + '[[timeline]]\nname = "a"\ntitle = "A"\nat = "b.end"\n'
             '[[timeline]]\nname = "b"\ntitle = "B"\nat = "a.end"\n')
    refused(film, [board(film, cycle), "--check"], "depends on itself")
    chain = VIDEO + "".join(f'[[timeline]]\nname = "t{i}"\ntitle = "x"\nduration = 0.1\n'
                            + (f'at = "t{i + 1}.end"\n' if i < 998 else "")
                            for i in range(999))
    refused(film, [board(film, chain), "--check", "--max-frames", "10"], "--max-frames")
    many = VIDEO + '[[timeline]]\ntitle = "x"\n' * 40_000
    refused(film, [board(film, many), "--check"], "over the limit of 1,000")
    wrong = VIDEO + '[[timeline]]\ntitle = "x"\nwobble = 1\n' * 900
    run = run_cli(["film", board(film, wrong), "--check"], film, timeout=TIMEOUT)
    assert_clean_refusal(run, "900 problems", "and 880 more")
    assert len(run.stderr) < 5000


def test_a_chain_of_anchors_as_long_as_the_limit_resolves(film):
    chain = VIDEO + "".join(f'[[timeline]]\nname = "t{i}"\ntitle = "x"\nduration = 0.1\n'
                            + (f'at = "t{i + 1}.end"\n' if i < 999 else "")
                            for i in range(1000))
    run = run_cli(["film", board(film, chain), "--check"], film, timeout=TIMEOUT)
    assert run.returncode == 0, run.stderr[-500:]
    assert "99.90- 100.00 s  title" in run.stdout


# -- files the film reads --------------------------------------------------------------------

@pytest.mark.parametrize("where", ["data", "voiceover"])
@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "link-to-zero", "folder"])
def test_inputs_must_be_regular_files(film, where, target):
    os.mkfifo(film / "fifo")
    (film / "folder").mkdir()
    (film / "link-to-zero").symlink_to("/dev/zero")
    text = VIDEO + SHOT
    if where == "data":
        text = text.replace('"sim.pkl"', f'"{target}"')
    else:
        text = text.replace("[video]", f'[audio]\nvoiceover = "{target}"\n\n[video]')
    refused(film, [board(film, text), "--out", "f.mp4"], "expected a regular file")


# -- outputs ---------------------------------------------------------------------------------

def test_out_may_not_be_an_input_by_name_or_hard_link(film):
    (film / "sim.mp4").write_bytes(b"data named like a video")
    (film / "voice.mp4").write_bytes(b"voice named like a video")
    os.link(film / "sim.mp4", film / "hard.mp4")
    text = VIDEO.replace("[video]", '[audio]\nvoiceover = "voice.mp4"\n\n[video]') + \
        SHOT.replace("sim.pkl", "sim.mp4")
    name = board(film, text)
    refused(film, [name, "--out", "sim.mp4"], "timeline[0].data (cell) of this film")
    refused(film, [name, "--out", str(film / "." / "voice.mp4")], "the voiceover")
    refused(film, [name, "--out", "hard.mp4"], "is timeline[0].data")
    (film / "board.mp4").write_text(VIDEO + SHOT)
    refused(film, ["board.mp4", "--out", "board.mp4"], "input")


def test_out_links_folders_and_file_parents_are_refused(film):
    (film / "link.mp4").symlink_to(film / "elsewhere" / "precious.txt")
    (film / "dangling.mp4").symlink_to(film / "elsewhere" / "new.mp4")
    (film / "dir.mp4").mkdir()
    os.mkfifo(film / "fifo.mp4")
    os.mkfifo(film / ".g.film-cache")
    for out, needle in (("link.mp4", "symbolic link"), ("dangling.mp4", "symbolic link"),
                        ("dir.mp4", "is a folder"), ("sim.pkl/f.mp4", "is a file, not a folder"),
                        ("f.mov", ".mp4"), ("fifo.mp4", "FIFO"), ("g.mp4", "is not a folder")):
        refused(film, ["board.toml", "--out", out], needle)


# -- caches ----------------------------------------------------------------------------------

def test_cache_links_files_and_foreign_folders_are_refused(film):
    (film / ".f.film-cache").symlink_to(film / "elsewhere")
    refused(film, ["board.toml", "--out", "f.mp4"], "symbolic link")
    refused(film, ["board.toml", "--out", "f.mp4", "--check"], "symbolic link")
    refused(film, ["board.toml", "--out", "g.mp4", "--cache", "sim.pkl"], "is not a folder")
    refused(film, ["board.toml", "--out", "g.mp4", "--cache", "elsewhere"],
            "not the cache's (precious.txt")
    refused(film, ["board.toml", "--out", "g.mp4", "--cache", "."], "not the cache's")
    cache = film / "cache"
    cache.mkdir()
    (cache / "items").symlink_to(film / "elsewhere" / "items")
    refused(film, ["board.toml", "--out", "g.mp4", "--cache", "cache"], "symbolic link")
    (cache / "items").unlink()
    (cache / "items").mkdir()
    (cache / "final.json").symlink_to(film / "elsewhere" / "precious.txt")
    refused(film, ["board.toml", "--out", "g.mp4", "--cache", "cache"], "symbolic link")
    refused(film, ["board.toml", "--out", "cache/items/g.mp4", "--cache", "cache"],
            "symbolic link")
    (cache / "final.json").unlink()
    refused(film, ["board.toml", "--out", "cache/items/g.mp4", "--cache", "cache"],
            "inside the film cache")


# -- found by a second round of attacks --------------------------------------------------------

def test_second_round_clip_size_long_strings_and_blocking_files(film):
    bound = SHOT.replace("duration = 1\n", "clock = [[0, 1], [1, 2]]\n")
    clip = '[[timeline]]\nclip = "trace"\nclock = "cell"\nscale = 10\n'
    refused(film, [board(film, VIDEO.replace("[64, 36]", "[8192, 8192]") + bound + clip),
                   "--check"], "--max-size", "timeline[1] (clip2)")
    huge = board(film, VIDEO + SHOT + 'look = { colormap = "' + "v" * 500_000 + '" }\n')
    refused(film, [huge, "--check"], "is not a colormap name")
    run = run_cli(["film", board(film, VIDEO + SHOT + f'"{"k" * 500_000}" = 1\n'), "--check"],
                  film, timeout=TIMEOUT)
    assert_clean_refusal(run, "unknown key")
    assert len(run.stderr) < 2000


def test_unicode_names_are_plain_names_too(film):
    text = VIDEO + SHOT.replace('"cell"', '"Zellkörper_名前"') + \
        '[[timeline]]\ntitle = "x"\nat = "Zellkörper_名前.end"\n'
    run = run_cli(["film", board(film, text), "--check"], film, timeout=TIMEOUT)
    assert run.returncode == 0 and "Zellkörper_名前" in run.stdout, run.stderr
    refused(film, [board(film, text.replace("名前", "名前\u202e")), "--check"], "a name is a word")
