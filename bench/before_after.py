"""Cold CLI start of an older checkout and this one, interleaved in one run (issue 16).

    git archive COMMIT | tar -x -C OLD        # the older code, in a folder outside any worktree
    .venv/bin/python bench/before_after.py OLD 5

Each round runs, for every command and for each checkout in turn, the import floor
(``python -c "import rdflib, pyshacl"``) and then the command, every one a fresh process with
PYTHONPATH set to that checkout; it prints the medians of the wall times and of the per-pair
ratios, and the load average at the start and the end. Both checkouts' bytecode is compiled
first (see bench/run.py ``cold_cli``). Ratios of the two checkouts come from the same rounds, so
they share the machine's load. It also prints each side's CPU seconds (user + system of the child,
medians) and their ratio to the floor's: on a loaded machine wall times stretch towards the
waiting, so wall ratios drift towards 1, while CPU seconds change much less.
"""
from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"json": ["check", "-q", "--format", "json"], "default": ["check", "-q"], "rules": ["rules"],
            "explain": ["explain", "WT23-LSP-03"]}


def _run(argv: list[str], root: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(argv, cwd=root, env={**os.environ, "PYTHONPATH": str(root), "CI": "1"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def checkouts(argv: list[str], usage: str) -> tuple[dict[str, Path], int]:
    """``OLD [REPS]`` from the command line: the two checkouts (bytecode compiled, as bench/run.py's
    ``cold_cli`` does) and the number of rounds. A wrong argument ends with the usage, not a traceback."""
    if not 1 <= len(argv) <= 2 or argv[0].startswith("-") or not (Path(argv[0]) / "thscp_kg").is_dir() \
            or (len(argv) == 2 and not argv[1].isdigit()):
        raise SystemExit(f"usage: {usage}\n  OLD: a folder holding an older checkout (git archive COMMIT | tar -x -C OLD); "
                         "REPS: rounds (default 5)")
    roots = {"before": Path(argv[0]).resolve(), "after": ROOT}
    for root in roots.values():
        compileall.compile_dir(str(root / "thscp_kg"), quiet=1)
    return roots, int(argv[1]) if len(argv) > 1 else 5


def main() -> int:
    roots, reps = checkouts(sys.argv[1:], "bench/before_after.py OLD [REPS]")
    out = Path(tempfile.mkdtemp(prefix="thscp-before-after-"))
    ratios = {(w, c): [] for w in roots for c in COMMANDS}
    walls = {(w, c): [] for w in roots for c in COMMANDS}
    cpus = {(w, c): [] for w in roots for c in COMMANDS}
    floors, floor_cpus = [], []
    start = os.getloadavg()
    for _ in range(reps):
        for c, args in COMMANDS.items():
            for w, root in roots.items():
                f, f_cpu = _run([sys.executable, "-c", "import rdflib, pyshacl"], root)
                extra = ["--output-dir", str(out / f"{w}-{c}")] if args[0] == "check" else []
                x, x_cpu = _run([sys.executable, "-m", "thscp_kg", *args, *extra], root)
                floors.append(f)
                floor_cpus.append(f_cpu)
                ratios[(w, c)].append(x / f)
                walls[(w, c)].append(x)
                cpus[(w, c)].append(x_cpu)
    end = os.getloadavg()
    print(f"load average at the start {start[0]:.2f}/{start[1]:.2f}/{start[2]:.2f}, at the end "
          f"{end[0]:.2f}/{end[1]:.2f}/{end[2]:.2f}; import floor median {statistics.median(floors):.3f} s "
          f"({statistics.median(floor_cpus):.3f} s CPU); n={reps}")
    floor_cpu = statistics.median(floor_cpus)
    print("| command | before s | before ratio | after s | after ratio | before CPU s (ratio) | after CPU s (ratio) |"
          "\n|---|---|---|---|---|---|---|")
    for c in COMMANDS:
        b, a = ("before", c), ("after", c)
        cb, ca = statistics.median(cpus[b]), statistics.median(cpus[a])
        print(f"| {c} | {statistics.median(walls[b]):.3f} | {statistics.median(ratios[b]):.2f}× | "
              f"{statistics.median(walls[a]):.3f} | {statistics.median(ratios[a]):.2f}× | "
              f"{cb:.3f} ({cb / floor_cpu:.2f}×) | {ca:.3f} ({ca / floor_cpu:.2f}×) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
