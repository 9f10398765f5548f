"""thscp-kg new-year DATA.yaml PERIOD: start next year's data file from this year's lasting facts."""
from __future__ import annotations

import argparse
from pathlib import Path

NAME = "new-year"
HELP = "write next year's data file: lasting facts carried forward, the year's facts as placeholders"


def add_arguments(n: argparse.ArgumentParser) -> None:
    n.add_argument("data", type=Path, help="this year's partnership-year file, e.g. data/tower-hamlets/2023-24.yaml")
    n.add_argument("period", help="the new period, e.g. 2024-25")
    n.add_argument("-o", "--output", type=Path,
                   help="file to write (default: <period>.yaml beside the data file)")
    n.add_argument("--force", action="store_true", help="overwrite the output file if it exists")


def run(args: argparse.Namespace) -> int:
    from ..errors import ConfigError
    from ..load.loader import load_partnership_year
    from ..output import write_all
    from ..years.carry_actions import carry
    from ..years.new_year import scaffold, skipped_periods

    loaded = load_partnership_year(args.data)
    output = args.output or args.data.parent / f"{args.period}.yaml"
    if output.exists() and not args.force:
        raise ConfigError(f"{output} already exists; nothing was written.",
                          fix="choose another --output, or add --force to overwrite it.")
    text = scaffold(loaded, args.period, output.parent)
    skipped = skipped_periods(loaded.year.period.id, args.period)
    files = {output: text}
    actions = carry(args.data.parent, loaded.year.period.id, args.period)
    if actions is not None:  # the action plan: what is not done moves into the new year
        files[args.data.parent / "actions.yaml"] = actions[0]
    write_all(files)
    if skipped:  # allowed (a year may be recorded later), but the gap is usually a typing slip
        import sys
        print(f"thscp-kg: warning: {args.period} does not follow {loaded.year.period.id}: "
              f"{', '.join(skipped)} {'is' if len(skipped) == 1 else 'are'} skipped. Check the period, or record "
              f"the skipped year(s) from their own sources.", file=sys.stderr)
    print(f"Wrote {output}: lasting facts from {loaded.year.period.id} carried forward; fill in the year's "
          f"facts (see the comments), then run: thscp-kg check {output}")
    if actions is not None:
        print(f"Carried {actions[1]} action(s) not done into {args.period} in {args.data.parent / 'actions.yaml'}.")
    return 0
