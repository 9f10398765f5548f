"""thscp-kg schema: the JSON Schema of the data format, for editors."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import emit

NAME = "schema"
HELP = "write the JSON Schema of the data format"


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("-o", "--output", type=Path, help="default: standard output")


def run(args: argparse.Namespace) -> int:
    from ..load.schema import schema_text

    emit(schema_text(), args.output)
    return 0
