"""Shared argument helpers for the command modules."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

DEFAULT_DATA = Path("data/tower-hamlets/2023-24.yaml")


def iso_date(text: str) -> dt.date:
    from ..input_limits import year_in_range

    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None
    if year_in_range(date):
        raise argparse.ArgumentTypeError(f"'{text}': {year_in_range(date)}")
    return date


def data_path(path: Path) -> Path:
    """The bundled default works from any folder: fall back to the checkout's copy."""
    if path == DEFAULT_DATA and not path.exists():
        from ..resources import repo_root
        bundled = repo_root() / DEFAULT_DATA
        if bundled.exists():
            return bundled
    return path


def emit(text: str, output: Path | None, note: str = "") -> None:
    """Write ``text`` atomically to ``output``, or to standard output when none is given."""
    import sys

    if output:
        from ..output import write_atomic

        write_atomic(output, text)
        print(f"Wrote {output}{note}")
    else:
        sys.stdout.write(text)
