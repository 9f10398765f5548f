"""thscp-kg init PARTNERSHIP-ID: write a blank, commented starter for a new partnership."""
from __future__ import annotations

import argparse
from pathlib import Path

NAME = "init"
HELP = "start a new partnership: a blank data file with the questions to answer"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("partnership", help="the partnership's id: lowercase letters, digits, hyphens, e.g. north-borough")
    p.add_argument("--period", help="the reporting year, e.g. 2024-25 (default: the latest April-March year ended)")
    p.add_argument("--data-dir", type=Path, default=Path("data"),
                   help="folder of partnerships (default data); writes <data-dir>/<id>/<period>.yaml and sources/")
    p.add_argument("--force", action="store_true", help="overwrite the data file if it exists")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..errors import ConfigError
    from ..output import safe_child, write_all
    from ..years.starter import SOURCES_README, last_complete_year, starter

    period = args.period or last_complete_year(dt.date.today())
    text_check = starter(args.partnership, period, f"{args.data_dir}/{args.partnership}/{period}.yaml")
    folder = safe_child(args.data_dir, args.partnership)
    target = folder / f"{period}.yaml"
    if target.exists() and not args.force:
        raise ConfigError(f"{target} already exists; nothing was written.",
                          fix="edit it, choose another --period, or add --force to overwrite it.")
    files: dict[Path, str] = {target: text_check}
    readme = folder / "sources" / "README.md"
    if not readme.exists():
        files[readme] = SOURCES_README
    write_all(files)
    print(f"Wrote {target} and {folder / 'sources'}/: answer the questions in the comments, keep the documents "
          f"in sources/, then run: thscp-kg check {target}")
    return 0
