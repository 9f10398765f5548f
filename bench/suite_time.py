"""The test suite's time against issue 16's last target: ``./run-tests`` in at most 2 minutes on 2 cores.

Runs ``./run-tests -q`` in this checkout and, with ``--old OLD``, in an older checkout too, taking turns
(OLD, this, OLD, this, ...) so that both meet the same load; prints each run's wall seconds, CPU seconds
(user + system of the whole process tree: pytest, its workers and every process they waited for, from
``os.wait4``), the tests passed and the load average before and after, then the medians and the target
with ✓/✗. Never a timed test: a slow machine does not fail the suite.

    .venv/bin/python bench/suite_time.py [--old OLD] [--reps N] [-- PYTEST ARGS]

OLD is a ``git archive`` of the old commit with this checkout's ``.venv`` linked in (``ln -s``). That
venv's editable install imports this checkout's ``thscp_kg``, so the comparison is fair only when the
two commits' product code is the same (a change to the tests or pytest options, as in issue 16's suite
rounds); the CLI subprocesses import each checkout's own package.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120.0


def one_run(folder: Path, extra: list[str]) -> dict:
    before = os.getloadavg()
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen([str(folder / "run-tests"), "-q", "-p", "no:cacheprovider", *extra], cwd=folder,
                                stdout=subprocess.PIPE, stderr=null)
        out = proc.stdout.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    summary = re.findall(r"^=*\s*(\d+ (?:passed|failed|error).*?)\s*=*$", out, flags=re.MULTILINE)
    return {"folder": folder, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "code": os.waitstatus_to_exitcode(status),
            "summary": "; ".join(re.findall(r"^(?:FAILED|ERROR) \S+", out, flags=re.MULTILINE)
                                 + summary[-1:]) if summary else out[-200:].strip(),
            "load": (before[0], os.getloadavg()[0])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, help="an older checkout to run in turn with this one")
    parser.add_argument("--reps", type=int, default=1, help="runs of each checkout (default 1)")
    args, extra = parser.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    folders = ([args.old.resolve()] if args.old else []) + [ROOT]
    runs: dict[Path, list[dict]] = {f: [] for f in folders}
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, {os.cpu_count()} cores", flush=True)
    for _ in range(args.reps):
        for folder in folders:
            r = one_run(folder, extra)
            runs[folder].append(r)
            name = "OLD" if folder != ROOT else "this"
            print(f"{name:4s} {time.strftime('%H:%M', time.gmtime())} UTC  wall {r['wall']:6.1f} s  "
                  f"CPU {r['cpu']:6.1f} s  load {r['load'][0]:.2f} -> {r['load'][1]:.2f}  exit {r['code']}  "
                  f"{r['summary']}", flush=True)
    failed = False
    for folder in folders:
        name = "OLD" if folder != ROOT else "this"
        wall = statistics.median(r["wall"] for r in runs[folder])
        cpu = statistics.median(r["cpu"] for r in runs[folder])
        failed |= any(r["code"] != 0 for r in runs[folder])
        line = f"{name:4s} median wall {wall:6.1f} s, CPU {cpu:6.1f} s"
        if folder == ROOT:
            line += f"  target ≤ {TARGET_SECONDS:.0f} s: {wall / TARGET_SECONDS:.2f}× {'✓' if wall <= TARGET_SECONDS else '✗'}"
        print(line)
    if args.old:
        pairs = list(zip(runs[folders[0]], runs[ROOT]))
        print(f"this ÷ OLD, median of pairs: wall {statistics.median(b['wall'] / a['wall'] for a, b in pairs):.2f}×, "
              f"CPU {statistics.median(b['cpu'] / a['cpu'] for a, b in pairs):.2f}×")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
