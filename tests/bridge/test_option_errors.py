"""Errors about one option: the bpy layer's text names no flag (add-on users have none), the
command line adds it."""

from __future__ import annotations

from neuroblend.cli import inspect as inspect_command
from neuroblend.cli import main
from neuroblend.errors import NeuroBlendError, OptionError, command_line_text


def test_the_command_line_text_ends_with_the_options_flag():
    exc = OptionError("max_bake_mb", "the texture is too big")
    assert str(exc) == "the texture is too big"
    assert command_line_text(exc) == "the texture is too big (--max-bake-mb)"
    assert command_line_text(NeuroBlendError("plain")) == "plain"


def test_the_cli_prints_the_flag_of_an_option_error(monkeypatch, capsys, tmp_path):
    def fail(args):
        raise OptionError("frames", "the 'dolly' camera needs a frame range")

    monkeypatch.setattr(inspect_command, "run", fail)
    assert main(["inspect", str(tmp_path / "x.pkl")]) == 2
    err = capsys.readouterr().err
    assert err == ("neuroblend inspect: error: the 'dolly' camera needs a frame range "
                   "(--frames)\n")
