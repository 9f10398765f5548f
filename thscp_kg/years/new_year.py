"""New-year scaffold: start next year's data file from this year's lasting facts.

``scaffold(loaded, new_period)`` returns the text of ``<new period>.yaml``:

- carried forward (with their evidence): the partnership; organisations and safeguarding
  partners not ended before the new period; people holding a post at the end of the old
  period, and the posts (with only the tenures still open then); groups; linked boards;
  priorities still running; data sets; the sources those facts cite; and, as
  ``previous_report``, the old year's yearly report (title, publication date, period);
- left out, with commented placeholders saying what to fill in: documents (with their
  sign-offs, submissions, sections and statements), funding, serious incidents, rapid and
  practice reviews, activity counts, departures, information requests;
- new period dates (the old ones moved on by whole years); ``as_of`` removed.

The text is checked by loading it before it is returned: a scaffold that would not load is a bug.
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import yaml

from ..errors import ConfigError, UserError
from ..load.loader import LoadedYear, load_partnership_year
from ..model import PERIOD_PATTERN, ApproximateDate, DocumentKind, PartnershipYear, latest_day
from ..safe_text import one_line

_DATE_KEYS = {"from", "until", "start", "end", "published", "date", "as_of", "sent", "inclusion_notified"}


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the hand-written data files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def parse_new_period(text: str, old: PartnershipYear) -> tuple[str, dt.date, dt.date]:
    """The new period id and its dates: the old dates moved on by the difference in years."""
    match = re.fullmatch(PERIOD_PATTERN, text or "")
    if not match:
        raise ConfigError(f"'{text}' is not a period.", fix="write the new period as YYYY-YY, e.g. 2024-25.")
    first, second = (int(g) for g in match.groups())
    if (first + 1) % 100 != second:
        raise ConfigError(f"'{text}' is not two consecutive years.",
                          fix=f"write the first year and the last two digits of the next, e.g. {first}-{(first + 1) % 100:02d}.")
    shift = first - int(old.period.id[:4])
    if shift <= 0:
        raise ConfigError(f"the new period {text} is not after {old.period.id}.",
                          fix="give a later period, e.g. the next year.")
    return text, _shift(old.period.start, shift), _shift(old.period.end, shift)


def skipped_periods(old_id: str, new_id: str) -> list[str]:
    """The reporting years between ``old_id`` and ``new_id`` (both YYYY-YY), e.g. 2023-24 → 2025-26: [2024-25]."""
    first, last = int(old_id[:4]), int(new_id[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(first + 1, last)]


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _dump(data) -> dict | list:
    """model_dump(mode='json') output, with the date strings of date fields turned back into dates."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key in _DATE_KEYS and isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                value = dt.date.fromisoformat(value)
            out[key] = _dump(value)
        return out
    if isinstance(data, list):
        return [_dump(v) for v in data]
    return data


def _plain(model) -> dict:
    return _dump(model.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def _open_at(item, day: dt.date) -> bool:
    return item.until is None or latest_day(item.until) is None or latest_day(item.until) >= day


def _cited(node, out: set[str]) -> None:
    if isinstance(node, dict):
        if "source" in node and "section" in node:
            out.add(node["source"])
        for value in node.values():
            _cited(value, out)
    elif isinstance(node, list):
        for value in node:
            _cited(value, out)


def carried(year: PartnershipYear, new_start: dt.date) -> tuple[dict, list[str]]:
    """The lasting facts carried into a year starting on ``new_start``, and notes on what was dropped."""
    old_end = year.period.end
    dropped: list[str] = []
    orgs = [o for o in year.organisations if _open_at(o, new_start)]
    dropped += [f"organisation '{o.id}' (ended {o.until})" for o in year.organisations if o not in orgs]
    org_ids = {o.id for o in orgs}
    from ..load.loader import national_bodies
    known_orgs = org_ids | {b["id"] for b in national_bodies()}
    partners = [p for p in year.safeguarding_partners if _open_at(p, new_start) and p.organisation in known_orgs]
    dropped += [f"safeguarding partner '{p.organisation}'" for p in year.safeguarding_partners if p not in partners]

    posts, post_ids = [], set()
    for post in year.posts:
        if (post.organisation and post.organisation not in known_orgs) or \
                (post.for_partner and post.for_partner not in known_orgs):
            dropped.append(f"post '{post.id}' (its organisation is not carried)")
            continue
        open_tenures = [t for t in post.holders if _open_at(t, old_end)]
        if post.holders and not open_tenures:
            dropped.append(f"post '{post.id}' (no tenure open at {old_end}): add it back with its new holder "
                           "if the post continues")
            continue
        data = _plain(post)
        data["holders"] = [_plain(t) for t in open_tenures]
        posts.append(data)
        post_ids.add(post.id)
    person_ids = {t["person"] for p in posts for t in p["holders"]}
    people = [_plain(p) for p in year.people if p.id in person_ids]
    dropped += [f"person '{p.id}' (holds no carried post)" for p in year.people if p.id not in person_ids]

    groups = []
    for group in year.groups:
        data = _plain(group)
        if data.get("chair") and data["chair"] not in post_ids:
            data.pop("chair")
        for key, pool in (("member_posts", post_ids), ("member_organisations", known_orgs),
                          ("chair_rotates_between", known_orgs)):
            if key in data:
                data[key] = [x for x in data[key] if x in pool]
                if not data[key]:
                    data.pop(key)
        groups.append(data)
    priorities = []
    for prio in year.priorities:
        if not _open_at(prio, new_start):
            dropped.append(f"priority '{prio.id}' (ended {prio.until})")
            continue
        data = _plain(prio)
        if data.get("lead_organisation") and data["lead_organisation"] not in known_orgs:
            data.pop("lead_organisation")
        if data.get("lead_post") and data["lead_post"] not in post_ids:
            data.pop("lead_post")
        priorities.append(data)

    facts = {
        "organisations": [_plain(o) for o in orgs],
        "safeguarding_partners": [_plain(p) for p in partners],
        "people": people,
        "posts": posts,
        "groups": groups,
        "linked_boards": [_plain(b) for b in year.linked_boards],
        "priorities": priorities,
        "data_sets": [_plain(d) for d in year.data_sets],
    }
    reports = [d for d in year.documents if d.kind is DocumentKind.yearly_report]
    if len(reports) == 1:
        report = reports[0]
        previous = {"title": report.title}
        if report.published:
            previous["published"] = (report.published.to_data() if isinstance(report.published, ApproximateDate)
                                     else report.published)
        if report.covers:
            previous["covers"] = {"start": report.covers.start, "end": report.covers.end}
        previous["evidence"] = _plain(report).get("evidence", [])
        facts["previous_report"] = previous
    return facts, dropped


_PLACEHOLDERS = """
# =============================================================================================
# THE YEAR'S FACTS — to fill in from the {new} sources. Left out on purpose: nothing from
# {old} counts for {new}. Leave out what the sources do not say (the checker reports it as not
# evidenced); give every fact `evidence: [{{source: <id under sources>, section: "...", quote: "..."}}]`
# with a verbatim quotation. Never record child-identifying data.
# =============================================================================================

# documents:
#   # The yearly report: its period, publication date and web address, its sections by topic
#   # (has_content: false for a heading with nothing under it), dated sign-offs by each lead
#   # safeguarding partner, and dated sending to the national Panel and the other recipient.
#   - id: annual-report-{new}
#     kind: yearly-report
#     title: "..."
#     covers: {{start: {start}, end: {end}}}
#     published: YYYY-MM-DD
#     url: https://...
#     sections:
#       - {{topic: activity, heading: "...", evidence: [...]}}
#     sign_offs:
#       - {{post: <post id>, date: YYYY-MM-DD, evidence: [...]}}
#     submissions:
#       - {{recipient: national-panel, sent: YYYY-MM-DD, evidence: [...]}}
#     # What the document states, as written (periods, guidance cited, bodies named, dated
#     # figures): the document-consistency checks (DOC-*) compare them.
#     statements:
#       - {{kind: stated-period, value: "{new}", evidence: [...]}}
#       - {{kind: cites-guidance, value: "Working Together to Safeguard Children 2023", evidence: [...]}}
#       - {{kind: figure, value: "...", as_at: YYYY-MM-DD, evidence: [...]}}
#     evidence: [...]
#   # Also: the cover report that presents it (kind: cover-report, presents, presented_to,
#   # presented_on, statements), the arrangements if revised or reviewed (published,
#   # last_reviewed, revised_for), the threshold document, scrutiny plan and budget.
{reviews_note}
# funding:
#   financial_year: {new}
#   contributions:
#     - {{contributor: <organisation id>, amount: {{amount: 0, currency: GBP}}, evidence: [...]}}
#   expenditure:
#     - {{item: "...", amount: {{amount: 0, currency: GBP}}, evidence: [...]}}
#   stated_income_total: {{amount: 0, currency: GBP}}
#   stated_expenditure_total: {{amount: 0, currency: GBP}}
#   evidence: [...]

# serious_incidents:     # by id and dates only: la_aware, notified, notified_to, partners_told
# rapid_reviews:         # completed, sent_to_panel, criteria_considered, decision, decision_date
# practice_reviews:      # by published title or pseudonym only: decided, completed, published, status
# activity_counts:       # aggregate figures as stated: measure, value, label, stated_period (as written)
# departures:            # reasoned departures from the guidance, with the requirement id
# information_requests:  # requests under s16H: requester, recipient, date
"""


def scaffold(loaded: LoadedYear, new_period: str, folder: Path | None = None) -> str:
    """The text of next year's file (see the module docstring). ``folder``: where it will be
    written (default: beside the old file); source files are named relative to it."""
    old = loaded.model()   # the pydantic model: its dumps leave defaults out
    folder = Path(folder) if folder is not None else Path(loaded.file).parent
    period_id, start, end = parse_new_period(new_period, old)
    facts, dropped = carried(old, start)
    cited: set[str] = set()
    partnership = _plain(old.partnership)
    _cited(partnership, cited)
    for value in facts.values():
        _cited(value, cited)
    sources = []
    # A file needs one source at least: when the carried facts cite none (a file without evidence
    # yet), every old source is carried as the likeliest starting point.
    keep = cited if cited & {s.id for s in old.sources} else {s.id for s in old.sources}
    for source in old.sources:
        if source.id not in keep:
            continue
        plain = _plain(source)
        if source.file and not (folder / source.file).is_file():
            # Written to another folder: the file is not beside the new year, so its quotes cannot be checked.
            del plain["file"]
            dropped.append(f"the file of source '{source.id}' ({source.file}), which is not in {folder}: "
                           "copy it there and restore 'file:' to keep its quotations checked")
        sources.append(plain)

    def block(data: dict) -> str:
        return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                         default_flow_style=False)

    in_progress = [r.id for r in old.practice_reviews if r.status.value != "published"]
    reviews_note = ""
    if in_progress:
        reviews_note = (f"\n# Practice reviews not yet published at the end of {old.period.id}: carry them over under\n"
                        f"# practice_reviews if they continue: {', '.join(in_progress)}\n")
    header = [
        f"# {old.partnership.name}, reporting year {period_id}.",
        "#",
        f"# Scaffold written by `thscp-kg new-year` from {Path(loaded.file).name} ({old.period.id}). The lasting",
        "# facts below are carried forward with their evidence: check each one still holds, update what",
        "# changed, and add this year's sources. Comments in the old file (which explain readings of the",
        f"# sources) are not copied: see {Path(loaded.file).name}.",
    ]
    if dropped:
        header += ["#", "# Not carried forward:"] + [f"#   - {d}" for d in dropped]
    # A name or a file name must stay inside its comment: one line each, no invisible characters.
    header = [one_line(line) for line in header]
    parts = ["\n".join(header), "", "schema_version: 1", "", block({"partnership": partnership}).rstrip(),
             "", block({"period": {"id": period_id, "start": start, "end": end}}).rstrip(), "",
             "# as_of: YYYY-MM-DD   # the date the information is correct at (e.g. the meeting that receives the",
             "#                     # yearly report); without it the checker evaluates at the period end.", "",
             "# Sources cited by the facts carried forward. Add this year's documents here (file: the path",
             "# relative to this file, e.g. sources/annual-report.txt; quotations are checked against it).", block({"sources": sources}).rstrip()]
    for key in ("organisations", "safeguarding_partners", "people", "posts", "groups", "linked_boards",
                "priorities", "data_sets", "previous_report"):
        value = facts.get(key)
        if value:
            if key == "previous_report":
                parts += ["", f"# The {old.period.id} yearly report, as the previous report for the 12-month rule: add its "
                          "publication date if it is now known."]
            else:
                parts.append("")
            parts.append(block({key: value}).rstrip())
    parts.append(_PLACEHOLDERS.format(new=period_id, old=old.period.id, start=start.isoformat(), end=end.isoformat(),
                                      reviews_note=reviews_note).rstrip())
    text = "\n".join(parts) + "\n"
    _check_loads(text, period_id, folder)
    return text


def _check_loads(text: str, period_id: str, folder: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{period_id}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_partnership_year(path, f"{period_id}.yaml", source_folder=folder)
        except UserError as exc:  # the scaffold is generated: if it does not load, that is our bug
            raise RuntimeError(f"the new-year scaffold does not load ({exc})") from None
