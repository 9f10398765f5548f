"""The report section "What the partnership admits and what it has been told": every gap the
partnership names itself and every concern, inspection finding or disputed decision raised with
it, with the body that raised it, the response recorded and the documents that answer it."""
from __future__ import annotations

from ..findings import Finding
from ..load.loader import LoadedYear
from ..model_values import latest_day

TITLE = "What the partnership admits and what it has been told"
KIND_TEXT = {
    "acknowledged-gap": "Admitted by the partnership",
    "scrutiny-concern": "Scrutiny concern",
    "inspection-finding": "Inspection finding",
    "disputed-decision": "Disputed decision",
    "other": "Other challenge",
}


def challenge_rows(loaded: LoadedYear, findings: list[Finding]) -> list[dict]:
    """One row per gap or concern, in date order (then id): plain data for every report format."""
    year = loaded.year
    posts = {p.id: p.title for p in year.posts}
    priorities = {p.id: p.name for p in year.priorities}
    answered: dict[str, list[str]] = {}
    for doc in year.documents:
        for ref in doc.responds_to:
            answered.setdefault(ref, []).append(doc.title)
    report_days = [d.covers.end if d.covers else latest_day(d.published) for d in year.documents
                   if d.kind.value == "yearly-report" and (d.covers or latest_day(d.published))]
    rows = []
    for c in sorted(year.challenges, key=lambda c: (c.raised_on, c.id)):
        r = c.response
        open_ = sorted({f.requirement for f in findings if f.focus == f"challenge/{c.id}" and not f.waived})
        rows.append({
            "id": c.id, "kind": c.kind.value, "kind_text": KIND_TEXT[c.kind.value], "external": c.is_external,
            "summary": c.summary, "raised_by": c.raised_by, "raised_on": c.raised_on.isoformat(),
            "response": None if r is None else {
                "action": r.action, "owner": posts.get(r.owner) if r.owner else None,
                "priority": priorities.get(r.priority) if r.priority else None,
                "due": r.due.isoformat() if r.due else None},
            "answered_in": sorted(answered.get(c.id, [])),
            # As EVID-04 (materialise/challenges.py): no yearly report in this file ends on or after it.
            "awaiting_next_report": c.is_external and not any(day >= c.raised_on for day in report_days),
            "findings": open_,
            "evidence": [{"source": e.source, "section": e.section, **({"quote": e.quote} if e.quote else {})}
                         for e in c.evidence],
        })
    return rows


def response_text(row: dict) -> str:
    r = row["response"]
    if r is None:
        return "No response recorded"
    extra = [f"owner: {r['owner']}" if r["owner"] else "", f"priority: {r['priority']}" if r["priority"] else "",
             f"due {r['due']}" if r["due"] else ""]
    extra = [e for e in extra if e]
    return r["action"] + (f" ({'; '.join(extra)})" if extra else "")


def combined_areas(loaded: LoadedYear) -> dict | None:
    """A multi-area partnership's areas, host authority and agreement, as recorded (None for one area)."""
    p = loaded.year.partnership
    if len(p.areas) < 2:
        return None
    orgs = {o.id: o.name for o in loaded.year.organisations}
    return {"areas": [a.name for a in p.areas],
            "host_authority": orgs.get(p.host_authority, p.host_authority) if p.host_authority else None,
            "agreement": None if p.agreement is None else {
                "title": p.agreement.title, "date": p.agreement.date.isoformat() if p.agreement.date else None}}


def combined_areas_text(c: dict) -> str:
    host = f"hosted by {c['host_authority']}" if c["host_authority"] else "host authority not recorded"
    agreement = c["agreement"]
    agreed = ("agreement not recorded" if agreement is None else
              agreement["title"] + (f" ({agreement['date']})" if agreement["date"] else " (undated)"))
    return f"{', '.join(c['areas'])}; {host}; {agreed}"
