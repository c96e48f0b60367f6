"""The ``neuroblend`` command line: one module per command under ``neuroblend.cli``.

Each command module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``
and keeps heavy imports (NEURON, bpy, matplotlib) inside ``run`` so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

import neuroblend
from neuroblend.console import set_verbose
from neuroblend.errors import NeuroBlendError, command_line_text
from neuroblend.files.atomic import (
    OUTPUT_FLAGS,
    input_files,
    install_signal_cleanup,
    protect_inputs,
)

COMMANDS = {
    "demo": "neuroblend.cli.demo",
    "simulate": "neuroblend.cli.simulate",
    "simulate-network": "neuroblend.cli.simulate_network",
    "inspect": "neuroblend.cli.inspect",
    "heightmap": "neuroblend.cli.heightmap",
    "atlas": "neuroblend.cli.atlas",
    "render": "neuroblend.cli.render",
    "colorbar": "neuroblend.cli.colorbar",
    "clip": "neuroblend.cli.clip",
    "compose": "neuroblend.cli.compose",
    "film": "neuroblend.cli.film",
    "import": "neuroblend.cli.import_data",
}


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="neuroblend",
        description="Neuroscience data to film-quality Blender animations.",
    )
    parser.add_argument("--version", action="version", version=f"neuroblend {neuroblend.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def input_paths(args: argparse.Namespace) -> list[str]:
    """Every argument value that names an existing file and is not an output (the job
    arguments of ``render`` are scanned the same way, skipping the values of output flags)."""
    found = []
    for name, value in vars(args).items():
        if "--" + name.replace("_", "-") in OUTPUT_FLAGS or name.startswith("_"):
            continue
        found += input_files(list(value) if isinstance(value, (list, tuple)) else [value])
    return found


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``neuroblend`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    install_signal_cleanup()
    if getattr(args, "verbose", False):
        set_verbose(True)
    protect_inputs(input_paths(args))
    try:
        return int(args._run(args) or 0)
    except NeuroBlendError as exc:
        print(f"neuroblend {args.command}: error: {command_line_text(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"neuroblend {args.command}: interrupted", file=sys.stderr)
        return 130
