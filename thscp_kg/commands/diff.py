"""thscp-kg diff OLD NEW: what changed between two partnership-year files.

Findings new, resolved and persisting (matched by requirement, entity, value and check), and
changes in partners, posts and their holders, groups, linked boards and funding by
contributor. OLD is usually last year's file or the base branch's copy of NEW. Waivers apply
to NEW only (waivers.yaml next to it, or --waivers); OLD is checked without waivers.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import emit, terminal_width

NAME = "diff"
HELP = "compare two partnership-year files: new, resolved and persisting findings, and what changed"


def add_arguments(d: argparse.ArgumentParser) -> None:
    d.add_argument("old", type=Path, help="the older file (last year, or the base branch's copy)")
    d.add_argument("new", type=Path, help="the newer file")
    d.add_argument("--format", choices=["text", "json"], default="text")
    d.add_argument("-o", "--output", type=Path, help="write to this file (default: standard output)")
    d.add_argument("--profile", type=Path, help="edition profile YAML (default catalogue/profiles/default.yaml)")
    d.add_argument("--requirement", action="append", help="compare only this requirement id (repeatable)")
    waivers = d.add_mutually_exclusive_group()
    waivers.add_argument("--waivers", type=Path, metavar="FILE", help="waiver file for NEW (default: next to NEW)")
    waivers.add_argument("--no-waivers", action="store_true", help="apply no waivers")
    d.add_argument("--fail-on-new", choices=["violation", "warning", "info", "never"], default="never",
                   help="exit 1 when NEW has a new, unwaived finding at or above this severity (default never)")


def run(args: argparse.Namespace) -> int:
    from ..pipeline import check_file
    from ..years.diff import diff_runs, new_failing, render_text

    old = check_file(args.old, profile_path=args.profile, requirement_ids=args.requirement, use_waivers=False)
    new = check_file(args.new, profile_path=args.profile, requirement_ids=args.requirement,
                     waivers=args.waivers, use_waivers=not args.no_waivers)
    result = diff_runs(old, new)
    failing = new_failing(old.assessment.findings, new.assessment.findings, args.fail_on_new)
    if args.format == "json":
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(result, width=None if args.output else terminal_width())
    emit(text, args.output)
    if failing:
        print(f"Exit 1: {len(failing)} new finding(s) at or above '{args.fail_on_new}'.", file=sys.stderr)
    return 1 if failing else 0
