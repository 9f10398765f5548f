"""thscp-kg build: the RDF graph of a partnership-year as Turtle (deterministic)."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import DEFAULT_DATA, data_path, emit, iso_date

NAME = "build"
HELP = "write the RDF graph of a partnership-year as Turtle"


def add_arguments(b: argparse.ArgumentParser) -> None:
    b.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    b.add_argument("-o", "--output", type=Path, help="Turtle file to write (default: standard output)")
    b.add_argument("--materialise", action="store_true",
                   help="include derived facts (editions, deadlines, day numbers)")
    b.add_argument("--as-of", type=iso_date)
    b.add_argument("--profile", type=Path)


def run(args: argparse.Namespace) -> int:
    from ..build.graph import build_graph
    from ..load.loader import load_partnership_year
    from ..pipeline import as_of_for, build_materialised
    from ..rdfio import deterministic_turtle
    from ..rules.profile import load_profile

    loaded = load_partnership_year(data_path(args.data))
    if args.materialise:
        graph = build_materialised(loaded, load_profile(args.profile), as_of_for(loaded, args.as_of))
    else:
        graph = build_graph(loaded)
    emit(deterministic_turtle(graph), args.output, f" ({len(graph)} triples)")
    return 0
