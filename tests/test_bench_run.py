"""bench/run.py's process runner (issue 16): a child that writes more than a pipe buffer must
finish, not hang until the timeout (``schema`` writes 78 KB; the cold run used to fail on it)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench_run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_child_reads_output_larger_than_a_pipe_buffer():
    run = _bench_run()
    code = "import sys; sys.stdout.write('x' * 300_000); sys.stderr.write('e' * 100_000); sys.exit(3)"
    r = run.run_child([sys.executable, "-c", code], timeout=60)
    assert not r["dnf"]
    assert r["rc"] == 3
    assert len(r["stdout"]) == 300_000 and len(r["stderr"]) == 100_000
    assert r["wall_s"] < 60 and r["maxrss_mb"] > 0


def test_run_child_kills_past_the_timeout():
    run = _bench_run()
    r = run.run_child([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert r["dnf"] is True
