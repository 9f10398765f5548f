"""thscp-kg quotes DATA: every evidence quote looked up in its source (PDF, Word, HTML or text)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import DEFAULT_DATA, data_path

NAME = "quotes"
HELP = "check that every evidence quote in a data file is in its source document (with the PDF page)"


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA, help=f"data file (default: {DEFAULT_DATA})")
    c.add_argument("--sources", type=Path, metavar="DIR",
                   help="folder the sources' 'file:' paths are read from (default: the data file's folder, "
                        "as check reads them)")
    c.add_argument("-v", "--verbose", action="store_true", help="list every quote with where it was found")


def run(args: argparse.Namespace) -> int:
    from ..documents.quotes import check_loaded_quotes
    from ..load.loader import load_partnership_year

    data = data_path(args.data)
    loaded = load_partnership_year(data)
    folder = args.sources or data.parent  # 'file:' paths are relative to the data file (sources/<name>)
    checks = check_loaded_quotes(loaded, folder)
    missing = [c for c in checks if c.where is None]
    for c in checks if args.verbose else missing:
        place = c.where or "NOT FOUND"
        print(f"{loaded.document.file}:{c.line or '?'}: {c.file} {place}: “{c.quote}”")
    print(f"{len(checks) - len(missing)} of {len(checks)} quotes found in their sources "
          f"(compared after normalisation: thscp_kg/documents/normalise.py).", file=sys.stderr if missing else sys.stdout)
    return 1 if missing else 0
