"""Run the ``neuroblend`` CLI in a subprocess under an address-space limit; report exit code,
output, wall time and peak RSS (for the hostile-file suite and its benchmark)."""

from __future__ import annotations

import dataclasses
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ADDRESS_SPACE = 4 << 30  # 4 GiB
BRIDGE = Path(__file__).resolve().parents[1] / "bridge"


@dataclasses.dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    timed_out: bool


def _limit(address_space: int | None):
    def apply() -> None:
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    return apply


def start(args, cwd, address_space: int | None = ADDRESS_SPACE):
    """Start ``neuroblend ARGS`` in ``cwd``; returns (Popen, stdout file, stderr file)."""
    env = dict(os.environ, PYTHONPATH=str(BRIDGE), PYTHONUNBUFFERED="1")
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "neuroblend", *map(str, args)], cwd=cwd,
                            stdout=out, stderr=err, env=env, preexec_fn=_limit(address_space))
    return proc, out, err


def _own_peak_kb(pid: int) -> int:
    """The child's own peak RSS (VmHWM of its current, post-exec memory map), 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _peak_rss_mb(reported_kb: int, polled_kb: int) -> float:
    """Linux reports a forked child's peak as at least the parent's peak at fork time, so a
    child of a large test process (bpy loaded) looks large. Below the parent's own peak, trust
    the child's polled VmHWM instead."""
    parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (reported_kb if reported_kb > parent_kb else max(polled_kb, 1)) / 1024


def finish(proc, out, err, started: float, timeout: float = 30.0) -> Run:
    """Wait (up to ``timeout`` s, then kill) and collect a :class:`Run`."""
    timed_out = False
    polled_kb = 0
    while True:
        polled_kb = max(polled_kb, _own_peak_kb(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            timed_out = True
            proc.send_signal(signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    texts = []
    for f in (out, err):
        f.seek(0)
        texts.append(f.read().decode("utf-8", "replace"))
        f.close()
    return Run(proc.returncode, texts[0], texts[1], seconds,
               _peak_rss_mb(usage.ru_maxrss, polled_kb), timed_out)


def run_cli(args, cwd, timeout: float = 30.0, address_space: int | None = ADDRESS_SPACE) -> Run:
    """Run ``neuroblend ARGS`` to completion under the limits."""
    started = time.perf_counter()
    proc, out, err = start(args, cwd, address_space)
    return finish(proc, out, err, started, timeout)


def assert_clean_refusal(run: Run, *needles: str) -> None:
    """Exit 2 with one ``error:`` line, no traceback, no crash, no hang."""
    assert not run.timed_out, f"hung for {run.seconds:.0f} s"
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    errors = [ln for ln in run.stderr.splitlines() if "error:" in ln]
    assert len(errors) == 1, run.stderr[-2000:]
    for needle in needles:
        assert needle in errors[0], errors[0]
