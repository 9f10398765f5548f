"""thscp-kg load: put partnership-years into the store (one named graph each)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .common import iso_date

NAME = "load"
HELP = "load partnership-years (materialised) into the store, for query and check --store"


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("data", nargs="+", type=Path,
                   help="partnership-year YAML files, or folders holding <partnership>/<yyyy-yy>.yaml files")
    where = c.add_mutually_exclusive_group()
    where.add_argument("--store", type=Path, metavar="DIR",
                       help="the embedded Oxigraph store's folder (default .thscp-store; created if missing)")
    where.add_argument("--endpoint", metavar="URL",
                       help="load into a SPARQL 1.1 endpoint instead (updates go to --update-endpoint)")
    c.add_argument("--update-endpoint", metavar="URL",
                   help="the endpoint's update URL (default: URL with /query or /sparql replaced by /update)")
    c.add_argument("--as-of", type=iso_date, help="evaluation date (default: each file's as_of, else its period end)")
    c.add_argument("--profile", type=Path, help="edition profile YAML (default catalogue/profiles/default.yaml)")
    c.add_argument("-j", "--jobs", type=int, default=0,
                   help="processes building files in parallel (default: the number of cores, for 4 files or more)")
    c.add_argument("-q", "--quiet", action="store_true", help="no summary")


def run(args: argparse.Namespace) -> int:
    from ..store.graph_store import data_files, load_files, open_backend
    from ..store.progress import Progress

    files = data_files(args.data)
    jobs = args.jobs or ((os.cpu_count() or 1) if len(files) >= 4 else 1)
    with open_backend(args.store, args.endpoint, update_endpoint=args.update_endpoint) as backend:
        with Progress(len(files), "Loading") as bar:
            stored = load_files(backend, files, as_of=args.as_of, profile_path=args.profile, jobs=jobs,
                                progress=bar)
        if not args.quiet:
            triples = sum(y.triples for y in stored)
            partnerships = len({y.partnership for y in stored})
            print(f"Loaded {len(stored)} partnership-year(s) of {partnerships} partnership(s), {triples} triples, "
                  f"into {backend.description}", file=sys.stdout)
    return 0
