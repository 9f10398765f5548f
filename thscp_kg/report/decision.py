"""Page one of the report: the decision the lead safeguarding partners take, and why.

A pure function of the ``Assessment``: the verdict (by the rule in ``VERDICT_RULE``, which
``thscp-kg explain verdict`` prints too), the top items (at most seven) with an owner and a
due date, the dated checklist of what falls due on or after publication, and the counts that
keep a breach (*not met*) apart from missing data (*not evidenced*).
"""
from __future__ import annotations

import re
from collections import OrderedDict

from ..findings import Assessment, Finding, Severity, Status

TOP_ITEMS = 7

VERDICTS = OrderedDict([
    ("not-ready", "Not ready"),
    ("conditions", "Sign with conditions"),
    ("ready", "Ready to sign"),
])

# The rule, in words; the code below follows it line by line.
VERDICT_RULE = (
    ("not-ready", "Not ready",
     "the data shows a statutory duty (MUST) is NOT MET (a breach), on a requirement whose source is verified, "
     "and no lead safeguarding partner has accepted it; or a person's current judgement (assessments.yaml) is "
     "that a duty is not met."),
    ("conditions", "Sign with conditions",
     "no duty is shown breached, but a duty is NOT EVIDENCED (the data does not say), or statutory guidance "
     "(SHOULD) is not met or not evidenced, or a breach rests on an unverified source, or a person's current "
     "judgement is 'not met' or 'cannot tell' on guidance or 'cannot tell' on a duty. The items on page one are "
     "the conditions: each has an owner and a due date."),
    ("ready", "Ready to sign",
     "nothing is open at duty or guidance level. Good-practice notes, items to be assessed by a person and "
     "duties not yet due (the dated checklist) do not stop sign-off."),
)


DUTY = ("MUST", "MUST(g)")


def verdict(a: Assessment) -> str:
    open_ = [f for f in a.open_findings if f.severity is not Severity.info]
    judged = [x for x in (a.people_side or {}).get("assessments", []) if not x["stale"]]
    if any(f.status is Status.not_met and f.severity is Severity.violation and f.fails_ci for f in open_):
        return "not-ready"
    if any(x["judgement_key"] == "not-met" and x["modality"] in DUTY for x in judged):
        return "not-ready"
    doubts = [x for x in judged if x["judgement_key"] != "met" and (x["modality"] in DUTY or x["modality"] == "SHOULD")]
    return "conditions" if open_ or doubts else "ready"


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def reason(a: Assessment) -> str:
    """Why this verdict, for this report, in one or two sentences (the general rule is in the annex)."""
    open_ = [f for f in a.open_findings if f.severity is not Severity.info]
    # Counted as the table below page one's verdict counts them: findings, not cards.
    breaches = sorted({f.requirement for f in open_ if f.severity is Severity.violation and f.status is Status.not_met
                       and f.fails_ci})
    duty_gaps = sum(1 for f in open_ if f.severity is Severity.violation and f.status is Status.not_evidenced)
    guidance = sum(1 for f in open_ if f.severity is Severity.warning)
    judged = [x for x in (a.people_side or {}).get("assessments", []) if not x["stale"]]
    judged_breach = sorted({x["requirement"] for x in judged if x["judgement_key"] == "not-met" and x["modality"] in DUTY})
    key = verdict(a)
    if key == "not-ready":
        parts = []
        if breaches:
            parts.append(f"the data shows {_n(len(breaches), 'statutory duty', 'statutory duties')} not met "
                         f"({', '.join(breaches)})")
        if judged_breach:
            parts.append(f"a person judged {', '.join(judged_breach)} not met")
        return "Not ready: " + " and ".join(parts) + "."
    if key == "ready":
        return "Ready: nothing is open at duty or guidance level."
    parts = []
    if duty_gaps:
        parts.append(f"{_n(duty_gaps, 'finding on a statutory duty is', 'findings on statutory duties are')} not "
                     "evidenced (the data does not say)")
    if guidance:
        parts.append(f"{_n(guidance, 'finding on statutory guidance is', 'findings on statutory guidance are')} open")
    doubts = [x for x in judged if x["judgement_key"] != "met"]
    if doubts:
        parts.append(f"{_n(len(doubts), 'judgement by a person is', 'judgements by a person are')} not 'met'")
    return ("No duty is shown breached, but " + "; ".join(parts)
            + ". The items below are the conditions, each with an owner and a due date.")


def rule_lines() -> list[str]:
    return [f"{label}: {text}" for _key, label, text in VERDICT_RULE]


def plain(text: str) -> str:
    """Remediation text without the data file's field names (those are in the annex)."""
    text = re.sub(r" ?\((?:[^()]*[`:_][^()]*|[a-z_]+(?:, [a-z_]+)*)\)", "", text)
    text = re.sub(r"Under the [a-z' ]+`[^`]*`, ", "", text)
    text = re.sub(r"`[^`]*`", "the data file", text)
    text = re.sub(r" under (?:documents|[a-z]+_[a-z_.]+|[a-z]+\.[a-z_.]+)", "", text)
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def kind_of(f: Finding) -> str:
    """A breach asks for a change in practice; missing data asks for the data to be recorded."""
    return "practice" if f.status is Status.not_met else "data"


def owner_of(f: Finding, a: Assessment) -> str:
    """Who acts: a post and organisation where the data names one, never 'the partnership as a whole'
    when one partner is responsible."""
    who = a.responsible or {}
    if f.status is Status.not_yet_due and "send" not in f.message.lower():
        kind = "practice"  # publishing and signing are the partners' acts, not the business unit's
    else:
        kind = kind_of(f)
    if kind == "data" and who.get("business_unit"):
        return who["business_unit"]
    entity_owner = a.owners.get(f.focus, "")
    partners = who.get("partners") or []
    if entity_owner and entity_owner in partners:
        return f"{who.get('lead_posts', {}).get(entity_owner, 'Lead safeguarding partner')}, {entity_owner}"
    if partners:
        return f"The {len(partners)} lead safeguarding partners jointly"
    return entity_owner or "The lead safeguarding partners"


def due_of(f: Finding, a: Assessment) -> tuple[str | None, str]:
    """(date, basis): from the finding, the transition deadline, or publication of the yearly report."""
    stage = a.stage or {}
    if f.due:
        return f.due, "the duty's own deadline"
    # The arrangements, and WT2023's partnership-level expectations, are due with the revised arrangements.
    if f.focus.startswith("document/arrangements") or (f.requirement.startswith("WT23-") and f.focus.startswith("year/")):
        if stage.get("transition_by"):
            return stage["transition_by"], "WT2023 transition: revised arrangements published by"
    if stage.get("stage") == "sign-off" and stage.get("publish_by"):
        return stage["publish_by"], "before the yearly report is published"
    return None, "before the next yearly report"


def items(a: Assessment, refs: dict[tuple, str]) -> list[dict]:
    """Open duty- and guidance-level findings, one item per requirement and entity, worst first."""
    grouped: OrderedDict[tuple, list[Finding]] = OrderedDict()
    for f in a.open_findings:
        if f.severity is Severity.info:
            continue
        grouped.setdefault((f.requirement, f.focus), []).append(f)

    def rank(group: list[Finding]) -> tuple:
        f = group[0]
        return (0 if any(g.status is Status.not_met for g in group) else 1, f.severity.rank, not f.fails_ci,
                f.requirement, f.focus)
    out = []
    for (req, focus), group in sorted(grouped.items(), key=lambda kv: rank(kv[1])):
        f = min(group, key=lambda g: (g.status is not Status.not_met, g.severity.rank))
        due, basis = due_of(f, a)
        out.append({
            "requirement": req, "title": f.title, "focus": focus, "focus_label": f.focus_label,
            "kind": kind_of(f), "status": f.status.value,
            "severity": f.severity.value, "what": [_sentence(g.message) for g in group],
            "action": plain(f.remediation), "owner": owner_of(f, a), "due": due, "due_basis": basis,
            "ref": refs.get((req, focus), ""), "verified": f.fails_ci,
            "action_id": next((x["id"] for x in (a.people_side or {}).get("actions", [])
                               if x["requirement"] == req and x["focus"] in (None, focus)), None),
        })
    return out


def checklist(a: Assessment) -> list[dict]:
    """What falls due on or after publication, dated (sign-off stage only)."""
    out = []
    seen = set()
    for f in sorted(a.not_yet_due_findings, key=lambda f: (f.due or "", f.requirement, f.value or "")):
        text = _sentence(f.message)
        if text in seen:
            continue
        seen.add(text)
        out.append({"text": text, "due": f.due, "requirement": f.requirement, "owner": owner_of(f, a)})
    return out


def compliance(a: Assessment) -> dict:
    """Met out of applicable: not-applicable, not-yet-in-force and person-assessed requirements are left out."""
    left_out = (Status.not_applicable, Status.to_be_assessed, Status.not_yet_in_force)
    applicable = [o for o in a.outcomes if o.status not in left_out]
    counts = {s.value: sum(1 for o in applicable if o.status is s) for s in Status}
    return {"met": counts["met"], "applicable": len(applicable), "total": len(a.outcomes),
            "not_applicable": sum(1 for o in a.outcomes if o.status is Status.not_applicable),
            "to_be_assessed": sum(1 for o in a.outcomes if o.status is Status.to_be_assessed),
            "not_yet_in_force": sum(1 for o in a.outcomes if o.status is Status.not_yet_in_force),
            "nothing_recorded": sum(1 for o in applicable if o.vacuous), **counts}


def breach_gap_counts(a: Assessment) -> list[dict]:
    """Open findings by force, with breaches (not met) apart from missing data (not evidenced)."""
    rows = []
    for severity, label in ((Severity.violation, "Statutory duties (must)"),
                            (Severity.warning, "Statutory guidance (should)"),
                            (Severity.info, "Good practice and transitional")):
        mine = [f for f in a.open_findings if f.severity is severity]
        rows.append({"severity": severity.value, "label": label,
                     "not_met": sum(1 for f in mine if f.status is Status.not_met),
                     "not_evidenced": sum(1 for f in mine if f.status is Status.not_evidenced),
                     "not_yet_due": sum(1 for f in a.not_yet_due_findings if f.severity is severity)})
    return rows


def decide(a: Assessment, refs: dict[tuple, str] | None = None) -> dict:
    refs = refs or {}
    key = verdict(a)
    everything = items(a, refs)
    return {
        "verdict": key, "label": VERDICTS[key], "rule": VERDICT_RULE, "reason": reason(a),
        "top": everything[:TOP_ITEMS], "more": max(0, len(everything) - TOP_ITEMS),
        "practice": [i for i in everything[:TOP_ITEMS] if i["kind"] == "practice"],
        "data": [i for i in everything[:TOP_ITEMS] if i["kind"] == "data"],
        "checklist": checklist(a), "compliance": compliance(a), "counts": breach_gap_counts(a),
        "stage": a.stage or {}, "people": people_line(a),
    }


def people_line(a: Assessment) -> dict | None:
    """Page one's line on the people's side: judgements, the action plan and the sign-offs recorded."""
    p = a.people_side
    if p is None:
        return None
    s = p["summary"]
    signed = p.get("signoffs", [])
    return {"judged": s["judged"], "stale": s["stale"], "manual": s["manual"],
            "manual_not_judged": s["manual_not_judged"], "challenges": s["challenges"],
            "actions": s["actions"], "carried": s["carried"], "signed": len(signed),
            "signed_stale": sum(1 for x in signed if not x["matches"])}


def to_json(a: Assessment) -> dict:
    d = decide(a)
    return {"verdict": d["verdict"], "label": d["label"], "reason": d["reason"], "stage": d["stage"], "compliance": d["compliance"],
            "items": d["top"], "more_items": d["more"], "checklist": d["checklist"], "counts": d["counts"]}


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:1].upper() + text[1:] if text else text
