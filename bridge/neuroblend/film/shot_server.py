"""A Dask worker's Blender for shot chunks: started on the worker's first shot chunk and kept for
the next ones, so Blender starts once per worker and a shot is built once per worker, not once
per chunk (the Blender side: :mod:`neuroblend.blender.jobs.film_serve`).

The two talk over a Unix socket in a private temporary folder, one JSON line each way per chunk.
Blender's own output goes to a log there, whose last lines explain a failure. The Blender
process dies with its worker; if it dies first, the chunk fails (Dask retries it) and the next
chunk starts a new one.
"""

from __future__ import annotations

import atexit
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from neuroblend.child_process import die_with_parent

_LOCAL = threading.local()  # one server per worker thread


class ShotServer:
    """One Blender serving shot chunks to this thread."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="neuroblend-shots-"))
        address = self.folder / "socket"
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(address))
        self.listener.listen(1)
        self.listener.settimeout(0.5)
        self.log = open(self.folder / "render.log", "wb")  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from neuroblend.film.shot_server import main; "
             "sys.exit(main(sys.argv[1:]))", str(address)],
            stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        self.channel = None
        atexit.register(self.close)

    def alive(self) -> bool:
        return self.process.poll() is None

    def render(self, job_file: str, first: int, last: int, out: Path) -> int:
        """Render frames ``first..last`` of the shot in ``job_file`` into ``out``."""
        channel = self._connect()
        channel.write(json.dumps({"job_file": job_file, "first": first, "last": last,
                                  "out": str(out)}) + "\n")
        channel.flush()
        line = channel.readline()
        if not line:
            raise RuntimeError(f"Blender stopped (exit {self.process.wait()}): {self._tail()}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"{reply['error']} | {self._tail()}")
        return int(reply["frames"])

    def _connect(self):
        while self.channel is None:
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                if not self.alive():
                    raise RuntimeError(f"Blender stopped before serving (exit "
                                       f"{self.process.returncode}): {self._tail()}") from None
                continue
            connection.settimeout(None)
            self.channel = connection.makefile("rw", encoding="utf-8")
        return self.channel

    def _tail(self) -> str:
        self.log.flush()
        lines = (self.folder / "render.log").read_text(errors="replace").strip().splitlines()
        return " | ".join(lines[-3:]) or "no output"

    def close(self) -> None:
        """Stop Blender and remove the folder."""
        if self.alive():
            self.process.kill()
            self.process.wait()
        for item in (self.channel, self.listener, self.log):
            if item is not None:
                item.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        atexit.unregister(self.close)


def render_on_server(job_file: str, first: int, last: int, out: Path) -> int:
    """Render a shot chunk on this thread's Blender (started if there is none or it died)."""
    server = getattr(_LOCAL, "server", None)
    if server is None or not server.alive():
        if server is not None:
            server.close()
        server = _LOCAL.server = ShotServer()
    return server.render(job_file, first, last, out)


def main(argv: list[str]) -> int:
    """The server process (``main([SOCKET])``): serve until the worker hangs up."""
    from neuroblend.blender_runner import run_job
    from neuroblend.film.render_options import FilmServeOptions

    return run_job("film_serve", FilmServeOptions(socket=Path(argv[0])))
