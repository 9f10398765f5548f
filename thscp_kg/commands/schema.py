"""thscp-kg schema: the JSON Schema of the data format, for editors."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "schema"
HELP = "write the JSON Schema of the data format"


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("-o", "--output", type=Path, help="default: standard output")


def run(args: argparse.Namespace) -> int:
    from ..output import write_atomic
    from ..schema import schema_text

    text = schema_text()
    if args.output:
        write_atomic(args.output, text)
        print(f"Wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
