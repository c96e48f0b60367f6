"""The settings tables: every consumer is made from the rows, each default is written once, and no
CLI help types a default by hand."""

from __future__ import annotations

import argparse
import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from neuroblend import clock
from neuroblend.blender.spike import settings_ui
from neuroblend.cli.option_flags import add_setting_flags, default_text
from neuroblend.cli.render_spike import build_parser
from neuroblend.film.kinds import SHOT_KINDS
from neuroblend.option_ranges import RangeChecked, real
from neuroblend.settings_table import MATERIAL, look_keys, root_values, row, rows, setting
from neuroblend.spike.playback_settings import SpikeLook
from neuroblend.spike.render_options import SpikeRenderOptions

REPO = Path(__file__).resolve().parents[2]
SOURCES = [*(REPO / "bridge" / "neuroblend").rglob("*.py"), *(REPO / "addons").rglob("*.py"),
           *(REPO / "scripts").glob("*.py")]


def _numbers(path: Path) -> list[float]:
    return [node.value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and type(node.value) is float]


def test_rest_lift_default_is_written_once_in_the_source():
    default = row(SpikeLook, "rest_lift").default  # (0.08 means other things elsewhere)
    homes = [path.relative_to(REPO).as_posix() for path in SOURCES if "rest_lift" in
             path.read_text().lower().replace(" ", "_") for value in _numbers(path)
             if value == default]
    assert homes == ["bridge/neuroblend/spike/playback_settings.py"]
    assert SpikeRenderOptions(input=Path("s"), out=Path("o")).rest_lift == default


def test_every_playback_row_reaches_its_consumers():
    parser = build_parser()
    flags = {a.dest: a for a in parser._actions}
    film = SHOT_KINDS["spike"].look
    panel = {key for _title, props in settings_ui.panel_groups() for key, _label in props}
    for r in rows(SpikeLook):
        action = flags[r.name]
        assert action.default == r.default and r.setting.help in action.help
        assert (r.name in film) == r.setting.look
        if r.setting.root:
            assert r.setting.root in settings_ui.SETTINGS
        if r.setting.shader == MATERIAL:
            assert r.setting.root in settings_ui.MATERIAL_SETTINGS
        elif r.setting.shader:
            assert settings_ui.THICKNESS_INPUTS[r.setting.root] == r.setting.shader
        if r.setting.panel:
            assert r.setting.root in panel
    assert {clock.TIME_START, clock.START_FRAME, clock.FRAMES_PER_MS} <= set(
        settings_ui.MATERIAL_SETTINGS)


def test_root_values_follow_the_options():
    look = SpikeLook(rest_lift=0.5, reverse=True)
    values = root_values(SpikeLook, look)
    assert values["nb_rest_lift"] == 0.5 and values["nb_reverse"] is True
    assert "nb_value_min" not in values  # None: resolved from the data


def test_a_new_row_is_a_flag_a_look_key_and_a_root_property():
    @dataclass(kw_only=True)
    class Look(RangeChecked):
        shimmer: float = setting(real(0.25, 0, 2), "sparkle on the spike", root="nb_shimmer",
                                 shader=MATERIAL, panel=("Glow", "Shimmer"))

    parser = argparse.ArgumentParser()
    add_setting_flags(parser, Look)
    assert parser.parse_args([]).shimmer == 0.25
    assert parser.parse_args(["--shimmer", "1.5"]).shimmer == 1.5
    with pytest.raises(SystemExit):
        parser.parse_args(["--shimmer", "3"])
    assert "default 0.25" in parser.format_help() and "sparkle" in parser.format_help()
    assert look_keys(Look)["shimmer"].high == 2.0
    assert root_values(Look, Look()) == {"nb_shimmer": 0.25}


HAND_TYPED = re.compile(r"(?<!%)\(default\)|default:?\s+(on|off|-?\d)\b|\(default:?\s+\w+\)")


def test_no_cli_help_types_a_default_by_hand():
    typed = []
    for path in sorted((REPO / "bridge" / "neuroblend" / "cli").glob("*.py")):
        if path.name == "option_flags.py":  # the one place that writes "default X"
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and HAND_TYPED.search(node.value):
                typed.append(f"{path.name}:{node.lineno}: {node.value[:60]}")
    assert typed == []
    assert HAND_TYPED.search("render samples (default 16)")  # what the test catches
    assert HAND_TYPED.search("show the time (default: on)")
    assert not HAND_TYPED.search("(default: one frame per sample)")  # a description


def test_help_defaults_come_from_the_options():
    assert default_text(True) == "default on" and default_text(0.08) == "default 0.08"
    helps = {a.dest: a.help for a in build_parser()._actions}
    assert helps["rest_lift"].endswith(f"{default_text(SpikeLook.rest_lift)})")


def _parsers():
    from neuroblend.atlas.render_options import AtlasRenderOptions
    from neuroblend.cli import colorbar, render_atlas, render_network, render_surface, render_units
    from neuroblend.colormaps.colorbar_options import ColorbarOptions
    from neuroblend.graph.render_options import NetworkRenderOptions
    from neuroblend.nwb.render_options import UnitsRenderOptions
    from neuroblend.surface.render_options import SurfaceRenderOptions

    bar = argparse.ArgumentParser()
    colorbar.add_arguments(bar)
    return [(SpikeLook, build_parser(), "spike"),
            (NetworkRenderOptions, render_network.build_parser(), "graph"),
            (SurfaceRenderOptions, render_surface.build_parser(), "surface"),
            (AtlasRenderOptions, render_atlas.build_parser(), "atlas"),
            (UnitsRenderOptions, render_units.build_parser(), "units"),
            (ColorbarOptions, bar, None)]


@pytest.mark.parametrize("case", range(6))
def test_each_table_makes_its_flags_and_look_keys(case):
    cls, parser, kind = _parsers()[case]
    flags = {a.dest: a for a in parser._actions}
    for r in rows(cls):
        action = flags[r.name]
        assert action.default == r.default and action.help.startswith(r.setting.help)
        assert r.flag in action.option_strings
        if kind:
            assert (r.name in SHOT_KINDS[kind].look) == r.setting.look
