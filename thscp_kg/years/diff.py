"""Year-on-year (or base-branch) diff: which findings are new, resolved or persisting, and what changed
in the arrangements (partners, posts and their holders, groups, linked boards, funding by contributor).

Findings are matched by ``Finding.key``: requirement, entity ("kind/id"), value and the check
within the requirement. Entities keep their ids across years (posts, groups, boards,
organisations); a document whose id names its year (``annual-report-2023-24``) is a different
entity the next year, so its findings show as resolved on the old report and new on the new one.

The result is plain data (``diff_runs`` → dict) so the text, JSON and HTML/Markdown reports and
the CI gate (``new_failing``) read the same thing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import re
from decimal import Decimal
from enum import Enum
from pathlib import Path

from ..findings import FAIL_ON, Finding
from ..load.loader import national_bodies
from ..model_values import PERIOD_PATTERN
from ..report.changes import change_lines
from .split import split

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..model import PERIOD_PATTERN, PartnershipYear

DIFF_SCHEMA_VERSION = 1


def previous_period(period_id: str) -> str | None:
    match = re.match(PERIOD_PATTERN, period_id)
    if not match:
        return None
    first = int(match.group(1)) - 1
    return f"{first:04d}-{(first + 1) % 100:02d}"


def previous_year_path(data_file: Path | str, period_id: str) -> Path | None:
    """``data/<p>/<previous period>.yaml`` beside the data file, if it exists."""
    prev = previous_period(period_id)
    if prev is None:
        return None
    path = Path(data_file).parent / f"{prev}.yaml"
    return path if path.is_file() else None


def _finding_row(f: Finding) -> dict:
    row = {"requirement": f.requirement, "title": f.title, "severity": f.severity.value, "status": f.status.value,
           "focus": f.focus, "focus_label": f.focus_label, "value": f.value, "message": f.message,
           "shape": f.shape, "waived": f.waived, "fails_ci": f.fails_ci}
    return {k: v for k, v in row.items() if v is not None}


def diff_findings(old: list[Finding], new: list[Finding]) -> dict[str, list[Finding]]:
    old_keys = {f.key for f in old}
    new_keys = {f.key for f in new}
    return {
        "new": [f for f in new if f.key not in old_keys],
        "resolved": [f for f in old if f.key not in new_keys],
        "persisting": [f for f in new if f.key in old_keys],
    }


def diff_runs(old, new) -> dict:
    """Compare two ``CheckRun``s (old first)."""
    a, b = old.assessment, new.assessment
    groups = diff_findings(a.findings, b.findings)
    new_by_severity = {s: 0 for s in ("violation", "warning", "info")}
    for f in groups["new"]:
        if not f.waived:
            new_by_severity[f.severity.value] += 1
    return {
        "schema_version": DIFF_SCHEMA_VERSION,
        "old": {"file": a.data_file, "period": a.period, "as_of": a.as_of},
        "new": {"file": b.data_file, "period": b.period, "as_of": b.as_of},
        "summary": {"new": len(groups["new"]), "resolved": len(groups["resolved"]),
                    "persisting": len(groups["persisting"]), "new_by_severity": new_by_severity},
        "findings": {name: [_finding_row(f) for f in items] for name, items in groups.items()},
        "changes": data_changes(old.loaded.year, new.loaded.year),
        # What the changes mean: fixed, got worse, newly applicable, no longer applicable, renamed (years/split.py).
        "split": split(old, new),
    }


def new_failing(old_findings: list[Finding], new_findings: list[Finding], fail_on: str) -> list[Finding]:
    """New (not in the baseline), unwaived findings at or above ``fail_on`` that may fail CI."""
    threshold = FAIL_ON[fail_on]
    if threshold < 0:
        return []
    fresh = diff_findings(old_findings, new_findings)["new"]
    return [f for f in fresh if f.fails_ci and not f.waived and f.severity.rank <= threshold]


# -- arrangements ------------------------------------------------------------------------------------
def _org_names(*years: PartnershipYear) -> dict[str, str]:
    names = {b["id"]: b["name"] for b in national_bodies()}
    for year in years:
        names.update({o.id: o.name for o in year.organisations})
    return names


def _entries(added: dict, removed: dict, changed: list) -> dict:
    return {"added": [added[k] for k in sorted(added)], "removed": [removed[k] for k in sorted(removed)],
            "changed": changed}


def _compare(old: dict, new: dict, fields: tuple[str, ...], describe) -> dict:
    added = {k: describe(v) for k, v in new.items() if k not in old}
    removed = {k: describe(v) for k, v in old.items() if k not in new}
    changed = []
    for key in sorted(set(old) & set(new)):
        diffs = []
        for name in fields:
            before, after = _plain(getattr(old[key], name)), _plain(getattr(new[key], name))
            if before != after:
                diffs.append({"field": name.rstrip("_"), "old": before, "new": after})
        if diffs:
            changed.append({**describe(new[key]), "changes": diffs})
    return _entries(added, removed, changed)


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, (str, bool, int)):
        return value
    return str(value)


def data_changes(old: PartnershipYear, new: PartnershipYear) -> dict:
    orgs = _org_names(old, new)
    people = {p.id: p.name for p in old.people} | {p.id: p.name for p in new.people}

    old_partners = {sp.organisation: sp for sp in old.safeguarding_partners}
    new_partners = {sp.organisation: sp for sp in new.safeguarding_partners}
    partners = _compare(old_partners, new_partners, ("from_", "until"),
                        lambda sp: {"id": sp.organisation, "name": orgs.get(sp.organisation, sp.organisation)})

    old_posts = {p.id: p for p in old.posts}
    new_posts = {p.id: p for p in new.posts}
    posts = _compare(old_posts, new_posts, ("title", "role", "organisation", "for_partner"),
                     lambda p: {"id": p.id, "title": p.title, "role": p.role.value})
    holders = {"added": [], "removed": []}
    for post_id in sorted(set(old_posts) | set(new_posts)):
        before = {t.person for t in old_posts[post_id].holders} if post_id in old_posts else set()
        after = {t.person for t in new_posts[post_id].holders} if post_id in new_posts else set()
        title = (new_posts.get(post_id) or old_posts[post_id]).title
        for person in sorted(after - before):
            holders["added"].append({"post": post_id, "post_title": title, "person": person,
                                     "name": people.get(person, person)})
        for person in sorted(before - after):
            holders["removed"].append({"post": post_id, "post_title": title, "person": person,
                                       "name": people.get(person, person)})

    groups = _compare({g.id: g for g in old.groups}, {g.id: g for g in new.groups},
                      ("name", "kind", "reports_to", "chair", "chair_rotates_between", "member_organisations",
                       "member_posts"),
                      lambda g: {"id": g.id, "name": g.name, "kind": g.kind.value})
    boards = _compare({b.id: b for b in old.linked_boards}, {b.id: b for b in new.linked_boards},
                      ("name", "kind", "statutory", "link"),
                      lambda b: {"id": b.id, "name": b.name, "kind": b.kind.value})
    return {"partners": partners, "posts": posts, "holders": holders, "groups": groups, "linked_boards": boards,
            "funding": funding_changes(old, new, orgs)}


def _contributions(year: PartnershipYear) -> tuple[dict[str, Decimal], str]:
    out: dict[str, Decimal] = {}
    currency = "GBP"
    if year.funding:
        for c in year.funding.contributions:
            out[c.contributor] = out.get(c.contributor, Decimal(0)) + c.amount.amount
            currency = c.amount.currency
    return out, currency


def funding_changes(old: PartnershipYear, new: PartnershipYear, orgs: dict[str, str]) -> dict:
    before, currency = _contributions(old)
    after, currency_new = _contributions(new)
    rows = []
    for org in sorted(set(before) | set(after)):
        a, b = before.get(org), after.get(org)
        if a == b:
            continue
        row = {"contributor": org, "name": orgs.get(org, org), "old": _money(a), "new": _money(b),
               "change": _money((b or 0) - (a or 0))}
        if a and b:
            row["percent"] = float(round((b - a) / a * 100, 1))
        row["kind"] = "added" if a is None else "removed" if b is None else "changed"
        rows.append(row)
    # A year with no contributions recorded has no total: "not recorded" (None), never £0.
    total_old = sum(before.values(), Decimal(0)) if before else None
    total_new = sum(after.values(), Decimal(0)) if after else None
    return {"currency": currency_new if after else currency, "contributors": rows,
            "total_old": _money(total_old), "total_new": _money(total_new),
            "total_change": _money(total_new - total_old) if before and after else None}


def _money(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    return f"{Decimal(value):.2f}"


def render_text(d: dict, width: int | None = None) -> str:
    """``width``: a terminal's, to wrap long lines to (a finding's message under itself); None keeps each
    line whole (files, pipes, CI logs: the same bytes anywhere)."""
    s = d["summary"]
    lines = [f"Changes from {d['old']['file']} ({d['old']['period']}, as of {d['old']['as_of']})",
             f"          to {d['new']['file']} ({d['new']['period']}, as of {d['new']['as_of']})",
             f"Findings: {s['new']} new, {s['resolved']} resolved, {s['persisting']} persisting", ""]
    for name in ("new", "resolved", "persisting"):
        for f in d["findings"][name]:
            tag = " (waived)" if f.get("waived") else ""
            value = f" — {f['value']}" if f.get("value") and f["value"] not in f["message"] else ""
            lines.append(f"{name.upper():10} {f['severity'].upper():9} {f['requirement']:12} {f['focus']}{tag}")
            lines.append(f"{'':21}{f['message']}{value}")
    changes = change_lines(d["changes"])
    lines += ["", "Arrangements:" if changes else "Arrangements: no changes in partners, posts, holders, groups, "
              "linked boards or funding."]
    lines += [f"  {line}" for line in changes]
    if width is not None:
        from ..report.text import wrap

        lines = [part for line in lines for part in wrap(line, width)]
    return "\n".join(lines) + "\n"
