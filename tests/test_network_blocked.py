"""No network during a check: every input is local, so a full run must work with sockets refused.

The command runs in a subprocess where ``socket.socket.connect`` (and the name lookups) are
replaced by a function that raises, and an audit hook refuses the same operations at the C level
(so nothing can reach the network by a path the patch misses). Each attempt is also written to a
file, so an attempt that some library catches and ignores still fails the test.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, THSCP_2023_24

GUARD = r'''
import os, socket, sys

LOG = os.environ["THSCP_NETWORK_LOG"]
BLOCKED = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
           "socket.sendto", "urllib.Request", "http.client.connect"}


class NetworkBlocked(BaseException):  # not an Exception: no "except Exception" can swallow it
    pass


def refuse(what):
    with open(LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{what}\n")
    raise NetworkBlocked(f"network access attempted during a check: {what}")


def audit(event, args):
    if event in BLOCKED:
        refuse(f"{event} {args!r}"[:300])


def patched(name):
    return lambda *args, **kwargs: refuse(f"{name} {args!r}"[:300])


sys.addaudithook(audit)
socket.socket.connect = patched("socket.connect")
socket.socket.connect_ex = patched("socket.connect_ex")
socket.create_connection = patched("socket.create_connection")
socket.getaddrinfo = patched("socket.getaddrinfo")

if sys.argv[1] == "--probe":
    socket.create_connection(("example.org", 80), timeout=1)
else:
    from thscp_kg.cli import main
    sys.exit(main(sys.argv[1:]))
'''


def guarded(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "THSCP_NETWORK_LOG": str(log)}
    run = subprocess.run([sys.executable, "-c", GUARD, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    return run, log.read_text(encoding="utf-8") if log.exists() else ""


def test_the_guard_really_blocks_the_network(tmp_path):
    run, attempts = guarded(tmp_path, "--probe")
    assert run.returncode != 0 and "NetworkBlocked" in run.stderr
    assert "socket.create_connection" in attempts


def test_a_full_check_needs_no_network(tmp_path):
    out = tmp_path / "reports"
    run, attempts = guarded(tmp_path, "check", str(THSCP_2023_24), "--output-dir", str(out))
    assert attempts == "", attempts
    assert run.returncode in (0, 1), run.stderr  # 1 = findings, which THSCP 2023-24 has
    assert "Traceback" not in run.stderr
    assert (out / "gap-report.md").stat().st_size > 0 and (out / "gap-report.json").stat().st_size > 0


def test_building_the_materialised_graph_needs_no_network(tmp_path):
    ttl = tmp_path / "graph.ttl"
    run, attempts = guarded(tmp_path, "build", str(THSCP_2023_24), "--materialise", "-o", str(ttl))
    assert attempts == "", attempts
    assert run.returncode == 0, run.stderr
    assert ttl.stat().st_size > 0
