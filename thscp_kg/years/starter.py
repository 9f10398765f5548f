"""The blank starter for a new partnership (``thscp-kg init``): a data file with no facts in it,
only the questions a business-unit officer answers, each beside the field it fills.

Nothing of Tower Hamlets (or any partnership) is in it: the few values a file cannot load
without are marked ``REPLACE``. The text is loaded before it is returned: a starter that does not
load is a bug, not the user's problem.
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from ..errors import ConfigError, UserError
from ..load.loader import load_partnership_year
from ..model_values import ID_PATTERN, PERIOD_PATTERN

STARTER = """\
# {pid}: partnership-year {period} (from {start} to {end}).
#
# Written by `thscp-kg init {pid}`. Answer the questions in the comments from your partnership's
# published documents; every fact you add cites where it comes from:
#   evidence: [{{source: <an id under sources>, section: "heading or page", quote: "exact words"}}]
# Keep each document (as text, HTML or the form you have) in the sources/ folder beside this file
# and name it under `sources:` as `file: sources/<name>`: `thscp-kg check` then looks every quote up.
# Leave out what the documents do not say: the checker reports it as "not evidenced", never as a
# failure of the partnership. Never record anything that could identify a child or family.
# The fields are described in schema/partnership-year.schema.json; run `thscp-kg check {path}`
# after each section.
schema_version: 1

partnership:
  id: {pid}
  # Q: What is the partnership's name, exactly as its arrangements and website give it?
  name: REPLACE with the partnership's published name
  # Q: Which local authority area(s) does it cover? One entry per area (a multi-area partnership
  #    lists each council's area).
  areas:
    - id: {pid}
      name: REPLACE with the area's name
  # Q: Where is the partnership's name stated? (e.g. its published arrangements)
  evidence: []

period:
  id: {period}
  start: {start}
  end: {end}

# Q: On what date is this information correct? (e.g. the meeting that receives the yearly report)
# as_of: YYYY-MM-DD

# Q: Which documents do the facts come from? (arrangements, yearly report, cabinet or committee
#    papers, scrutiny reports, web pages). One entry each; `file:` when you keep a copy.
sources:
  - id: partnership-website
    title: REPLACE with the title of the first document you use
    # url: https://...
    # file: sources/arrangements.txt
    # date: YYYY-MM-DD

# Q: Which organisations are the safeguarding partners (the council, the integrated care board,
#    the chief officer of police) and which relevant agencies are included? kind: local-authority,
#    integrated-care-board, police, relevant-agency, education, voluntary-sector, other.
organisations: []
# Q: Which of those organisations are the three safeguarding partners?
safeguarding_partners: []   # - {{organisation: <id>, evidence: [...]}}

# Q: Who holds the lead safeguarding partner, chair, independent scrutineer and business-unit
#    posts, and since when? (adults in public roles only)
people: []                  # - {{id: <id>, name: <as published>, evidence: [...]}}
posts: []                   # - {{id, title, organisation, role, holders: [{{person, from}}], evidence}}

# Q: Which groups (executive, sub-groups, panels) meet, who chairs them and whom do they report to?
groups: []
# Q: Which other strategic boards does it link with (adults board, health and wellbeing board,
#    community safety partnership), and what flows between them?
linked_boards: []
# Q: What are the partnership's priorities for the year, and who leads each?
priorities: []

# Q: Which documents did the partnership publish or receive in the year: the published
#    arrangements, the yearly report (covers, published, sign-offs, sending to the national Panel
#    and the What Works Centre), cover reports to council committees?
documents: []
# Q: What was the previous yearly report, and when was it published? (for the 12-month rule)
# previous_report: {{title: ..., published: YYYY-MM-DD, covers: {{start: ..., end: ...}}}}

# Q: Who contributed how much to the partnership's budget, and what was it spent on?
# funding: {{financial_year: {period}, contributions: [], expenditure: []}}

# Q: Serious incidents notified, rapid reviews and practice reviews in the year (by id or published
#    pseudonym only: never a child's details).
serious_incidents: []
rapid_reviews: []
practice_reviews: []

# Q: What does the partnership admit it has not done well, and what have others told it? A
#    scrutiny committee's concerns, inspection findings (JTAI, Ofsted, HMICFRS), disputed decisions.
#    Each with who raised it, when, and the response (action, owner post, priority).
challenges: []   # - {{id, kind: acknowledged-gap, summary, raised_by, raised_on, response: {{action, owner}}}}
"""


def last_complete_year(today: dt.date) -> str:
    """The latest April-to-March reporting year that has ended by ``today``."""
    first = today.year - 1 if today.month >= 4 else today.year - 2
    return f"{first}-{(first + 1) % 100:02d}"


def starter(pid: str, period: str, path_shown: str) -> str:
    if not re.fullmatch(ID_PATTERN, pid or ""):
        raise ConfigError(f"'{pid}' is not a partnership id.",
                          fix="use lowercase letters, digits and hyphens, e.g. 'north-borough'.")
    match = re.fullmatch(PERIOD_PATTERN, period or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ConfigError(f"'{period}' is not a reporting year.", fix="write it as YYYY-YY, e.g. 2024-25.")
    first = int(match.group(1))
    text = STARTER.format(pid=pid, period=period, start=dt.date(first, 4, 1).isoformat(),
                          end=dt.date(first + 1, 3, 31).isoformat(), path=path_shown)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{period}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_partnership_year(path, f"{period}.yaml")
        except UserError as exc:
            raise RuntimeError(f"the starter does not load ({exc})") from None
    return text


SOURCES_README = """\
# Source documents

The public documents the data files in the folder above cite: arrangements, yearly reports,
committee papers, scrutiny and inspection reports. Keep a copy here (plain text, HTML, or the
form you have) and declare it in the data file under `sources:` as `file: sources/<name>`.
`thscp-kg check` looks every quotation up in the file it cites.
"""
