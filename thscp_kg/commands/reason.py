"""thscp-kg reason: OWL consistency of the ontology (with a partnership-year's graph) under HermiT."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import data_path, iso_date

NAME = "reason"
HELP = "check the ontology, and optionally a partnership-year's graph, is consistent (needs Java)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="?", type=Path, help="partnership-year YAML to include (default: the ontology alone)")
    p.add_argument("--as-of", type=iso_date)


def run(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from ..ontology import ontology_graph
    from ..reason.hermit import check_consistency

    graph = Graph()
    graph += ontology_graph()
    what = "the ontology"
    if args.data:
        from ..load.loader import load_partnership_year
        from ..pipeline import as_of_for, build_materialised
        from ..rules.profile import load_profile

        loaded = load_partnership_year(data_path(args.data))
        graph += build_materialised(loaded, load_profile(), as_of_for(loaded, args.as_of))
        what = f"the ontology with {loaded.file}"
    result = check_consistency(graph)
    if result.consistent:
        print(f"Consistent: {what} ({len(graph)} triples) under HermiT.")
        return 0
    print(f"Inconsistent: {what}. {result.detail or ''}".strip())
    for iri in result.unsatisfiable:
        print(f"  unsatisfiable class: {iri}")
    return 1
