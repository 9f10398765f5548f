"""``thscp-kg scan``: the document-consistency checks (catalogue area DOC) run on a document's text.

``check`` judges what a data file records a document as stating; ``scan`` reads the same
statements straight from the text (thscp_kg.documents.reading) and judges them with the same
profile parameters, so a scrutineer can run it on a draft yearly report before any data exists.
Each finding names the document, the page (PDF) or line, the section and the verbatim sentence.

What a document is about (its *reference period*) is the one period its title lines name; a
document whose first lines name several (a list of meetings) is not judged on DOC-01, 02's
multi-year spans or DOC-05, which need it. Its date (DOC-04, DOC-06) is the first date of its
header (a meeting date); without one, the start of the reference period, the earliest it can speak.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..findings import Assessment, Finding, RequirementOutcome, Severity, Status
from ..materialise.documents import read_period
from .extract import SourceDocument
from .reading import (Stated, dated_figures, document_date, guidance_citations, impossible_periods,
                      named_bodies, period_bounds, stated_periods, title_period)
from .structure import Structure, analyse

DOC_REQUIREMENTS = ("DOC-01", "DOC-02", "DOC-03", "DOC-04", "DOC-05", "DOC-06")


@dataclass(frozen=True)
class DocumentView:
    structure: Structure
    period: str | None           # reference period, '2023-24'
    date: dt.date | None         # header date
    date_basis: str


def view_of(doc: SourceDocument) -> DocumentView:
    s = analyse(doc)
    titled = title_period(s)
    period = titled[0] if titled else None
    header = document_date(s)
    if header:
        return DocumentView(s, period, header[0], f"dated {header[0].isoformat()} in its header")
    if period:
        start = period_bounds(period)[0]
        return DocumentView(s, period, None, f"no date in its header; judged no earlier than {start.isoformat()}, "
                                             f"the start of {period}")
    return DocumentView(s, None, None, "no date and no single period in its header")


def scan_documents(docs: list[SourceDocument], profile, catalogue, profile_id: str = "default") -> Assessment:
    findings: list[Finding] = []
    judged: dict[str, set[str]] = {r: set() for r in DOC_REQUIREMENTS}
    for doc in docs:
        view = view_of(doc)
        for req_id, stated, message, value in _judge(view, profile, judged):
            findings.append(_finding(catalogue.get(req_id), doc, view, stated, message, value))
    findings = sorted({f.sort_key() + (f.location,): f for f in findings}.values(), key=lambda f: (f.sort_key(), f.location))
    outcomes = []
    for req_id in DOC_REQUIREMENTS:
        req = catalogue.get(req_id)
        mine = [f for f in findings if f.requirement == req_id]
        status = Status.not_met if mine else (Status.met if judged[req_id] else Status.not_applicable)
        outcomes.append(RequirementOutcome(
            requirement=req.id, title=req.title, area=req.area, modality=req.modality,
            verification=req.verification, assessment="scan", status=status, findings=len(mine),
            targets=len(judged[req_id]), slug=req.slug, statement=" ".join(req.statement.split()),
            severity=req.severity, edition=req.edition, sources=tuple(s.model_dump() for s in req.sources),
            remediation=" ".join(req.remediation.split()), entities=tuple(sorted(judged[req_id]))))
    names = ", ".join(d.display for d in docs)
    return Assessment(partnership="documents", partnership_name=f"Document scan of {len(docs)} document(s)",
                      period="as each document states", as_of="each document's own date",
                      data_file=names, profile=profile_id,
                      findings=findings, outcomes=outcomes,
                      # No data file, so no stage of the year: the documents are read as they stand.
                      stage={"stage": "document scan", "reason": "documents read directly, without a data file"})


def _judge(view: DocumentView, profile, judged: dict[str, set[str]]):
    s = view.structure
    doc = s.doc
    focus = _focus(doc)
    rules = profile.documents
    # DOC-01: periods stated for the report presented or the work reported, against the title's.
    if view.period:
        for stated in stated_periods(s):
            judged["DOC-01"].add(focus)
            reading = read_period(stated.value)
            if reading.normalised and reading.normalised != view.period:
                yield ("DOC-01", stated, f"states the period '{stated.value}' ({reading.normalised}), but the "
                       f"document is about {view.period} (its title)", stated.value)
    # DOC-02: impossible year pairs.
    for stated in impossible_periods(s):
        judged["DOC-02"].add(focus)
        yield "DOC-02", stated, f"'{stated.value}' is not a reporting year: {stated.problem}", \
            f"'{stated.value}': {stated.problem}"
    if s.sentences:
        judged["DOC-02"].add(focus)
    # DOC-03: headings the document states (markup or its contents list) with nothing under them.
    stated_headings = [h for h in s.headings if h.stated]
    if stated_headings:
        judged["DOC-03"].add(focus)
    for h in s.empty_headings():
        yield "DOC-03", _heading_statement(s, h), f"the heading '{h.text}' has nothing under it", h.text
    if rules is None:
        return
    # DOC-04: guidance editions that do not exist, or that postdate the document.
    for stated in guidance_citations(s, rules.guidance_pattern):
        judged["DOC-04"].add(focus)
        year = int(stated.value[-4:])
        if year not in rules.guidance_editions:
            known = ", ".join(str(y) for y in sorted(rules.guidance_editions))
            yield "DOC-04", stated, f"cites '{stated.value}': there is no {year} edition (editions: {known})", stated.value
        elif view.date and year > view.date.year:
            yield "DOC-04", stated, f"cites '{stated.value}', an edition published after the document's date " \
                                    f"({view.date.isoformat()})", stated.value
    # DOC-05: dated figures older than the period allows.
    if view.period:
        start = period_bounds(view.period)[0]
        oldest = start.replace(year=start.year - rules.stale_figure_years)
        for stated in dated_figures(s):
            judged["DOC-05"].add(focus)
            if stated.as_at and stated.as_at < oldest:
                yield "DOC-05", stated, f"a figure for {stated.as_at.isoformat()} (the latest date the sentence " \
                                        f"gives) is more than {rules.stale_figure_years} years before {start.isoformat()}, " \
                                        f"the start of {view.period}", stated.value
    # DOC-06: bodies named after they ceased.
    speaks_from = view.date or (period_bounds(view.period)[0] if view.period else None)
    if speaks_from:
        for stated, body in named_bodies(s, rules.former_bodies):
            judged["DOC-06"].add(focus)
            if body.ceased_after < speaks_from:
                yield "DOC-06", stated, f"names '{stated.value}' as current, but the {body.name} ceased after " \
                                        f"{body.ceased_after.isoformat()} and the document speaks from " \
                                        f"{speaks_from.isoformat()} ({view.date_basis})", stated.value


def _heading_statement(s: Structure, h) -> Stated:
    from .structure import Sentence
    return Stated("heading", h.text, Sentence(h.text, h.line, h))


def _focus(doc: SourceDocument) -> str:
    return f"document/{doc.name}"


def _finding(req, doc: SourceDocument, view: DocumentView, stated: Stated, message: str, value: str) -> Finding:
    sentence = stated.sentence
    where = view.structure.where(sentence.line)
    location = doc.display if sentence.line.page is not None else f"{doc.display}:{sentence.line.number}"
    evidence = ({"source": doc.name, "title": doc.name, "file": doc.display,
                 "section": f"{sentence.section} ({where})", "quote": sentence.text},)
    return Finding(
        requirement=req.id, title=req.title, severity=Severity(req.severity), status=Status.not_met,
        focus=_focus(doc), focus_label=f"{doc.name} ({where})", location=location,
        message=message, citations=tuple(s.model_dump() for s in req.sources), verification=req.verification,
        edition="local", edition_basis=f"{view.period or 'no single period'}; {view.date_basis}",
        shape="scan", constraint="text", path=stated.kind, value=value,
        remediation=" ".join(req.remediation.split()), fails_ci=not req.unverified, evidence=evidence)
