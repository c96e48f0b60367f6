"""``python scripts/build_templates.py [--out DIR]``: the flags of the template build (a developer
tool, not a ``neuroblend`` command); the Blender job is ``neuroblend.blender.jobs.build_templates``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from neuroblend.errors import NeuroBlendError
from neuroblend.render_options import TemplateBuildOptions


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``scripts/build_templates.py``."""
    parser = argparse.ArgumentParser(
        prog="build_templates",
        description="Rebuild the template scenes in ``blend_templates/``: "
                    "``python scripts/build_templates.py``.")
    parser.add_argument("--out", type=Path, default=TemplateBuildOptions.out,
                        help=f"folder for the templates (default: {TemplateBuildOptions.out})")
    return parser


def main(argv: list[str]) -> int:
    """Parse ``argv`` and build the templates; returns the exit code (2: one-line error)."""
    from neuroblend.blender_runner import run_job

    args = build_parser().parse_args(argv)
    try:
        return run_job("build_templates", TemplateBuildOptions(out=args.out))
    except NeuroBlendError as exc:
        print(f"build_templates: error: {exc}", file=sys.stderr)
        return 2
