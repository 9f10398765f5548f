"""The people's side in the report: judgements by a person, the action plan, and sign-offs.

``people_side(files, loaded, a)`` shapes what ``thscp_kg/load/people.py`` read into
``Assessment.people_side``; ``content_hash(a)`` is what a sign-off is made against.

The content hash (docs/decisions/0016-people-side.md): SHA-256 of the JSON report
(``gap-report.json``: findings, outcomes, decision, judgements, actions) serialised with sorted
keys, leaving out what is not the report's content — the sign-off records, the hash itself, the
names of the people files read, the tool's version string, the data file's name, and the
comparison with a baseline (which depends on what it is compared with). So a change to the data that changes any finding,
outcome, judgement or action changes the hash; running the same data again does not.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from ..findings import Assessment
from ..model_values import in_force

JUDGEMENT_TEXT = {"met": "met", "not-met": "not met", "cannot-tell": "cannot tell"}
# Left out of the hash: not the report's content (see the module docstring).
NOT_HASHED = ("tool", "data_file", "previous")


def _labels(year, day: dt.date) -> dict[str, str]:
    """'Name, Post title' for post ids (the holder on ``day``), 'Name' for person ids."""
    people = {p.id: p.name for p in year.people}
    labels = dict(people)
    for post in year.posts:
        names = [people.get(t.person, t.person) for t in post.holders if in_force(t, day)]
        labels[post.id] = f"{', '.join(names)}, {post.title}" if names else f"{post.title} (no holder recorded)"
    return labels


def people_side(files, loaded, a: Assessment) -> dict:
    """Judgements (the latest per requirement and entity, dated on or before the as-of date), this year's
    actions with their state, and the files read. Sign-offs are matched later (``match_signoffs``)."""
    year = loaded.year
    as_of = dt.date.fromisoformat(a.as_of)
    start = year.period.start
    modality = {o.requirement: o for o in a.outcomes}
    latest: dict[tuple, tuple] = {}
    for record, where in files.assessments:
        if record.date > as_of:
            continue  # made after the position date: not part of this report
        key = (record.requirement, record.entity or "")
        if key not in latest or record.date >= latest[key][0].date:
            latest[key] = (record, where)
    assessments = []
    for (req, entity), (r, where) in sorted(latest.items()):
        outcome = modality.get(req)
        assessments.append({
            "requirement": req, "focus": entity or None, "entity": _entity_label(entity, a),
            "judgement_key": r.judgement.value, "judgement": JUDGEMENT_TEXT[r.judgement.value],
            "rationale": " ".join(r.rationale.split()),
            "evidence": [{"source": e.source, "title": a.sources.get(e.source, {}).get("title") or e.source,
                          "section": e.section, "quote": e.quote} for e in r.evidence],
            "assessor_id": r.assessor, "assessor": _labels(year, r.date).get(r.assessor, r.assessor),
            "date": r.date.isoformat(), "stale": r.date < start, "location": where,
            "challenge": bool(outcome is not None and outcome.assessment != "manual"),
            "modality": outcome.modality if outcome is not None else "",
        })
    labels = _labels(year, as_of)
    actions = []
    for r, where in sorted(files.actions, key=lambda x: (x[0].due, x[0].id)):
        if r.period != a.period:
            continue
        if r.done is not None and r.done <= as_of:
            state, rag = f"done {r.done.day} {r.done:%b %Y}", "green"
            key = "done"
        elif r.due < as_of:
            state, rag, key = f"overdue ({(as_of - r.due).days} days)", "red", "overdue"
        else:
            state, rag, key = "open", "amber", "open"
        actions.append({"id": r.id, "action": " ".join(r.action.split()), "owner_id": r.owner,
                        "owner": labels.get(r.owner, r.owner), "due": r.due.isoformat(), "state": state,
                        "state_key": key, "rag": rag, "requirement": r.requirement, "focus": r.entity,
                        "done": r.done.isoformat() if r.done else None, "carried_from": r.carried_from,
                        "location": where})
    return {"assessments": assessments, "actions": actions, "files": dict(sorted(files.files.items())),
            "summary": summary(assessments, actions, a)}


def summary(assessments: list[dict], actions: list[dict], a: Assessment) -> dict:
    manual = [o.requirement for o in a.outcomes if o.assessment == "manual"]
    current = [x for x in assessments if not x["stale"]]
    judged = {x["requirement"] for x in current if x["requirement"] in manual}
    return {
        "judged": {k: sum(1 for x in current if x["judgement_key"] == k) for k in JUDGEMENT_TEXT},
        "stale": sum(1 for x in assessments if x["stale"]),
        "manual": len(manual), "manual_not_judged": len([m for m in manual if m not in judged]),
        "challenges": sum(1 for x in current if x["challenge"]),
        "actions": {k: sum(1 for x in actions if x["state_key"] == k) for k in ("overdue", "open", "done")},
        "carried": sum(1 for x in actions if x["carried_from"]),
    }


def content_hash(a: Assessment) -> str:
    """The report's content hash (see the module docstring): 'sha256:<hex>'."""
    from .json_report import to_dict

    data = {k: v for k, v in to_dict(a).items() if k not in NOT_HASHED}
    if "people" in data:
        data["people"] = {k: v for k, v in data["people"].items() if k not in ("signoffs", "content_hash", "files")}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def match_signoffs(files, loaded, a: Assessment, current: str) -> list[dict]:
    """This year's sign-offs, each saying whether the report it was made against is this one."""
    out = []
    for r, where in sorted(files.signoffs, key=lambda x: (x[0].date, x[0].signer)):
        if r.period != a.period:
            continue
        out.append({"signer_id": r.signer, "signer": _labels(loaded.year, r.date).get(r.signer, r.signer),
                    "date": r.date.isoformat(), "hash": r.report_hash, "matches": r.report_hash == current,
                    "location": where})
    return out


def _entity_label(entity: str, a: Assessment) -> str | None:
    if not entity:
        return None
    for f in a.findings:
        if f.focus == entity:
            return f.focus_label
    return entity
