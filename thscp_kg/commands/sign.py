"""thscp-kg sign: record that a lead safeguarding partner signed this year's report, against its content hash."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import DEFAULT_DATA, data_path, iso_date

NAME = "sign"
HELP = "record a lead safeguarding partner's sign-off of the report (in signoffs.yaml beside the data file)"

HEADER = """\
# Sign-offs of the yearly gap report, written by `thscp-kg sign` (thscp_kg/load/people.py).
# Each: the reporting year, the lead safeguarding partner who signed (post or person id), the date,
# and the content hash of the report they signed. `thscp-kg check` shows whether each still matches.
"""


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA,
                   help=f"the partnership-year file whose report was signed (default: {DEFAULT_DATA})")
    s.add_argument("--by", required=True, metavar="SIGNER",
                   help="the lead safeguarding partner who signed: their post id or person id")
    s.add_argument("--date", type=iso_date, help="the date of signature (default: today)")
    s.add_argument("--as-of", type=iso_date, help="as for check: the evaluation date of the report signed")
    s.add_argument("--stage", choices=["sign-off", "published"], help="as for check: the stage of the year")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..errors import ConfigError
    from ..load.people import SIGNOFFS, read_records
    from ..load.side_models import SignoffRecord
    from ..load.waivers import _lead_partner, vacant
    from ..output import write_atomic
    from ..pipeline import check_file

    data = data_path(args.data)
    check = check_file(data, as_of=args.as_of, stage=args.stage)
    a = check.assessment
    when = args.date or dt.date.today()
    signer = _lead_partner(args.by, check.loaded.year, when)
    if signer is None:
        raise ConfigError(f"'{args.by}' is not a lead safeguarding partner in {a.data_file} on {when}; nothing "
                          "was written.", fix="give --by a post id whose role is lead-safeguarding-partner, or "
                                              "the id of a person holding one.")
    if vacant(signer):
        raise ConfigError(f"the post '{args.by}' had no holder for certain on {when} in {a.data_file}, so no lead safeguarding "
                          "partner can sign as it; nothing was written.",
                          fix="record the post's holder in the data file (holders:), or give the date they held it.")
    target = data.parent / SIGNOFFS
    records = read_records(target, "signoffs")[0] if target.is_file() else []
    new = SignoffRecord(period=a.period, signer=args.by, date=when, report_hash=a.people_side["content_hash"])
    kept = [r for r in records if (r.period, r.signer) != (new.period, new.signer)]
    write_atomic(target, render(kept + [new]))
    print(f"Recorded in {target}: {args.by} signed the {a.period} report on {when} "
          f"(content hash {new.report_hash[:19]}…). The next 'thscp-kg check' shows whether it still matches.")
    return 0


def render(records) -> str:
    """The file's text: sorted, the same records give the same bytes."""
    lines = [HEADER, "signoffs:"]
    for r in sorted(records, key=lambda r: (r.period, r.date, r.signer)):
        lines += [f"  - period: {r.period}", f"    signer: {r.signer}", f"    date: {r.date.isoformat()}",
                  f"    report_hash: {r.report_hash}"]
    return "\n".join(lines) + "\n"
