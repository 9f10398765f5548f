"""thscp-kg draft SOURCE... [-o FILE | --into FILE]: propose a partnership-year from its documents."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from .common import emit

NAME = "draft"
HELP = "propose a partnership-year data file from the partnership's documents (PDF, Word, web pages, text)"


def _period(text: str) -> str:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a period; write it as 2023-24")
    return text


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("sources", nargs="+", type=Path, metavar="SOURCE",
                   help="the partnership's documents: yearly report, arrangements, cover reports, minutes")
    c.add_argument("--period", type=_period, help="the year to draft, e.g. 2023-24 (default: the most recent "
                                                  "yearly report's)")
    where = c.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="write the proposed file here (default: standard output)")
    where.add_argument("--into", type=Path, metavar="FILE",
                       help="an existing data file: print only what is new or different, as a unified diff "
                            "(FILE is not changed; apply the diff with 'patch' or by hand)")
    c.add_argument("--diff-output", type=Path, metavar="FILE", help="with --into: write the diff here")
    c.add_argument("--profile", type=Path, help="profile YAML (former bodies and guidance pattern for statements)")


def run(args: argparse.Namespace) -> int:
    import sys

    # Parsers are imported here, not at CLI start-up.
    from ..documents.draft import draft_year, render_yaml
    from ..documents.extract import read_document
    from ..documents.into import check_draft, diff_into
    from ..rules.profile import load_profile

    docs = [read_document(path, str(path)) for path in args.sources]
    target = args.into or args.output
    base = target.parent if target is not None else Path.cwd()  # where the file goes: paths relative to it
    data, notes = draft_year(docs, load_profile(args.profile).profile, args.period, base=base)
    for note in notes:
        print(f"thscp-kg: note: {note}", file=sys.stderr)
    text = render_yaml(data, [d.name for d in docs])
    check_draft(text, data["period"]["id"], base)  # the draft must load: a failure here is a bug, not bad input
    if args.into:
        emit(diff_into(args.into, data), args.diff_output)
        return 0
    emit(text, args.output, note=" (proposed: confirm each fact, then run 'thscp-kg check')")
    return 0
