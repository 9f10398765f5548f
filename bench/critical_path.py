"""Cold `check` of an older checkout and this one, interleaved: wall time, CPU of every process, and the
main process's own CPU (issue 16, decision 0027).

    git archive COMMIT | tar -x -C OLD        # the older code, in a folder outside any worktree
    .venv/bin/python bench/critical_path.py OLD 6

Since decision 0027 a command-line `check` forks children (the baseline year, the report Turtle) that
run beside the main process. The main process's own CPU seconds are then its critical path on a machine
whose second core is free: on a loaded machine the wall time cannot show what a second core gives, and
the CPU of all processes adds the children's work to the main process's. Each run is a fresh process
started through a small driver that calls ``cli.main()`` as ``python -m thscp_kg`` does (so it may fork)
and, at exit, writes its own and its reaped children's CPU (``getrusage``); medians are printed with the
load average at the start and the end.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"json": ["check", "-q", "--format", "json"], "default": ["check", "-q"]}
DRIVER = r"""
import atexit, os, resource, sys
def done():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(os.environ["CRITICAL_PATH_OUT"], "w") as f:
        f.write(f"{own.ru_utime + own.ru_stime} {kids.ru_utime + kids.ru_stime}")
atexit.register(done)
sys.argv = ["thscp-kg"] + sys.argv[1:]
from thscp_kg.cli import main
sys.exit(main())
"""


def main() -> int:
    from before_after import checkouts   # bench/ is on the path when a bench script runs

    roots, reps = checkouts(sys.argv[1:], "bench/critical_path.py OLD [REPS]")
    out = Path(tempfile.mkdtemp(prefix="thscp-critical-path-"))
    runs: dict[tuple[str, str], list[tuple[float, float, float]]] = {(w, c): [] for w in roots for c in COMMANDS}
    start = os.getloadavg()
    for _ in range(reps):
        for c, args in COMMANDS.items():
            for w, root in roots.items():
                report = out / "rusage"
                env = {**os.environ, "PYTHONPATH": str(root), "CI": "1", "CRITICAL_PATH_OUT": str(report)}
                t = time.perf_counter()
                subprocess.run([sys.executable, "-c", DRIVER, *args, "--output-dir", str(out / f"{w}-{c}")],
                               cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wall = time.perf_counter() - t
                own, children = map(float, report.read_text().split())
                runs[(w, c)].append((wall, own + children, own))
    end = os.getloadavg()
    print(f"load average at the start {start[0]:.2f}, at the end {end[0]:.2f}; n={reps}; medians")
    print("| command | checkout | wall s | CPU s, every process | main process's own CPU s |\n|---|---|---|---|---|")
    for c in COMMANDS:
        for w in roots:
            wall, cpu, own = (statistics.median(r[k] for r in runs[(w, c)]) for k in range(3))
            print(f"| {c} | {w} | {wall:.3f} | {cpu:.3f} | {own:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
