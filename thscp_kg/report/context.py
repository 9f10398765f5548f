"""Report context taken from the data file: who signs, and which organisation or board owns each entity.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt

from ..load.loader import LoadedYear, national_bodies
from ..model_values import Role, in_force

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..rules.profile import LoadedProfile


def editions_in_period(profile: LoadedProfile, loaded: LoadedYear) -> list[dict]:
    """The guidance editions in force at any time in the reporting period, oldest first."""
    period = loaded.year.period
    ordered = sorted(profile.profile.editions, key=lambda e: e.in_force_from)
    out = []
    for i, edition in enumerate(ordered):
        until = ordered[i + 1].in_force_from if i + 1 < len(ordered) else None
        if edition.in_force_from <= period.end and (until is None or until > period.start):
            last = min(period.end, until - dt.timedelta(days=1)) if until else period.end
            revisions = [{"date": r.date.isoformat(), "note": r.note, "verification": r.verification,
                          "source": r.source} for r in sorted(edition.revisions, key=lambda r: r.date)
                         if r.date <= last]
            out.append({"id": edition.id, "title": edition.title,
                        "in_force_from": edition.in_force_from.isoformat(),
                        "in_force_until": (until - dt.timedelta(days=1)).isoformat() if until else None,
                        "verification": edition.verification, "publication": edition.publication,
                        "revisions": revisions})
    return out


def signatories(loaded: LoadedYear, as_of: dt.date) -> list[dict]:
    """Sign-off rows: each safeguarding partner's lead (with the holder on the as-of date), then the scrutineer."""
    year = loaded.year
    org_names = {o.id: o.name for o in year.organisations} | {b["id"]: b["name"] for b in national_bodies()}
    people = {p.id: p.name for p in year.people}

    def holders(post) -> list[dict]:
        return [{"person": t.person, "name": people.get(t.person, t.person), "interim": t.interim}
                for t in post.holders if in_force(t, as_of)]

    rows: list[dict] = []
    leads = [p for p in year.posts if p.role is Role.lead_safeguarding_partner]
    used: set[str] = set()
    for sp in year.safeguarding_partners:
        if not in_force(sp, as_of):
            continue
        mine = [p for p in leads if (p.for_partner or p.organisation) == sp.organisation]
        if not mine:
            rows.append({"capacity": "Lead safeguarding partner", "organisation": org_names.get(sp.organisation,
                         sp.organisation), "post": None, "post_id": None, "holders": [],
                         "note": "No lead safeguarding partner post is recorded for this partner in the data."})
        for post in mine:
            used.add(post.id)
            rows.append(_post_row("Lead safeguarding partner", post, org_names, holders(post), as_of))
    for post in leads:
        if post.id not in used:
            rows.append(_post_row("Lead safeguarding partner", post, org_names, holders(post), as_of))
    for post in year.posts:
        if post.role is Role.independent_scrutineer:
            rows.append(_post_row("Independent scrutineer", post, org_names, holders(post), as_of))
    return rows


def _post_row(capacity: str, post, org_names: dict, holders: list[dict], as_of: dt.date) -> dict:
    org = post.for_partner or post.organisation
    return {"capacity": capacity, "organisation": org_names.get(org, org) if org else None, "post": post.title,
            "post_id": post.id, "holders": holders,
            "note": None if holders else f"No holder of this post is recorded on {as_of.isoformat()}."}


def owners(loaded: LoadedYear) -> dict[str, str]:
    """Each entity's organisation or board, for grouping findings ("kind/id" -> label)."""
    year = loaded.year
    whole = f"{year.partnership.short_name or year.partnership.name}: the partnership as a whole"
    org_names = {o.id: o.name for o in year.organisations} | {b["id"]: b["name"] for b in national_bodies()}
    out: dict[str, str] = {f"year/{year.period.id}": whole, f"partnership/{year.partnership.id}": whole}
    for key in loaded.locations:
        kind, local = key.split("/", 1)
        out[key] = whole
        if kind == "organisation":
            out[key] = org_names.get(local, local)
    for post in year.posts:
        org = post.organisation or post.for_partner
        out[f"post/{post.id}"] = org_names.get(org, org) if org else whole
    for group in year.groups:
        out[f"group/{group.id}"] = group.name
    for board in year.linked_boards:
        out[f"board/{board.id}"] = board.name
    for prio in year.priorities:
        if prio.lead_organisation:
            out[f"priority/{prio.id}"] = org_names.get(prio.lead_organisation, prio.lead_organisation)
    for body in national_bodies():
        out.setdefault(f"organisation/{body['id']}", body["name"])
    return out


def source_index(loaded: LoadedYear) -> dict[str, dict]:
    """The source documents by id: title, date and web address as recorded (never the file name)."""
    return {s.id: {"title": s.title, "date": s.date.isoformat() if s.date else None, "url": s.url}
            for s in loaded.year.sources}


def responsible(loaded: LoadedYear, as_of: dt.date) -> dict:
    """Who acts on an item: the business unit's lead post (records the data), the safeguarding partners
    and each partner's lead post title."""
    year = loaded.year
    org_names = {o.id: o.name for o in year.organisations} | {b["id"]: b["name"] for b in national_bodies()}
    partners = [org_names.get(sp.organisation, sp.organisation) for sp in year.safeguarding_partners
                if in_force(sp, as_of)]
    unit = next((p for p in year.posts if p.role is Role.business_unit), None)
    unit_text = None
    if unit is not None:
        org = unit.organisation or unit.for_partner
        unit_text = f"{unit.title}, {org_names.get(org, org)}" if org else unit.title
    leads = {}
    for post in year.posts:
        if post.role is Role.lead_safeguarding_partner:
            org = post.for_partner or post.organisation
            leads[org_names.get(org, org)] = post.title
    return {"business_unit": unit_text, "partners": partners, "lead_posts": leads}
