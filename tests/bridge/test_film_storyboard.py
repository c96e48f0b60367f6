"""Storyboards without Blender: easing, clocks, the timeline cursor, validation, the Python API."""

from __future__ import annotations

import numpy as np
import pytest
from storyboards import HEADER, SHOT, problems_of, write

from neuroblend.errors import NeuroBlendError
from neuroblend.film import Film, load_storyboard, resolve
from neuroblend.film.build import Settings, local_times, settings_for, start_frame
from neuroblend.film.cache import cache_key
from neuroblend.film.camera import camera_states, preset_keys
from neuroblend.film.easing import Curve, Key, ease

DANGLING_TITLES = """
    [[timeline]]
    title = "x"
    at = "marker:drop"

    [[timeline]]
    title = "y"
    at = "ghost.end"
"""


def test_eases_start_and_end_on_their_keys_and_in_out_is_symmetric():
    u = np.linspace(0, 1, 11)
    for name in ("linear", "in", "out", "in-out"):
        values = ease(name, u)
        assert values[0] == 0 and values[-1] == 1 and np.all(np.diff(values) >= 0)
    assert np.allclose(ease("in-out", u) + ease("in-out", 1 - u), 1)
    assert ease("in", 0.5) < 0.5 < ease("out", 0.5)
    assert list(ease("hold", [0.0, 0.99, 1.0])) == [0, 0, 1]


def test_a_clock_holds_eases_and_clamps_outside_its_keys():
    clock = Curve([Key(0, (5,)), Key(1, (5,)), Key(3, (9,), "in-out")])
    t = np.array([-1, 0, 0.5, 1, 2, 3, 10])
    assert np.allclose(clock.scalar(t), [5, 5, 5, 5, 7, 9, 9])
    slow_start = clock.scalar([1.2])[0] - 5
    assert 0 < slow_start < 0.4 * 0.2 * 4  # eased: much less than linear's 0.4 ms


def test_shot_duration_comes_from_its_clock_and_the_cursor_advances(tmp_path):
    board = load_storyboard(write(tmp_path, SHOT + """
        [[timeline]]
        name = "second"
        shot = "spike"
        data = "sim.pkl"
        duration = 2

        [[timeline]]
        title = "Later"
        at = "cell.end+0.5"

        [[timeline]]
        transition = "fade-to-black"
        duration = 0.5
    """))
    spans = resolve(board)
    assert (spans["cell"].start, spans["cell"].end) == (0, 3)
    assert (spans["second"].start, spans["second"].end) == (3, 5)
    assert spans["title3"].start == 3.5 and spans["title3"].duration == 2
    assert (spans["transition4"].start, spans["transition4"].end) == (4.5, 5)


def test_bound_clips_follow_their_shot_and_markers_anchor_items(tmp_path):
    board = load_storyboard(write(tmp_path, """
        [audio]
        markers = { spike = 1.25 }
    """ + SHOT + """
        [[timeline]]
        name = "trace"
        clip = "trace"
        clock = "cell"

        [[timeline]]
        title = "Now"
        at = "marker:spike-0.25"
    """))
    spans = resolve(board)
    assert (spans["trace"].start, spans["trace"].end) == (0, 3)
    assert board.item("trace").spec["data"] == tmp_path / "sim.pkl"
    assert spans["title3"].start == 1.0


def test_a_crossfade_overlaps_the_next_shot_and_owns_its_fade_in(tmp_path):
    body = SHOT + """
        [[timeline]]
        transition = "crossfade"
        duration = 0.5

        [[timeline]]
        name = "next"
        shot = "spike"
        data = "sim.pkl"
        duration = 2
    """
    spans = resolve(load_storyboard(write(tmp_path, body)))
    assert spans["next"].start == 2.5 and spans["transition2"].end == 3.0
    message = problems_of(tmp_path, body + "fade_in = 0.3\n")
    assert "both animate next's opacity" in message


def test_unknown_keys_and_values_name_path_line_and_choices(tmp_path):
    message = problems_of(tmp_path, SHOT + """\
        look = { colour = "red", colormap_mode = "fancy" }
        camera = { preset = "zoom" }

        [[timeline]]
        shot = "hologram"
    """)
    lines = (HEADER + SHOT).count("\n")
    assert f"board.toml:{lines + 1}: timeline[0].look.colour: unknown key (valid: colormap," \
        in message
    assert "timeline[0].look.colormap_mode: 'fancy' is not one of: exact, ramp" in message
    assert f"board.toml:{lines + 2}: timeline[0].camera.preset: 'zoom' is not one of: whole, " \
        "soma, dolly, orbit" in message
    assert "timeline[1].shot: 'hologram' is not one of: spike, surface, atlas" in message
    assert message.startswith("4 problems")


def test_missing_files_items_and_markers_are_errors(tmp_path):
    message = problems_of(tmp_path, """\
        [[timeline]]
        shot = "atlas"
        data = "nowhere.pkl"

        [[timeline]]
        clip = "trace"
        clock = "ghost"
        data = "sim.pkl"

    """ + DANGLING_TITLES)
    assert "timeline[0].data: nowhere.pkl: no such file" in message
    assert "board.toml:" in message and "timeline[0].data" in message
    assert "no voiceover marker 'drop'" in message  # every problem at once
    message = problems_of(tmp_path, SHOT + """
        [[timeline]]
        clip = "trace"
        clock = "ghost"

    """ + DANGLING_TITLES)
    assert "'ghost' is not a shot with a clock (shots with clocks: cell)" in message
    assert "no voiceover marker 'drop' (markers: none" in message
    assert "no item named 'ghost' (items: cell, clip2, title3, title4)" in message


def test_two_owners_of_one_thing_are_refused(tmp_path):
    assert "both would animate the camera" in problems_of(
        tmp_path, SHOT + 'camera = { preset = "dolly", keys = [{ at = 0 }] }\n')
    assert "two keys at one time" in problems_of(
        tmp_path, SHOT.replace("[1, 5]", "[0, 6]"))
    assert "is already the name of timeline[0]" in problems_of(
        tmp_path, SHOT + SHOT.replace('shot = "spike"', 'shot = "spike"\nduration = 1'))
    message = problems_of(tmp_path, SHOT + """
        [[timeline]]
        transition = "fade-to-black"
        at = 1
        [[timeline]]
        transition = "fade-from-black"
        at = 1.5
    """)
    assert "both animate the black overlay" in message


def test_syntax_errors_carry_the_parser_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[video]\nsize = [1, 2]\nfps = = 3\n")
    with pytest.raises(NeuroBlendError, match=r"bad.toml: not valid TOML: .*line"):
        load_storyboard(path)


def test_the_python_api_builds_the_same_timeline_as_the_file(tmp_path):
    board = load_storyboard(write(tmp_path, SHOT + """
        [[timeline]]
        name = "trace"
        clip = "trace"
        clock = "cell"
        position = [0.8, 0.2]
        scale = 0.4

        [[timeline]]
        name = "t"
        title = "Hi"
        at = 0.5
        fade_in = 0.2
    """))
    film = (Film(base=tmp_path, size=[320, 180], fps=10)
            .shot("cell", "spike", data="sim.pkl", clock=[[0, 5], [1, 5], [3, 9, "in-out"]])
            .clip("trace", "trace", clock="cell", position=[0.8, 0.2], scale=0.4)
            .title("Hi", name="t", at=0.5, fade_in=0.2))
    built = film.storyboard()
    assert resolve(built) == resolve(board)
    assert [(i.name, i.type, i.kind, i.position, i.scale, i.fade_in) for i in built.items] == \
        [(i.name, i.type, i.kind, i.position, i.scale, i.fade_in) for i in board.items]


def test_preview_is_a_quarter_size_and_keeps_timing(tmp_path):
    board = load_storyboard(write(tmp_path, SHOT))
    full, preview = settings_for(board, False), settings_for(board, True)
    assert full.size == (320, 180) and preview.size == (80, 44)
    assert preview.out_fps * preview.step == full.fps
    assert start_frame(2.0, Settings((8, 8), 30, 3)) == 21
    assert np.allclose(local_times(1.0, Settings((8, 8), 30, 3)), np.arange(10) / 10)


def test_camera_presets_are_eased_keys_between_targets():
    keys = preset_keys("dolly", 4, target="soma", zoom=0.5, start=1, end=3)
    points, zoom, azimuth = camera_states(keys, {"center": (0, 0, 0), "soma": (2, 0, 0)},
                                          [0, 1, 2, 3, 4])
    assert np.allclose(points[:, 0], [0, 0, 1, 2, 2]) and np.allclose(zoom, [1, 1, 0.75, 0.5, 0.5])
    orbit = preset_keys("orbit", 4)
    assert np.allclose(camera_states(orbit, {"center": (0, 0, 0)}, [4])[2], 360)


def test_cache_keys_follow_parameters_and_file_contents(tmp_path):
    data = tmp_path / "d.bin"
    data.write_bytes(b"a")
    first = cache_key({"x": 1}, [data])
    assert cache_key({"x": 1}, [data]) == first
    assert cache_key({"x": 2}, [data]) != first
    data.write_bytes(b"bb")
    assert cache_key({"x": 1}, [data]) != first


def test_colormap_names_are_checked_before_rendering(tmp_path):
    message = problems_of(tmp_path, SHOT + 'look = { colormap = "viridiss" }\n')
    assert "timeline[0].look.colormap: unknown colormap 'viridiss'; closest names: viridis" \
        in message


def test_a_network_clip_shows_the_step_its_clock_gives(tmp_path):
    from neuroblend.film.clip_render import render_network
    from neuroblend.graph.branching import double_exponential_kernel, simulate_branching
    from neuroblend.network.network_file import build_network_document

    model = {"layers": 4, "neurons": 8, "sigma": 1.2, "p_spont": 0.3, "steps": 12, "seed": 1}
    doc = build_network_document(simulate_branching(**model), model,
                                 double_exponential_kernel(1, 3), 1, 3)
    seen = []
    render_network(doc, {"labels": False}, [0.0, 0.0, 5.2, 500.0, 900.0], (64, 36),
                   tmp_path / "net", seen.append)
    from PIL import Image

    frames = [np.asarray(Image.open(p))
              for p in sorted((tmp_path / "net").glob("frame_*.png"))]
    assert len(frames) == 5 and seen[2] == "clip frame at step 5"
    assert seen[3] == seen[4] != seen[2]  # past the end: the last step holds
    assert np.array_equal(frames[0], frames[1]) and not np.array_equal(frames[1], frames[2])
    assert np.array_equal(frames[3], frames[4])


def test_the_example_storyboard_is_valid_and_the_cli_checks_it(capsys):
    from pathlib import Path

    from neuroblend.cli import main

    example = Path(__file__).resolve().parents[2] / "examples" / "storyboard.toml"
    assert main(["film", str(example), "--check"]) == 0
    out = capsys.readouterr().out
    assert "0.00-   4.50 s  shot       spike" in out and "3.70-   4.50 s  transition" in out


def test_the_cli_reports_a_bad_storyboard_in_one_line_with_exit_2(tmp_path, capsys):
    from neuroblend.cli import main

    path = write(tmp_path, SHOT + "wobble = 3\n")
    assert main(["film", str(path), "--out", str(tmp_path / "x.mp4")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "timeline[0].wobble: unknown key" in err
    assert not (tmp_path / "x.mp4").exists()
