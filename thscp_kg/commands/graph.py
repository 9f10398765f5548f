"""thscp-kg graph: the governance and board-link diagram and the network measures."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import DEFAULT_DATA, data_path, iso_date

NAME = "graph"
HELP = "draw the governance and board-link diagram (SVG) and write the network measures"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA,
                   help=f"partnership-year YAML (default: {DEFAULT_DATA})")
    p.add_argument("--output-dir", type=Path, help="folder for the files (default reports/<partnership>/<period>)")
    p.add_argument("--as-of", type=iso_date, help="evaluation date (default: the file's as_of, else the period end)")
    p.add_argument("--profile", type=Path, help="edition profile YAML (default catalogue/profiles/default.yaml)")
    p.add_argument("--max-roles", type=_positive, default=2,
                   help="GOV-06: most groups and priorities one person may chair or lead (default 2)")
    p.add_argument("--layout", choices=["auto", "dot", "builtin"], default="auto",
                   help="auto: Graphviz dot when installed, else the built-in layout (default auto)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    from ..analysis.outputs import governance_outputs
    from ..load.loader import load_partnership_year
    from ..output import safe_child, write_all
    from ..pipeline import as_of_for, build_materialised
    from ..rules.catalogue import load_catalogue
    from ..rules.profile import load_profile

    loaded = load_partnership_year(data_path(args.data))
    rdf = build_materialised(loaded, load_profile(args.profile), as_of_for(loaded, args.as_of))
    out = governance_outputs(loaded, rdf, load_catalogue(), {"max_roles": args.max_roles}, args.layout)
    year = loaded.year
    out_dir = args.output_dir or Path("reports") / year.partnership.id / year.period.id
    files = {safe_child(out_dir, name): text for name, text in out.files.items()}
    write_all(files)
    if not args.quiet:
        counts = {s: sum(1 for f in out.run.findings if f.severity.value == s)
                  for s in ("violation", "warning", "info")}
        g = out.run.graph
        print(f"{year.partnership.name} — {year.period.id} (as of {g.graph.get('as_of')})")
        print(f"Governance graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; layout: {out.layout}")
        print(f"Graph findings: {counts['violation']} violation, {counts['warning']} warning, {counts['info']} info")
        for path in sorted(files):
            print(f"Wrote {path}")
    return 0
