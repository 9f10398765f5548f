"""thscp-kg trend FOLDER: one partnership across its years — outcomes, funding, activity, reviews."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "trend"
HELP = "report a partnership across its yearly data files: outcomes, funding, activity, reviews"
FORMATS = ("md", "json", "html", "txt")
DEFAULT_FORMATS = ("md", "json", "html")


def _formats(text: str) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}")
    return names


def add_arguments(t: argparse.ArgumentParser) -> None:
    t.add_argument("folder", type=Path, help="folder of one partnership's YYYY-YY.yaml files, e.g. data/tower-hamlets/")
    t.add_argument("--output-dir", type=Path, help="folder for the trend files (default reports/<partnership>/trend)")
    t.add_argument("--format", type=_formats, action="append",
                   help=f"files to write: {', '.join(FORMATS)} (comma-separated or repeated; default "
                        f"{','.join(DEFAULT_FORMATS)})")
    t.add_argument("--profile", type=Path, help="edition profile YAML (default catalogue/profiles/default.yaml)")
    t.add_argument("-q", "--quiet", action="store_true", help="no terminal summary")


def run(args: argparse.Namespace) -> int:
    from ..output import safe_child, write_all
    from .common import terminal_width
    from ..years.trend import RENDERERS, build_trend, render_text

    formats = sorted({f for group in (args.format or [list(DEFAULT_FORMATS)]) for f in group})
    trend = build_trend(args.folder, profile_path=args.profile)
    out_dir = args.output_dir or Path("reports") / trend["partnership"] / "trend"
    files = {safe_child(out_dir, RENDERERS[fmt][0]): RENDERERS[fmt][1](trend) for fmt in formats}
    write_all(files)
    if not args.quiet:
        sys.stdout.write(render_text(trend, width=terminal_width()))
        for path in sorted(files):
            print(f"Wrote {path}")
    return 0
