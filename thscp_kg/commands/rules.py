"""thscp-kg rules / explain: the requirement catalogue."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from .common import emit, terminal_width

NAME = "rules"
HELP = "list the requirement catalogue"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def add_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("--area")
    r.add_argument("--edition")
    r.add_argument("--modality", help="MUST, MUST(g), SHOULD, GP or POWER (any case)")
    r.add_argument("--assessment", choices=["shacl", "graph", "manual"])
    r.add_argument("--changed-since", type=_date, metavar="DATE",
                   help="only entries whose text, parameters, verification or shapes changed on or after DATE "
                        "(catalogue/CHANGELOG.yaml), with what changed")
    r.add_argument("--hashes", action="store_true",
                   help="each entry's content hash and whether its latest changelog line records it")
    r.add_argument("--markdown", action="store_true", help="the full catalogue index as Markdown")
    r.add_argument("-o", "--output", type=Path, help="with --markdown: file to write (e.g. reports/requirements.md)")


def run(args: argparse.Namespace) -> int:
    if args.markdown or args.hashes:
        from ..rules.catalogue import load_catalogue

        if args.hashes:
            return _hashes(load_catalogue())
        from ..rules.index import render

        emit(render(load_catalogue()), args.output)
        return 0
    # The listing reads the plain copy of the validated catalogue: no pydantic import (rules/plain.py).
    from ..rules.plain import plain_catalogue

    catalogue = plain_catalogue()
    modality = args.modality.upper() if args.modality else None
    rows = [r for r in catalogue.active()
            if (not args.area or r.area == args.area) and (not args.edition or r.edition == args.edition)
            and (not modality or r.modality.upper() == modality)
            and (not args.assessment or r.assessment == args.assessment)]
    if args.changed_since:
        from ..rules.plain import plain_changelog

        lines = plain_changelog().since(args.changed_since)
        changed = {}
        for line in lines:
            changed.setdefault(line.requirement, []).append(line)
        rows = [r for r in catalogue.requirements if r.id in changed
                and (not args.area or r.area == args.area) and (not args.edition or r.edition == args.edition)
                and (not modality or r.modality.upper() == modality)
                and (not args.assessment or r.assessment == args.assessment)]
        for r in sorted(rows, key=lambda r: r.id):
            print(_row(r, terminal_width()))
            for line in changed[r.id]:
                print(f"    {line.date} [{', '.join(line.changed)}] {line.change}")
        profile_lines = [line for key, ls in sorted(changed.items()) if key.startswith("profile:") for line in ls]
        for line in profile_lines:
            print(f"{line.requirement}\n    {line.date} [{', '.join(line.changed)}] {line.change}")
        print(f"{len(rows)} requirement(s) changed since {args.changed_since.isoformat()}"
              + (f" (and {len(profile_lines)} profile change(s))" if profile_lines else ""))
        return 0
    width = terminal_width()
    for r in rows:
        print(_row(r, width))
    print(f"{len(rows)} requirement(s)")
    return 0


def _row(r, width: int | None = None) -> str:
    """One requirement; ``width`` (a terminal's): its title wrapped under the title column."""
    extra = f"  [not in force until commencement.{r.commences}]" if r.commences else ""
    line = f"{r.id:13} {r.modality:8} {r.severity:9} {r.verification:5} {r.assessment:6} {r.title}{extra}"
    if width is None or len(line) <= width:
        return line
    import textwrap

    indent = _TITLE_COLUMN if width - _TITLE_COLUMN >= 20 else 4
    return "\n".join(textwrap.wrap(line, width, subsequent_indent=" " * indent, break_long_words=False,
                                   break_on_hyphens=False)) or line


_TITLE_COLUMN = 13 + 1 + 8 + 1 + 9 + 1 + 5 + 1 + 6 + 1   # where _row's title starts


def _hashes(catalogue) -> int:
    from ..rules.changelog import current_hashes, load_changelog
    from ..validate.shapes import shapes_graph

    changelog = load_changelog()
    stale = 0
    for req_id, digest in sorted(current_hashes(catalogue, shapes_graph()).items()):
        latest = changelog.latest(req_id)
        state = "recorded" if latest is not None and latest.hash == digest else "CHANGED: add a changelog line"
        stale += state != "recorded"
        print(f"{req_id:13} {digest}  {state}")
    print(f"{stale} entr{'y' if stale == 1 else 'ies'} changed without a changelog line")
    return 1 if stale else 0
