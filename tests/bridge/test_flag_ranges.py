"""Every numeric flag is range-checked by its argparse type, every options dataclass checks its
declared ranges on creation (flags, ``--options-json``, a film shot's look), and a storyboard's
look/clip options refuse what the matching flag refuses.

The flag cases are generated from the parsers themselves (``build_parser()``'s commands, their
subcommands and each ``render KIND`` parser), so a new numeric flag is covered automatically.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
from pathlib import Path

import pytest

from neuroblend.cli import build_parser
from neuroblend.cli.render import KINDS
from neuroblend.errors import NeuroBlendError
from neuroblend.job_options import FLAG, options_argv, options_from_argv
from neuroblend.option_ranges import KEY, RangeChecked, range_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cli_runner import assert_clean_refusal, run_cli  # noqa: E402
from storyboards import problems_of  # noqa: E402

HOSTILE = ("nan", "inf", "-inf", "1e300", "-1e300", "9" * 400, "-" + "9" * 400)
SHAPES = ("{}", "{}x{}", "{}-{}", "{},{},{}")  # a number, WxH, A-B, X,Y,Z
FILLS = ("1", "2", "16", "0.5", "0.05", "0")


def parsers():
    """(argv prefix, parser) of every command, subcommand and ``render KIND``."""
    found = []

    def walk(prefix, parser):
        found.append((prefix, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk([*prefix, name], sub)

    walk([], build_parser())
    for kind, module in KINDS.items():
        walk(["render", kind], importlib.import_module(f"neuroblend.cli.{module}").build_parser())
    return [(p, parser) for p, parser in found if p != ["render"]]


def _accepts(kind, text) -> bool:
    """Whether ``kind`` parses ``text`` into a number or numbers."""
    try:
        value = kind(text)
    except (argparse.ArgumentTypeError, ValueError, TypeError):
        return False
    values = value if isinstance(value, tuple) else (value,)
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def numeric_shape(kind):
    """``(shape, valid fill)`` if argparse type ``kind`` parses numbers, else None."""
    for shape in SHAPES:
        for first in FILLS:
            for second in FILLS:
                values = [first] + [second] * (shape.count("{}") - 1)
                if _accepts(kind, shape.format(*values)):
                    return shape, values
    return None


def numeric_flags():
    """(prefix, flag, nargs, shape, valid values, bounds) of every numeric flag."""
    cases = []
    for prefix, parser in parsers():
        for action in parser._actions:
            found = numeric_shape(action.type) if callable(action.type) else None
            if found and action.option_strings:
                flag = max(action.option_strings, key=len)
                cases.append((prefix, flag, action.nargs, *found,
                               getattr(action.type, "bounds", None)))
    return cases


FLAGS = numeric_flags()
FLAG_IDS = [" ".join([*p, f]) for p, f, *_ in FLAGS]


def test_the_walk_finds_the_flags_that_used_to_trace_back():
    found = {(" ".join(p), f) for p, f, *_ in FLAGS}
    for case in [("render spike", "--frames-per-ms"), ("render network", "--layout-seed"),
                 ("render spike", "--resolution"), ("render spike", "--frames"),
                 ("render spike", "--time-window"), ("clip trace", "--range"),
                 ("render atlas", "--view"), ("simulate-network", "--cells"),
                 ("colorbar", "--ticks"), ("compose", "--fps"), ("heightmap", "--extent")]:
        assert case in found
    assert len(FLAGS) > 80


@pytest.mark.parametrize("prefix, flag, nargs, shape, values, bounds", FLAGS, ids=FLAG_IDS)
def test_every_numeric_flag_declares_bounds(prefix, flag, nargs, shape, values, bounds):
    assert bounds is not None, f"{' '.join(prefix)} {flag}: use a bounded argtype (option_ranges)"


def _hostile_values(shape, values, bounds):
    """Each hostile token in the first slot of the flag's shape (others kept valid)."""
    tokens = list(HOSTILE)
    if bounds is not None and bounds[0] >= 0:
        tokens.append("-1")  # a negative where none is allowed
    return [shape.format(token, *values[1:]) for token in tokens]


@pytest.mark.parametrize("prefix, flag, nargs, shape, values, bounds", FLAGS, ids=FLAG_IDS)
def test_every_numeric_flag_refuses_hostile_numbers_with_a_usage_error(
        capsys, prefix, flag, nargs, shape, values, bounds):
    parser = dict((tuple(p), parser) for p, parser in parsers())[tuple(prefix)]
    for text in _hostile_values(shape, values, bounds):
        if nargs == 2:
            if text.startswith("-") and not text[1:].isdigit():
                continue  # "-inf" after a flag reads as an option; the = form takes one value
            argv = [flag, text, values[0]]
        else:
            argv = [f"{flag}={text}"]
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(argv)
        err = capsys.readouterr().err
        assert exit_.value.code == 2, (flag, text)
        errors = [line for line in err.splitlines() if "error:" in line]
        assert len(errors) == 1 and f"argument {flag}" in errors[0], err
        assert "Traceback" not in err and len(errors[0]) < 300, errors[0]


@pytest.mark.parametrize("args, needle", [
    (["render", "spike", "sim.pkl", "--out", "d", "--frames-per-ms", "1e300"],
     "argument --frames-per-ms: 1e300: expected a number above 0 and at most 10000"),
    (["render", "network", "net.pkl", "--out", "d", "--rearrange", "1-9", "--layout-seed", "-1"],
     "argument --layout-seed: -1: expected a whole number 0..4294967295"),
    (["render", "spike", "sim.pkl", "--out", "d", "--time-window", "8", "2"],
     "--time-window 8.0 2.0: expected 2 numbers -1e9..1e9, the second above the first"),
    (["render", "spike", "sim.pkl", "--out", "d", "--vmin", "5", "--vmax", "1"],
     "--vmin 5.0: must be below --vmax (1.0)"),
    (["colorbar", "gray", "--out", "x.png", "--min", "1", "--max", "0"],
     "--min 1.0: must be below --max (0.0)"),
    (["colorbar", "gray", "--out", "x.png", "--mode", "ramp", "--stops", "33"],
     "argument --stops: 33: expected a whole number 2..32"),
    (["render", "surface", "--out", "d", "--samples", "9" * 400], "argument --samples: 999"),
])
def test_the_command_line_refuses_with_one_line(tmp_path, args, needle):
    assert_clean_refusal(run_cli(args, tmp_path), needle)


# ----------------------------------------------------------------------------- options

def ranged_classes():
    """Every options dataclass that checks its ranges on creation (their modules imported)."""
    for module in ("neuroblend.spike.render_options", "neuroblend.surface.render_options",
                   "neuroblend.atlas.render_options", "neuroblend.graph.render_options",
                   "neuroblend.colormaps.colorbar_options", "neuroblend.clips.compose_options",
                   "neuroblend.clips.options", "neuroblend.simulation.simulation_settings",
                   "neuroblend.network.sim"):
        importlib.import_module(module)
    found, todo = [], [RangeChecked]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.append(cls)
    return found[1:]


def test_every_declared_default_is_inside_its_range():
    classes = ranged_classes()
    assert len(classes) >= 12
    for cls in classes:
        for f in cls.__dataclass_fields__.values():
            bounds = f.metadata.get(KEY)
            if bounds is not None and f.default is not None:
                assert bounds.problem(f.default) is None, (cls.__name__, f.name, f.default)


def _spike(**values):
    from neuroblend.spike.render_options import SpikeRenderOptions

    return SpikeRenderOptions(input=Path("sim.pkl"), out=Path("d"), **values)


@pytest.mark.parametrize("values, needle", [
    ({"glow": 1e9}, "--glow 1000000000.0: expected a number 0..10000"),
    ({"tube_resolution": 10**400}, "--tube-resolution 1000000000"),
    ({"frames_per_ms": math.nan}, "--frames-per-ms nan"),
    ({"start_frame": 2_000_000}, "--start-frame 2000000: expected a whole number"),
    ({"samples": "16"}, "--samples 16: expected a whole number 1..65536"),
    ({"resolution": (100000, 100000)}, "--resolution 100000 100000"),
    ({"time_window": (5.0, 5.0)}, "the second above the first"),
])
def test_options_check_their_ranges_however_they_are_made(values, needle):
    with pytest.raises(NeuroBlendError, match=None) as info:
        _spike(**values)
    assert needle in str(info.value) and "\n" not in str(info.value)


def test_options_json_cannot_carry_a_value_the_flags_refuse():
    good = _spike(glow=2.0)
    argv = options_argv(good)
    assert options_from_argv(type(good), argv) == good
    for key, value in [("glow", math.inf), ("threads", -1), ("layout_seed", -1)]:
        data = json.loads(argv[1])
        if key not in data:
            continue
        data[key] = value
        with pytest.raises(NeuroBlendError, match=f"--{key.replace('_', '-')}"):
            options_from_argv(type(good), [FLAG, json.dumps(data)])


def test_a_film_shots_look_is_checked_when_it_becomes_options():
    from neuroblend.spike.render_options import SpikeRenderOptions

    for look, needle in [({"brightness": 1e300}, "--brightness 1e"),
                         ({"glow": 10**400}, "--glow 1000"), ({"glow": "2"}, "--glow 2"),
                         ({"tube_resolution": 2.5}, "--tube-resolution 2.5")]:
        with pytest.raises(NeuroBlendError, match=needle):
            SpikeRenderOptions.with_look("sim.pkl", "x", look)


# ----------------------------------------------------------------------------- storyboards

SHOT = """\
[[timeline]]
name = "cell"
shot = "{kind}"
data = "{data}"
look = {{ {look} }}
"""


@pytest.mark.parametrize("kind, data, look, needle", [
    ("spike", "sim.pkl", "glow = 1e9", "timeline[0].look.glow: 1000000000.0: expected a number "
     "0..10000"),
    ("spike", "sim.pkl", "brightness = nan", "timeline[0].look.brightness: nan: expected"),
    ("spike", "sim.pkl", "tube_resolution = 1000", "look.tube_resolution: 1000: expected a whole "
     "number 3..64"),
    ("spike", "sim.pkl", "tube_resolution = 2.5", "look.tube_resolution: 2.5: expected a whole"),
    ("spike", "sim.pkl", "vmin = 10, vmax = -10", "look.vmin: 10.0: must be below vmax (-10.0)"),
    ("spike", "sim.pkl", "vmax = inf", "look.vmax: inf: expected a number -1e9..1e9"),
    ("network", "sim.pkl", "radius_scale = 0", "look.radius_scale: 0: expected a number above 0"),
    ("surface", "sim.pkl", "band_strength = -1", "look.band_strength: -1: expected a number"),
    ("graph", "net.pkl", "rearrange = [0, 5], layout_seed = -1",
     "look.layout_seed: -1: expected a whole number 0..4294967295"),
    ("graph", "net.pkl", "rearrange = [0, 5], depth = " + "9" * 30, "look.depth: 999"),
])
def test_storyboard_look_values_out_of_range_are_refused_with_their_line(
        tmp_path, kind, data, look, needle):
    message = problems_of(tmp_path, SHOT.format(kind=kind, data=data, look=look))
    assert needle in message and "board.toml:" in message, message


def test_a_trace_clips_value_range_is_checked_like_the_flag(tmp_path):
    message = problems_of(tmp_path, """\
        [[timeline]]
        clip = "trace"
        data = "sim.pkl"
        clock = [[0, 0], [1, 5]]
        options = { range = [5, -5] }
    """)
    assert "timeline[0].options.range: 5 -5: expected 2 numbers -1e9..1e9, the second above " \
        "the first" in message


def test_a_storyboard_key_refuses_what_its_flag_refuses():
    from neuroblend.film.kinds import CLIP_KINDS, SHOT_KINDS
    from neuroblend.graph.render_options import NetworkRenderOptions
    from neuroblend.spike.render_options import SpikeRenderOptions

    assert SHOT_KINDS["spike"].look["glow"] is range_of(SpikeRenderOptions, "glow")
    assert SHOT_KINDS["graph"].look["layout_seed"] is range_of(NetworkRenderOptions, "layout_seed")
    assert CLIP_KINDS["graph"].options["stagger"] is range_of(NetworkRenderOptions, "stagger")


@pytest.mark.parametrize("window", ["[nan, 5]", "[0, inf]", "[0, 1e300]", "[5, 5]"])
def test_a_graph_look_rearrange_is_finite_and_ordered(tmp_path, window):
    message = problems_of(tmp_path, SHOT.format(kind="graph", data="net.pkl",
                                                look=f"rearrange = {window}"))
    assert "timeline[0].look.rearrange: " in message and "END after START" in message


SHOT_PARSER = {"spike": "spike", "network": "spike", "surface": "surface", "graph": "network",
               "atlas": "atlas", "units": "units"}


def _outside(bounds):
    """A value just past the high end of ``bounds`` (as TOML text, and for the flag)."""
    high = int(bounds.high) + 1 if bounds.integer else bounds.high * 2
    return (f"[0, {high}]", ["0", str(high)]) if bounds.count == 2 else (str(high), [str(high)])


def test_every_ranged_look_key_is_refused_where_its_flag_is(tmp_path, capsys):
    from neuroblend.film.kinds import SHOT_KINDS
    from neuroblend.option_ranges import Range

    checked = 0
    for kind, spec in SHOT_KINDS.items():
        flags = importlib.import_module(f"neuroblend.cli.render_{SHOT_PARSER[kind]}").build_parser()
        for key, bounds in spec.look.items():
            if not isinstance(bounds, Range):
                continue
            toml, argv = _outside(bounds)
            extra = "rearrange = [0, 5], " if kind == "graph" else ""
            message = problems_of(tmp_path, SHOT.format(
                kind=kind, data="net.pkl" if kind == "graph" else "sim.pkl",
                look=f"{extra}{key} = {toml}"))
            assert f"timeline[0].look.{key}: " in message and "expected" in message, message
            with pytest.raises(SystemExit):
                flags.parse_args([f"--{key.replace('_', '-')}", *argv])
            assert f"argument --{key.replace('_', '-')}" in capsys.readouterr().err
            checked += 1
    assert checked >= 20
