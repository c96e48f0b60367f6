"""``neuroblend inspect FILE [--json]``: summary of a NeuroBlend file, or why it is not one."""

from __future__ import annotations

import json

HELP = "summarise a NeuroBlend file (or say precisely why it is not one)"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="a NeuroBlend .pkl file (or a legacy BlenderSpike pickle), "
                        "or a SONATA simulation/circuit config .json")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args) -> int:
    from neuroblend.files.fileformat import load_document, summarize
    from neuroblend.sonata.config import is_sonata_config

    if is_sonata_config(args.file):
        from neuroblend.sonata.summary import summarize_config

        summary = summarize_config(args.file)
    else:
        doc = load_document(args.file)
        summary = summarize(doc)
        if doc["format"] == "neuroblend.simulation":
            from neuroblend.network.render_budget import render_summary

            summary.update(render_summary(doc))  # what `render spike` accepts (networks)
    if args.json:
        print(json.dumps(summary, indent=2, default=_jsonable))
    else:
        print(format_summary(summary))
    return 0


def format_summary(summary: dict, indent: int = 0) -> str:
    """Human-readable nested ``key: value`` lines."""
    lines = []
    pad = "  " * indent
    for key, value in summary.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.append(format_summary(value, indent + 1))
        else:
            lines.append(f"{pad}{key}: {_jsonable(value)}")
    return "\n".join(line for line in lines if line)


def _jsonable(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    return value
