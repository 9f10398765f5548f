"""Values refused before any work is done: command-line options and date bounds (issue 14 #12).

A typo must never turn a gate green or send reports somewhere unexpected: an unknown
``--requirement`` id is an error (not "0 met of 0 checked"), an empty ``--output-dir`` is an
error (not the working directory), and dates are bounded to years a partnership-year can have.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 2000, 2100  # working days are counted to these dates: bound them


def output_dir(text: str) -> Path:
    """argparse type for --output-dir: refuses "" (which would mean the working directory)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the folder name is empty; name a folder, e.g. --output-dir reports")
    return Path(text)


def year_in_range(value: dt.date) -> str | None:
    """Why the date's year is refused, or None when it is between FIRST_YEAR and LAST_YEAR."""
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return f"the year {value.year} is outside {FIRST_YEAR}–{LAST_YEAR}"


def check_requirement_ids(ids: list[str] | None, known: list[str]) -> None:
    """Raise ConfigError naming the first unknown --requirement id (and the closest known one)."""
    from .errors import ConfigError

    for requirement in ids or []:
        if requirement not in known:
            close = difflib.get_close_matches(requirement, known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? " if close else ""
            raise ConfigError(f"--requirement {requirement}: no requirement has this id.",
                              fix=f"{hint}list the ids with 'thscp-kg rules'.")
