"""Render shot chunks for a Dask worker, one request after another, in one Blender (options:
:class:`~neuroblend.film.render_options.FilmServeOptions`; the worker's side is
:mod:`neuroblend.film.shot_server`).

A request names a shot's job file and a frame range; the shot is built only when the job differs
from the one built last, so a worker pays Blender's start and a shot's build once, not per chunk.
Each request gets one reply line: ``{"frames": N}`` or ``{"error": "..."}`` (the shot is then
built afresh for the next request).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

from neuroblend.blender.jobs.film_shot import build, render_frames
from neuroblend.film.render_options import FilmServeOptions
from neuroblend.job_options import options_from_argv

Options = FilmServeOptions


def run(options: FilmServeOptions) -> list[Path]:
    """Answer requests until the worker closes the connection; returns nothing written here."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(str(options.socket))
    built: tuple[str, object] | None = None
    with connection, connection.makefile("rw", encoding="utf-8") as channel:
        for line in channel:
            request = json.loads(line)
            try:
                text = Path(request["job_file"]).read_text()
                if built is None or built[0] != text:
                    built = None
                    print(f"film_serve: building {json.loads(text)['name']}", flush=True)
                    built = (text, build(json.loads(text)))
                frames = render_frames(built[1], json.loads(text), Path(request["out"]),
                                       int(request["first"]), int(request["last"]))
                reply: dict = {"frames": len(frames)}
            except Exception as exc:  # reported to the worker, which fails the chunk
                built = None
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            channel.write(json.dumps(reply) + "\n")
            channel.flush()
    return []


def main(argv: list[str]) -> int:
    """Entry point under ``blender -b`` (the options arrive as one JSON argument)."""
    run(options_from_argv(FilmServeOptions, argv))
    return 0
