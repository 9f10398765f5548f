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
from .challenges import TITLE as CHALLENGES_TITLE
from .challenges import combined_areas_text, response_text
from .common import (
    MODALITY_TEXT,
    SEVERITY_LABEL,
    STATUS_TEXT,
    VERIFICATION_TEXT,
    citation_link,
    finding_rag,
    late_text,
    outcome_text,
    see_also_text,
    unverified,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
RAG_ORDER = ["red", "amber", "blue", "waived", "grey", "green"]


@lru_cache(maxsize=1)
def environment():
    import jinja2  # imported late: only the HTML report needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=_bytecode_cache(jinja2))
    env.filters["longdate"] = long_date
    env.filters["shortdate"] = short_date
    return env


def _bytecode_cache(jinja2):
    """The compiled template, kept in the compiled cache (thscp_kg/resources.py): compiling
    gap-report.html.j2 is most of the HTML report's time in a cold run (issue 16). Jinja names each
    entry by the template's name and file and checks the template source's checksum and its own
    and Python's versions before using it; the entries live under a key of this module's source
    (the environment's options) and Jinja's release, so a changed template or option is compiled
    again, never served stale. None when the cache is off; a folder that cannot be read or written
    only costs the compile."""
    from ..resources import cache_dir, key_of

    folder = cache_dir()
    if folder is None:
        return None
    key = key_of([Path(__file__).resolve()], "jinja-1", "jinja2 " + jinja2.__version__)

    class Cache(jinja2.BytecodeCache):
        def _path(self, bucket) -> Path:
            return folder / f"jinja-{key}-{bucket.key}.bytecode"

        def load_bytecode(self, bucket) -> None:
            try:
                with open(self._path(bucket), "rb") as fh:
                    bucket.load_bytecode(fh)
            except Exception:  # missing, unreadable or foreign: jinja compiles the template
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            import os
            import tempfile

            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".jinja-", suffix=".tmp")
                try:
                    with os.fdopen(fd, "wb") as fh:
                        bucket.write_bytecode(fh)
                    os.replace(tmp, self._path(bucket))   # atomic, as the cache's pickles
                except BaseException:
                    os.unlink(tmp)
                    raise
            except Exception:
                pass

    return Cache()


def long_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def short_date(value: str | None) -> str:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return value or ""
    return f"{day.day} {day:%b %Y}"


def sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:1].upper() + text[1:] if text else text


def _citations(items) -> list[dict]:
    """Citations for the page: linked to the real publication (never the placeholder namespace),
    with the record of the check behind them when there is one."""
    return [{"instrument": c["instrument"], "provision": c["provision"], "iri": c["iri"], "link": citation_link(c),
             "verification": c["verification"], "unverified": unverified(c["verification"]),
             "verification_text": VERIFICATION_TEXT.get(c["verification"], c["verification"]),
             "checked": c.get("checked"), "checked_url": c.get("url"), "quote": c.get("quote"),
             "text": c.get("text")} for c in items]


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


def _sources(items, sources: dict) -> list[dict]:
    """Evidence grouped by source: its title, date and web address as recorded (never a file name)."""
    out: OrderedDict[str, dict] = OrderedDict()
    for e in items:
        meta = sources.get(e["source"], {})
        entry = out.setdefault(e["source"], {"title": meta.get("title") or e["title"], "date": meta.get("date"),
                                             "url": meta.get("url"), "quotes": []})
        entry["quotes"].append({"quote": e.get("quote"), "section": e.get("section")})
    return list(out.values())


def _cite_view(items) -> list[dict]:
    from .links import citation_url, paragraph_verified
    return [{"instrument": c["instrument"], "provision": c["provision"], "link": citation_url(c),
             "verification": c["verification"], "paragraph_verified": paragraph_verified(c),
             "checked": c.get("checked"), "checked_url": c.get("url"), "quote": c.get("quote"),
             "text": c.get("text")} for c in items]


def _force(f: Finding, o) -> str:
    if o is not None and o.transitional and f.severity is Severity.info:
        return "statutory guidance (should), transitional"
    return {"violation": "statutory duty (must)", "warning": "statutory guidance (should)"}.get(
        f.severity.value, "good practice")


QUOTES_PER_CARD = 2
QUOTES_PER_NOTE = 1


def _cards(findings: list[Finding], a: Assessment, outcome_by_req: dict, start: int, people: dict) -> list[dict]:
    """One card per requirement and entity, listing everything missing there; refs F-01 ..."""
    from .decision import owner_of, plain

    grouped: OrderedDict[tuple, list[Finding]] = OrderedDict()
    for f in findings:
        grouped.setdefault((f.requirement, f.focus), []).append(f)
    cards = []
    for n, ((req, focus), group) in enumerate(grouped.items(), start=start):
        f = min(group, key=lambda g: (g.status is not Status.not_met, g.severity.rank))
        o = outcome_by_req.get(req)
        status = Status.not_met if any(g.status is Status.not_met for g in group) else f.status
        rag = "waived" if f.waived else finding_rag(f)
        evidence = [dict(t) for t in sorted({tuple(sorted(e.items())) for g in group for e in g.evidence})]
        # Print budget: a partnership-level entity carries dozens of quotations; the card shows the
        # first few (all are in the JSON), fewer for good-practice notes.
        quotes = QUOTES_PER_CARD if f.severity is not Severity.info else QUOTES_PER_NOTE
        cards.append({
            "ref": f"F-{n:02d}", "requirement": req, "title": f.title, "focus": focus, "focus_label": f.focus_label,
            "severity": f.severity.value, "owner": owner_of(f, a), "status_key": status.value, "status": STATUS_TEXT[status],
            "cls": f"{rag} st-{status.value}", "force": _force(f, o),
            "transitional": bool(o is not None and o.transitional), "waiver": f.waiver,
            "messages": [{"text": sentence(g.message), "due": g.due, "days_late": g.days_late,
                          "late": late_text(g.days_late, g.days_late_at_least) if g.days_late else None} for g in group],
            "action": plain(f.remediation), "citations": _cite_view(f.citations),
            "sources": _sources(evidence[:quotes], a.sources), "more_quotes": max(0, len(evidence) - quotes),
            "message_key": " ".join(sentence(g.message) for g in group),
            "first_quote": _first_quote(evidence, a.sources), "quote_count": sum(1 for e in evidence if e.get("quote")),
            "assessments": [x for x in people.get("assessments", []) if x["requirement"] == req
                            and x.get("focus") == focus],
            "locations": sorted({g.location for g in group}),
            "technical": [{"shape": g.shape, "focus": g.focus, "path": g.path, "location": g.location} for g in group],
        })
    return cards


def _first_quote(evidence: list[dict], sources: dict) -> dict | None:
    for e in evidence:
        if e.get("quote"):
            meta = sources.get(e["source"], {})
            return {"quote": e["quote"], "title": meta.get("title") or e.get("title"), "section": e.get("section")}
    return None


def view_model(a: Assessment) -> dict:
    from .decision import decide

    areas = OrderedDict()
    outcome_by_req = {o.requirement: o for o in a.outcomes}
    for code, name in a.area_names.items():
        areas[code] = name
    for o in a.outcomes:
        areas.setdefault(o.area, o.area)

    def area_of(f: Finding) -> str:
        o = outcome_by_req.get(f.requirement)
        return o.area if o else "other"

    people = a.people_side or {}
    open_sorted = sorted(a.open_findings, key=lambda f: (list(areas).index(area_of(f)) if area_of(f) in areas
                                                         else len(areas), f.severity.rank,
                                                         f.status is not Status.not_met, f.requirement, f.focus))
    cards = _cards(open_sorted, a, outcome_by_req, 1, people)
    waived_cards = _cards(a.waived_findings, a, outcome_by_req, len(cards) + 1, people)
    cards_by_area: OrderedDict[str, list[dict]] = OrderedDict()
    for c in cards:
        cards_by_area.setdefault(outcome_by_req[c["requirement"]].area if c["requirement"] in outcome_by_req
                                 else "other", []).append(c)
    refs = {(c["requirement"], c["focus"]): c["ref"] for c in cards}
    technical = [dict(t, ref=c["ref"]) for c in cards + waived_cards for t in c["technical"]]
    requirements = [{
        "id": o.requirement, "title": o.title, "modality_text": MODALITY_TEXT.get(o.modality, o.modality),
        "status": outcome_text(o), "status_key": o.status.value, "verification": o.verification,
        "findings": o.findings, "transitional": o.transitional, "vacuous": o.vacuous,
        "group": "nothing-recorded" if o.vacuous else o.status.value,
    } for o in a.outcomes]
    met = []
    for o in a.outcomes:
        if o.status is not Status.met:
            continue
        shown = list(o.met_by[:5])
        met.append({"id": o.requirement, "title": o.title, "more": max(0, len(o.met_by) - len(shown)),
                    "see_also": list(o.see_also), "see_also_text": see_also_text(o),
                    "challenges": [x for x in people.get("assessments", []) if x["requirement"] == o.requirement],
                    "entities": [{"label": m["label"], "sources": _sources(list(m["evidence"])[:1], a.sources)}
                                 for m in shown]})
    manual = [{"id": o.requirement, "title": o.title, "question": o.question, "citations": _cite_view(o.sources),
               "power": o.modality == "POWER",
               "assessments": [x for x in people.get("assessments", []) if x["requirement"] == o.requirement]}
              for o in a.outcomes if o.status is Status.to_be_assessed]
    return {
        "a": a, "version": __version__, "d": decide(a, refs), "counts": a.counts(), "areas": areas,
        "cards": cards, "cards_by_area": cards_by_area, "waived_cards": waived_cards, "technical": technical,
        "requirements": requirements, "requirements_total": len(a.outcomes), "met": met, "manual": manual,
        "signatories": a.signatories, "editions": a.editions, "waiver_notes": a.waiver_notes,
        "previous": a.previous, "previous_lines": _previous_lines(a.previous),
        "changes": _change_groups(a.previous), "change_kinds": CHANGE_KINDS,
        "governance": _governance(a.governance), "people": people,
        "look_ahead": [dict(item, requirements=[dict(r, citations=_cite_view(r["citations"]),
                                                     modality_text=MODALITY_TEXT.get(r["modality"], r["modality"]))
                                                for r in item["requirements"]]) for item in a.look_ahead],
        "challenges": [x for x in people.get("assessments", []) if x["challenge"]],
        "external_challenges": [dict(c, response_text=response_text(c)) for c in a.challenges],
        "challenges_title": CHALLENGES_TITLE,
        "combined_areas": combined_areas_text(a.combined_areas) if a.combined_areas else None,
    }


CHANGE_KINDS = [("fixed", "Fixed"), ("worse", "Got worse (new findings on rules that applied last year)"),
                ("newly_applicable", "Newly applicable (a rule change, e.g. WT2023 in force)"),
                ("no_longer_applicable", "No longer applicable (gone because the rule no longer applies, not fixed)"),
                ("renamed", "Same issue, renamed entity (e.g. this year's report in place of last year's)"),
                ("persisting", "Still open")]


def _change_groups(previous: dict | None) -> dict:
    if not previous:
        return {}
    if "split" in previous:
        return previous["split"]
    f = previous["findings"]
    return {"fixed": f.get("resolved", []), "worse": f.get("new", []), "persisting": f.get("persisting", []),
            "newly_applicable": [], "no_longer_applicable": [], "renamed": []}


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


def _previous_lines(previous: dict | None) -> list[dict]:
    if not previous:
        return []
    from .changes import change_lines
    return [{"kind": line.split(": ", 1)[0], "text": line.split(": ", 1)[1]} for line in change_lines(previous["changes"])]


def render(a: Assessment) -> str:
    return environment().get_template("gap-report.html.j2").render(**view_model(a))
