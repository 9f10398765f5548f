"""thscp-kg rules / explain: the requirement catalogue."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import emit

NAME = "rules"
HELP = "list the requirement catalogue"


def add_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("--area")
    r.add_argument("--edition")
    r.add_argument("--modality")
    r.add_argument("--assessment", choices=["shacl", "graph", "manual"])
    r.add_argument("--markdown", action="store_true", help="the full catalogue index as Markdown")
    r.add_argument("-o", "--output", type=Path, help="with --markdown: file to write (e.g. reports/requirements.md)")


def run(args: argparse.Namespace) -> int:
    from ..rules.catalogue import load_catalogue

    if args.markdown:
        from ..rules.index import render
    
        emit(render(load_catalogue()), args.output)
        return 0
    rows = [r for r in load_catalogue().active()
            if (not args.area or r.area == args.area) and (not args.edition or r.edition == args.edition)
            and (not args.modality or r.modality == args.modality)
            and (not args.assessment or r.assessment == args.assessment)]
    for r in rows:
        print(f"{r.id:13} {r.modality:8} {r.severity:9} {r.verification:4} {r.assessment:6} {r.title}")
    print(f"{len(rows)} requirement(s)")
    return 0
