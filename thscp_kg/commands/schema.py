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
    emit(cached_schema_text(), args.output)
    return 0


def cached_schema_text() -> str:
    """The JSON Schema text, from the compiled cache (thscp_kg/resources.py) keyed by the model's
    source and pydantic's release, so ``schema`` does not build the pydantic models (issue 16)."""
    import importlib.metadata

    from ..resources import cached, key_of

    package = Path(__file__).resolve().parent.parent
    key = key_of([package / "model.py", package / "load" / "schema.py"], "schema-1",
                 "pydantic " + importlib.metadata.version("pydantic"))

    def build() -> str:
        from ..load.schema import schema_text

        return schema_text()

    return cached("schema", key, build)
