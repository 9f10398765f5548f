"""Validate step: the only caller of pySHACL; SHACL results become ``Finding``s.

Shapes are joined to the catalogue through ``dcterms:identifier``; severity and status come
from the shape, citations and verification from the catalogue, the focus entity's data-file
id and line from the graph (``scp:localId``) and the loader's locations.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from dataclasses import replace

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, TIME

from ..findings import Finding, Severity, Status
from ..namespaces import SCP, SCP_SH

if TYPE_CHECKING:   # types only: their modules import pydantic or the YAML reader, a run needs neither
    from ..load.loader import LoadedYear
    from ..rules.catalogue import Catalogue, Requirement

SEVERITY = {SH.Violation: Severity.violation, SH.Warning: Severity.warning, SH.Info: Severity.info}
STATUS = {SCP.NotMet: Status.not_met, SCP.NotEvidenced: Status.not_evidenced}


def empty_results() -> Graph:
    """The validation report pySHACL gives when nothing fails: conforms, no results."""
    from rdflib import BNode

    report, node = Graph(), BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(True)))
    return report


def findings_from_results(results: Graph, data: Graph, shapes: Graph, catalogue: Catalogue,
                          loaded: LoadedYear | None) -> list[Finding]:
    findings: dict[tuple, Finding] = {}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        req_id = shapes.value(shape, DCTERMS.identifier)
        if req_id is None:
            continue  # not one of our requirement shapes (e.g. a nested operand)
        req = catalogue.get(str(req_id))
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        finding = _finding(req, shape, focus, value, results.value(result, SH.resultPath),
                           results.value(result, SH.sourceConstraintComponent),
                           results.value(result, SH.resultSeverity), data, shapes, loaded)
        findings[finding.sort_key()] = finding  # one finding per shape, entity and value
    return sorted(apply_transition(list(findings.values()), data, catalogue), key=Finding.sort_key)


def _finding(req: Requirement, shape, focus, value, path, component, severity, data: Graph, shapes: Graph,
             loaded: LoadedYear | None) -> Finding:
    subject = data.value(focus, SCP.deadlineFor) or focus
    local = str(data.value(subject, SCP.localId) or _short(subject))
    label = _label(data, subject)
    message = str(shapes.value(shape, SH.message) or req.title)
    if subject is not focus:  # a deadline: the dates go in due/actual; the value names who should receive
        acceptable = sorted(_label(data, r) for r in data.objects(focus, SCP.acceptableRecipient))
        value_text = " or ".join(acceptable) or None
    elif value is None:
        value_text = None
    else:
        value_text = _label(data, value) if isinstance(value, URIRef) else str(value)
    message = message.replace("{?value}", value_text or "?").replace("{$this}", label)
    if "{clockStart}" in message:  # which clock start the profile chose (a contested aspect)
        message = message.replace("{clockStart}", str(data.value(focus, SCP.clockStartRule) or "clock start not recorded"))
    message = message.split(": ", 1)[1] if message.startswith(req.id + ": ") else message
    approximately = approximately_text(data, focus, subject)
    message += approximately
    due = _date(data.value(focus, SCP.dueBy))
    actual = _date(data.value(focus, SCP.actualDate))
    days_late = (actual - due).days if due and actual and actual > due else None
    if due and not actual:
        as_of = _date(data.value(focus, SCP.asOfDate))
        days_late = (as_of - due).days if as_of and as_of > due else None
    edition, basis = _edition(req, data, subject, focus)
    verification = req.verification_for_shape(_short(shape))
    return Finding(
        requirement=req.id, title=req.title, severity=cap_power(req, SEVERITY[severity]),
        status=STATUS.get(shapes.value(shape, SCP.failureStatus), Status.not_met),
        focus=local, focus_label=label, location=_location(loaded, local, data, subject),
        message=message, citations=req.citations(),
        verification=verification, edition=edition, edition_basis=basis,
        shape=_short(shape), constraint=_short(component), path=_path_text(path, shapes),
        value=value_text, due=due.isoformat() if due else None, actual=actual.isoformat() if actual else None,
        days_late=days_late, days_late_at_least=True if days_late and approximately else None,
        working_days_late=_int(data.value(focus, SCP.workingDaysLate)),
        remediation=" ".join(req.remediation.split()), fails_ci=not unverified(verification),
        evidence=evidence_of(data, subject))


def approximately_text(data: Graph, focus, subject) -> str:
    """' Approximately: published September 2023 (2023-09-01 to 2023-09-30).' when the finding rests on
    an approximate or inferred date (materialise.deadlines), so it never reads as exact."""
    parts = [str(v) for v in (data.value(focus, SCP.actualApproximately), data.value(focus, SCP.dueApproximately))
             if v is not None]
    if not parts:
        return ""
    verdict = ""
    if (focus, SCP.timingUncertain, Literal(True)) not in data and data.value(focus, SCP.actualDate) is not None \
            and data.value(focus, SCP.dueBy) is not None:
        verdict = "; late on every possible day" if data.value(focus, SCP.actualDate).toPython() > data.value(
            focus, SCP.dueBy).toPython() else ""
    return f" Approximately: {'; '.join(parts)}{verdict}."


def cap_power(req: Requirement, severity: Severity) -> Severity:
    """A power ("may") cannot be breached: whatever a shape says, its findings are at most info."""
    return Severity.info if req.modality == "POWER" else severity


def unverified(verification: str) -> bool:
    """Status M or C anywhere: shown, never failing CI by default."""
    return "M" in verification or "C" in verification


def evidence_of(data: Graph, subject) -> tuple[dict, ...]:
    """The evidence recorded for an entity: each prov:qualifiedDerivation's source and section."""
    out = set()
    for cite in data.objects(subject, PROV.qualifiedDerivation):
        source = data.value(cite, PROV.entity)
        if source is None:
            continue
        item = {"source": str(data.value(source, SCP.localId) or _short(source)).removeprefix("source/"),
                "title": _label(data, source), "section": str(data.value(cite, SCP.section) or "")}
        file_name = data.value(source, SCP.fileName)
        if file_name is not None:
            item["file"] = str(file_name)
        quote = data.value(cite, SCP.quote)
        if quote is not None:
            item["quote"] = str(quote)
        out.add(tuple(sorted(item.items())))
    return tuple(dict(t) for t in sorted(out, key=lambda t: (dict(t)["title"], dict(t)["section"], t)))


def _edition(req: Requirement, data: Graph, subject, focus=None) -> tuple[str, str]:
    """The edition the check applied, and why: statute always; a WT18/WT23 entry its own edition;
    an entry for both editions the one governing the entity's date (a deadline's own edition
    first). An undated document judged under two editions gives the later as ``edition`` (one
    value, the JSON contract) and its basis names both. The 2026 Act amends CA04: statute."""
    if req.edition in ("CA04", "REG18", "CWSA26"):
        return "CA04" if req.edition == "CWSA26" else req.edition, "statute"
    nodes = sorted(data.objects(focus, SCP.governedBy)) if focus is not None and focus != subject else []
    nodes = nodes or sorted(data.objects(subject, SCP.governedBy))
    governing = str(nodes[-1]).rsplit("#", 1)[-1] if nodes else None
    edition = {"WT18": "WT2018", "WT23": "WT2023"}.get(req.edition) or governing or req.edition
    if (subject, RDF.type, SCP.PartnershipYear) in data:
        start, end = (data.value(data.value(data.value(subject, SCP.period), p), TIME.inXSDDate)
                      for p in (TIME.hasBeginning, TIME.hasEnd))
        basis = f"period {start} to {end} (as of {data.value(subject, SCP.asOf)})"
    else:
        basis = str(data.value(subject, SCP.editionBasis) or "")
    note = data.value(subject, SCP.revisionNote)
    if note is not None and str(note).startswith(edition + " "):
        basis = f"{basis}; {note}" if basis else str(note)
    return edition, basis


TRANSITIONAL_NOTE = ("WT2023 transitional: revised arrangements are not yet recorded as published and the "
                     "transition deadline has not passed, so this is reported as info (requirements.md §1).")


def apply_transition(findings: list[Finding], data: Graph, catalogue: Catalogue) -> list[Finding]:
    """WT2023 structural expectations are info, not warnings, while a year is transitional."""
    if not findings:
        return findings  # nothing to change: skip the scan of the graph (most store years, issue 16)
    transitional_years = set(data.subjects(SCP.wt2023Transitional, Literal(True)))
    if not transitional_years:
        return findings
    out = []
    for f in findings:
        req = catalogue.get(f.requirement)
        if req.transitional and f.edition == "WT2023" and f.severity is not Severity.info:
            f = replace(f, severity=Severity.info, edition_basis=f"{f.edition_basis}; {TRANSITIONAL_NOTE}".lstrip("; "))
        out.append(f)
    return out


def _label(graph: Graph, node) -> str:
    label = graph.value(node, RDFS.label)
    if label is None and isinstance(node, URIRef) and str(node).startswith(str(SCP)):
        from ..ontology import ontology_label
        label = ontology_label(node)
    return str(label) if label is not None else _short(node)


def _short(node) -> str:
    text = str(node)
    if text.startswith(str(SCP_SH)):
        return "scp-sh:" + text[len(str(SCP_SH)):]
    if text.startswith(str(SH)):
        return "sh:" + text[len(str(SH)):]
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _path_text(path, shapes: Graph) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return shapes.namespace_manager.normalizeUri(path)
    return "complex path"


def _int(value) -> int | None:
    return value.toPython() if isinstance(value, Literal) and isinstance(value.toPython(), int) else None


def _date(value) -> dt.date | None:
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, dt.date):
            return py
    return None


def _location(loaded: LoadedYear | None, local: str, data: Graph, subject) -> str:
    if loaded is None:
        return ""
    loc = loaded.locations.get(local)
    if loc is not None:
        return str(loc)
    line = data.value(subject, SCP.sourceLine)
    if line is not None:
        return f"{loaded.file}:{line}"
    if local.startswith("year/"):
        return f"{loaded.file}:{loaded.document.line_of(('period',)) or 1}"
    return loaded.file

