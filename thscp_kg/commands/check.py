"""thscp-kg check: validate a partnership-year and write the gap report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import DEFAULT_DATA, data_path, iso_date

NAME = "check"
HELP = "validate a partnership-year and write the gap report"
FILE_FORMATS = {"md": "gap-report.md", "json": "gap-report.json", "txt": "gap-report.txt",
                "ttl": "validation-report.ttl"}


def _formats(text: str) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in FILE_FORMATS and n != "text"]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad)}; choose from text, "
                                         + ", ".join(FILE_FORMATS))
    return names


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA,
                   help=f"partnership-year YAML (default: {DEFAULT_DATA})")
    c.add_argument("--as-of", type=iso_date, help="evaluation date (default: the file's as_of, else the period end)")
    c.add_argument("--format", type=_formats, action="append",
                   help="report files to write: md, json, txt, ttl (comma-separated or repeated; default md,json)")
    c.add_argument("--output-dir", type=Path, help="folder for reports (default reports/<partnership>/<period>)")
    c.add_argument("--fail-on", choices=["violation", "warning", "info", "never"], default="violation",
                   help="lowest severity that makes the exit code 1 (default violation)")
    c.add_argument("--profile", type=Path, help="edition profile YAML (default catalogue/profiles/default.yaml)")
    c.add_argument("--requirement", action="append", help="check only this requirement id (repeatable)")
    c.add_argument("-q", "--quiet", action="store_true", help="no terminal summary")


def run(args: argparse.Namespace) -> int:
    from ..rdfio import deterministic_turtle
    from ..output import safe_child, write_all
    from ..pipeline import check_file
    from ..report import render

    formats = sorted({f for group in (args.format or [["md", "json"]]) for f in group})
    check = check_file(data_path(args.data), as_of=args.as_of, profile_path=args.profile,
                       requirement_ids=args.requirement)
    a = check.assessment
    out_dir = args.output_dir or Path("reports") / a.partnership / a.period
    files: dict[Path, str | bytes] = {}
    for fmt in formats:
        if fmt == "text":
            continue
        target = safe_child(out_dir, FILE_FORMATS[fmt])
        if fmt == "ttl":
            files[target] = deterministic_turtle(check.results)
        else:
            files[target] = render(a, "text" if fmt == "txt" else fmt)
    write_all(files)
    if not args.quiet:
        sys.stdout.write(render(a, "text"))
        for path in sorted(files):
            print(f"Wrote {path}")
    failing = a.failing(args.fail_on)
    if failing and not args.quiet:
        print(f"Exit 1: {len(failing)} finding(s) at or above '{args.fail_on}' "
              "(unverified requirements, status M or C, never fail the run).")
    return 1 if failing else 0
