"""Shared argument helpers for the command modules."""
from __future__ import annotations

import difflib

import argparse
import datetime as dt
from pathlib import Path

DEFAULT_DATA = Path("data/tower-hamlets/2023-24.yaml")


def iso_date(text: str) -> dt.date:
    from ..model_values import year_in_range

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


def output_dir(text: str) -> Path:
    """argparse type for --output-dir: refuses "" (which would mean the working directory)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the folder name is empty; name a folder, e.g. --output-dir reports")
    return Path(text)


def check_requirement_ids(ids: list[str] | None, known: list[str]) -> None:
    """Raise ConfigError naming the first unknown --requirement id (and the closest known one)."""
    from ..errors import ConfigError

    for requirement in ids or []:
        if requirement not in known:
            close = difflib.get_close_matches(requirement, known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? " if close else ""
            raise ConfigError(f"--requirement {requirement}: no requirement has this id.",
                              fix=f"{hint}list the ids with 'thscp-kg rules'.")


def terminal_width() -> int | None:
    """The width to wrap a summary to when it goes to a terminal; None when standard output is a file,
    a pipe or a CI log, which get each line whole (the same bytes wherever they are made)."""
    import shutil
    import sys

    if not sys.stdout.isatty():
        return None
    return max(40, shutil.get_terminal_size().columns)
