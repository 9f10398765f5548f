"""Small files with hostile governance graphs: time, memory and report size of ``thscp-kg check``.

    .venv/bin/python bench/hostile_graphs.py                 # chain, loop, dense at 1,000 and 4,000 groups
    .venv/bin/python bench/hostile_graphs.py --sizes 1000 --shapes loop --keep OUT

Each case is tests/bad_inputs/valid.yaml with its groups replaced by N generated ones (well under
the 1 MB file cap):

- ``chain``: a reporting chain N groups long, ending at the executive;
- ``loop``: N groups reporting to each other in one loop that never reaches the executive;
- ``dense``: N groups with the same member posts (every pair of groups overlaps).

Every run is a fresh process (``python -m thscp_kg check FILE --output-dir DIR``); its wall time
and peak memory come from ``os.wait4`` (the process under test, not this script), the report
size is the bytes written. Targets (issue 14): ≤ 10 s, ≤ 500 MB, reports ≤ 20 MB; a run is
killed after --limit seconds (DNF). The time target is judged on the CPU time of the process
under test (user + system, its children such as ``dot`` included): on a shared 2-core machine
the wall time mostly measures the other users (the load average is printed with the table). Prints a Markdown table with ✓/✗ and exits 1 if any target
is missed. A run may exit 0, 1 or 2: above the entity caps the checker refuses the file (exit 2)
with one line, which also meets the targets.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "bad_inputs" / "valid.yaml"
TARGET_SECONDS, TARGET_MB, TARGET_REPORT_MB = 10.0, 500.0, 20.0
SHAPES = ("chain", "loop", "dense")
EXTRA_POSTS = 3


def hostile_file(shape: str, n: int) -> str:
    """valid.yaml with N generated groups of the given shape (and a few extra posts for ``dense``)."""
    text = BASE.read_text(encoding="utf-8")
    head, rest = text.split("groups:\n", 1)
    tail = rest[rest.index("priorities:\n"):]
    posts = ["council-ceo"] + [f"member-{i}" for i in range(EXTRA_POSTS)]
    extra_posts = "".join(f"  - id: member-{i}\n    title: Member {i}\n    organisation: council\n"
                          for i in range(EXTRA_POSTS))
    head = head.rstrip("\n") + "\n" + extra_posts
    lines = ["groups:", "  - id: executive", "    name: Executive Group", "    kind: executive",
             "    chair: council-ceo", "    member_posts: [council-ceo]"]
    for i in range(n - 1):  # N groups in all, the executive included
        if shape == "chain":
            parent = "executive" if i == 0 else f"g{i - 1}"
        elif shape == "loop":
            parent = f"g{(i + 1) % (n - 1)}"
        else:
            parent = "executive"
        members = posts if shape == "dense" else ["council-ceo"]
        lines += [f"  - id: g{i}", f"    name: Group {i}", "    kind: sub-group", f"    reports_to: {parent}",
                  "    chair: council-ceo", f"    member_posts: [{', '.join(members)}]"]
    tail = tail.replace("delivered_by: learning", "delivered_by: g0").replace("owner_group: learning",
                                                                              "owner_group: g0")
    return head + "\n".join(lines) + "\n" + tail


def measure(path: Path, out: Path, limit: float) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with open(out.with_suffix(".stderr"), "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "thscp_kg", "check", str(path), "--output-dir", str(out),
                                 "-q", "--no-baseline", "--no-waivers"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        killer = threading.Timer(limit, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.exists() else 0
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    message = out.with_suffix(".stderr").read_text("utf-8", "replace").strip().splitlines()
    return {"code": code, "seconds": wall, "cpu": usage.ru_utime + usage.ru_stime, "mb": rss / 2**20, "report_mb": size / 2**20,
            "dnf": code < 0, "message": message[-1] if message else ""}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200,1000,4000", help="group counts, comma-separated (200: the cap)")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--limit", type=float, default=120.0, help="kill a run after this many seconds")
    ap.add_argument("--keep", type=Path, help="keep the generated files and reports in this folder")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="thscp-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    rows, ok = [], True
    for shape in args.shapes.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            case = work / f"{shape}-{n}"
            case.mkdir(exist_ok=True)
            data = case / "2024-25.yaml"
            data.write_text(hostile_file(shape, n), encoding="utf-8")
            r = measure(data, case / "reports", args.limit)
            passed = (not r["dnf"] and r["cpu"] <= TARGET_SECONDS and r["mb"] <= TARGET_MB
                      and r["report_mb"] <= TARGET_REPORT_MB and r["code"] in (0, 1, 2))
            ok &= passed
            rows.append((shape, n, data.stat().st_size / 1024, r, passed))
            print(f"{shape} {n}: exit {r['code']}, {r['seconds']:.1f} s, {r['mb']:.0f} MB, "
                  f"reports {r['report_mb']:.2f} MB {'✓' if passed else '✗'} {r['message'][:160]}", file=sys.stderr)
    print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.\n")
    print(f"| Case | Groups | File | Exit | Wall time | CPU time (≤ {TARGET_SECONDS:g} s) | Peak memory (≤ {TARGET_MB:g} MB) "
          f"| Reports (≤ {TARGET_REPORT_MB:g} MB) | |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for shape, n, kb, r, passed in rows:
        seconds = f"DNF (> {args.limit:g} s)" if r["dnf"] else f"{r['seconds']:.1f} s"
        print(f"| {shape} | {n:,} | {kb:.0f} KB | {r['code']} | {seconds} | {r['cpu']:.1f} s | {r['mb']:.0f} MB | "
              f"{r['report_mb']:.2f} MB | {'✓' if passed else '✗'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
