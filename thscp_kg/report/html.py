"""The HTML gap report the executive signs off: one self-contained file (no fonts, scripts or
stylesheets fetched from anywhere), readable on screen and printable to A4.

Rendered with jinja2 from ``templates/gap-report.html.j2`` with autoescaping on, so every piece
of data text is escaped. This module only shapes the ``Assessment`` into a view model; the
template decides the layout.
"""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..findings import Assessment, Finding, Severity, Status
from .common import (MODALITY_TEXT, RAG, SEVERITY_LABEL, SEVERITY_RAG, STATUS_TEXT, VERIFICATION_TEXT,
                     finding_rag, outcome_rag, unverified)

TEMPLATES = Path(__file__).resolve().parent / "templates"
RAG_ORDER = ["red", "amber", "blue", "waived", "grey", "green"]


@lru_cache(maxsize=1)
def environment():
    import jinja2  # imported late: only the HTML report needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["longdate"] = long_date
    return env


def long_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:1].upper() + text[1:] if text else text


def _citations(items) -> list[dict]:
    return [{"instrument": c["instrument"], "provision": c["provision"], "iri": c["iri"],
             "verification": c["verification"], "unverified": unverified(c["verification"]),
             "verification_text": VERIFICATION_TEXT.get(c["verification"], c["verification"])} for c in items]


def _evidence(items) -> list[dict]:
    """Evidence grouped by source document: title, file and the sections cited."""
    out: OrderedDict[str, dict] = OrderedDict()
    for e in items:
        entry = out.setdefault(e["source"], {"title": e["title"], "file": e.get("file"), "sections": []})
        if e["section"] not in entry["sections"]:
            entry["sections"].append(e["section"])
    return list(out.values())


def _finding(f: Finding, ref: str, a: Assessment) -> dict:
    value = f.value if f.value and f.value not in f.message else None
    return {
        "ref": ref, "rag": finding_rag(f), "severity": f.severity.value, "severity_label": SEVERITY_LABEL[f.severity.value],
        "requirement": f.requirement, "title": f.title, "status": STATUS_TEXT[f.status], "status_key": f.status.value,
        "focus": f.focus, "focus_label": f.focus_label, "owner": a.owners.get(f.focus, ""),
        "message": sentence(f.message), "value": value, "due": f.due, "actual": f.actual, "days_late": f.days_late,
        "citations": _citations(f.citations), "verification": f.verification,
        "verification_text": VERIFICATION_TEXT.get(f.verification, f.verification),
        "unverified": unverified(f.verification), "fails_ci": f.fails_ci, "edition": f.edition,
        "edition_basis": f.edition_basis, "evidence": _evidence(f.evidence),
        "quotes": [e for e in f.evidence if e.get("quote")], "remediation": f.remediation,
        "shape": f.shape, "constraint": f.constraint, "path": f.path, "raw_value": f.value, "location": f.location,
        "waiver": f.waiver,
    }


def view_model(a: Assessment) -> dict:
    areas = OrderedDict()
    outcome_by_req = {o.requirement: o for o in a.outcomes}
    for code, name in a.area_names.items():
        areas[code] = name
    for o in a.outcomes:
        areas.setdefault(o.area, o.area)

    def area_of(f: Finding) -> str:
        o = outcome_by_req.get(f.requirement)
        return o.area if o else "other"

    # Open findings by duty area (catalogue order) and requirement, then waived findings; refs F-01 ...
    # follow that order. One block per requirement (citation and what to do), one item per finding.
    refs: dict[int, str] = {}
    counter = [0]

    def blocks(findings: list[Finding]) -> list[dict]:
        out: OrderedDict[str, dict] = OrderedDict()
        for f in findings:
            counter[0] += 1
            refs[id(f)] = f"F-{counter[0]:02d}"
            if f.requirement not in out:
                o = outcome_by_req.get(f.requirement)
                out[f.requirement] = {
                    "requirement": f.requirement, "title": f.title, "rag": finding_rag(f),
                    "severity_label": SEVERITY_LABEL[f.severity.value],
                    "modality_text": MODALITY_TEXT.get(o.modality, o.modality) if o else "",
                    "citations": _citations(f.citations), "remediation": f.remediation,
                    "unverified": unverified(f.verification), "fails_ci": f.fails_ci, "findings": []}
            out[f.requirement]["findings"].append(_finding(f, refs[id(f)], a))
        return list(out.values())

    open_by_area: OrderedDict[str, list[dict]] = OrderedDict()
    for code in list(areas) + ["other"]:
        mine = [f for f in a.open_findings if area_of(f) == code]
        if mine:
            open_by_area[code] = blocks(sorted(mine, key=lambda f: (f.severity.rank, f.requirement)))
    waived = blocks(a.waived_findings)

    by_owner: OrderedDict[str, list[dict]] = OrderedDict()
    for f in sorted(a.findings, key=lambda f: (a.owners.get(f.focus) or "~", refs[id(f)])):
        by_owner.setdefault(a.owners.get(f.focus) or "Other", []).append({
            "ref": refs[id(f)], "rag": finding_rag(f), "requirement": f.requirement, "title": f.title,
            "focus_label": f.focus_label, "status": "WAIVED" if f.waived else STATUS_TEXT[f.status],
            "severity_label": SEVERITY_LABEL[f.severity.value]})

    counts, waived_counts = a.counts(), a.waived_counts()
    status_counts = {s.value: sum(1 for o in a.outcomes if o.status is s) for s in Status}
    area_rows = []
    for code, name in areas.items():
        outs = [o for o in a.outcomes if o.area == code]
        if not outs:
            continue
        rags = [outcome_rag(o.status, o.severity or _severity_of(o.modality)) for o in outs]
        # The area's rating is its worst outcome; "not applicable" only counts when nothing else applies.
        rated = [outcome_rag(o.status, o.severity or _severity_of(o.modality)) for o in outs
                 if o.status is not Status.not_applicable] or ["grey"]
        open_here = [f for f in a.open_findings if area_of(f) == code]
        area_rows.append({
            "code": code, "name": name, "requirements": len(outs),
            "rag": min(rated, key=RAG_ORDER.index),
            "by_rag": {r: rags.count(r) for r in RAG_ORDER},
            "findings": {s.value: sum(1 for f in open_here if f.severity is s) for s in Severity},
            "waived": sum(1 for f in a.waived_findings if area_of(f) == code),
        })
    overall = ("red" if counts["violation"] else "amber" if counts["warning"] else
               "blue" if counts["info"] else "green")
    requirements = [{
        "id": o.requirement, "title": o.title, "area": areas.get(o.area, o.area), "modality": o.modality,
        "modality_text": MODALITY_TEXT.get(o.modality, o.modality), "status": STATUS_TEXT[o.status],
        "rag": outcome_rag(o.status, o.severity or _severity_of(o.modality)), "verification": o.verification,
        "unverified": unverified(o.verification), "findings": o.findings, "waived": o.waived,
    } for o in a.outcomes]
    manual = [{"id": o.requirement, "title": o.title, "area": areas.get(o.area, o.area), "question": o.question,
               "modality": o.modality, "modality_text": MODALITY_TEXT.get(o.modality, o.modality),
               "citations": _citations(o.sources), "verification": o.verification}
              for o in a.outcomes if o.status is Status.to_be_assessed]
    return {
        "a": a, "version": __version__, "overall": overall, "rag": RAG, "counts": counts,
        "waived_counts": waived_counts, "waived_total": sum(waived_counts.values()),
        "open_total": sum(counts.values()), "status_counts": status_counts,
        "requirements_total": len(a.outcomes), "area_rows": area_rows, "areas": areas,
        "open_by_area": open_by_area, "waived": waived, "by_owner": by_owner, "requirements": requirements,
        "manual": manual, "signatories": a.signatories, "editions": a.editions,
        "waiver_notes": a.waiver_notes, "previous": a.previous,
        "previous_lines": _previous_lines(a.previous), "severity_rag": SEVERITY_RAG,
        "governance": _governance(a.governance),
    }


def _governance(gov: dict | None) -> dict | None:
    """The diagram (our own SVG, every text in it already XML-escaped) and the measures tables."""
    if not gov:
        return None
    from markupsafe import Markup

    svg = gov["svg"]
    svg = svg[svg.index("<svg"):]  # inline: drop the XML declaration
    m = gov["measures"]
    central = sorted(m["centrality"], key=lambda c: (-(c.get("betweenness") or 0), c.get("label", "")))[:10]
    return {"svg": Markup(svg), "representation": m["representation"], "overlaps": m["overlaps"],
            "centrality": central, "layout": gov["layout"]}


def _severity_of(modality: str) -> str:
    return {"MUST": "violation", "MUST(g)": "violation", "SHOULD": "warning"}.get(modality, "info")


def _previous_lines(previous: dict | None) -> list[str]:
    if not previous:
        return []
    from ..diff import change_lines
    return change_lines(previous["changes"])


def render(a: Assessment) -> str:
    return environment().get_template("gap-report.html.j2").render(**view_model(a))
