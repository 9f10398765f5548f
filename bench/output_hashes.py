"""Hashes of everything `thscp-kg check` writes, to show an optimisation changed no byte (issue 16).

    .venv/bin/python bench/output_hashes.py --save /tmp/before.json    # before the change
    .venv/bin/python bench/output_hashes.py --compare /tmp/before.json # after: exit 1 on any difference

Each case is a fresh `python -m thscp_kg check` process (the cold path, with the compiled cache as
the user has it) on THSCP 2023-24 (with its 2022-23 baseline) and two tests/partnerships fixtures,
with several --format choices (the default outputs, json alone, json,md,html,text, every format);
it hashes every file written, the standard output and the exit code. A second pass with the cache
turned off (THSCP_KG_CACHE_DIR=off) must give the same hashes: the cache changes no output.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ["data/tower-hamlets/2023-24.yaml", "tests/partnerships/harrowdale/2021-22.yaml",
          "tests/partnerships/fenmoor/2024-25.yaml"]
FORMATS = [None, "json", "json,md,html,text", "md,json,html,sarif,junit,txt,ttl,text"]


def run_case(data: str, fmt: str | None, env: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="thscp-hashes-") as tmp:
        cmd = [sys.executable, "-m", "thscp_kg", "check", data, "--output-dir", tmp]
        if fmt:
            cmd += ["--format", fmt]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, env=env)
        out = {"exit": proc.returncode,
               # the summary names the temporary folder: hash it with the folder replaced
               "stdout": hashlib.sha256(proc.stdout.replace(tmp.encode(), b"OUT")).hexdigest(),
               "stderr": hashlib.sha256(proc.stderr.replace(tmp.encode(), b"OUT")).hexdigest()}
        for path in sorted(Path(tmp).rglob("*")):
            if path.is_file():
                out[path.relative_to(tmp).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        return out


def hashes(cache: str | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if cache is not None:
        env["THSCP_KG_CACHE_DIR"] = cache
    return {f"{data} --format {fmt or '(default)'}": run_case(data, fmt, env) for data in INPUTS for fmt in FORMATS}


def diff(a: dict, b: dict) -> list[str]:
    out = []
    for case in sorted(set(a) | set(b)):
        x, y = a.get(case, {}), b.get(case, {})
        for name in sorted(set(x) | set(y)):
            if x.get(name) != y.get(name):
                out.append(f"{case}: {name}: {x.get(name)} != {y.get(name)}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", type=Path, help="write the hashes here")
    ap.add_argument("--compare", type=Path, help="compare with hashes saved earlier; exit 1 on a difference")
    args = ap.parse_args()
    warm = hashes(None)
    with tempfile.TemporaryDirectory(prefix="thscp-cache-") as cold_cache:
        fresh = hashes(cold_cache)   # an empty cache: built this run
        again = hashes(cold_cache)   # the same cache, now warm
    off = hashes("off")
    problems = [f"cache off vs user cache: {d}" for d in diff(off, warm)]
    problems += [f"cache off vs fresh cache: {d}" for d in diff(off, fresh)]
    problems += [f"cache off vs warm cache: {d}" for d in diff(off, again)]
    if args.save:
        args.save.write_text(json.dumps(warm, indent=1, sort_keys=True))
    if args.compare:
        problems += [f"saved vs now: {d}" for d in diff(json.loads(args.compare.read_text()), warm)]
    files = sum(len(v) - 3 for v in warm.values())
    for p in problems:
        print(p)
    print(f"{len(warm)} cases, {files} report files hashed; "
          + ("identical" if not problems else f"{len(problems)} difference(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
