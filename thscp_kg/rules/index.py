"""reports/requirements.md: the browsable catalogue index, generated from the catalogue."""
from __future__ import annotations

from collections import Counter

from .catalogue import Catalogue
from ..safe_text import md_text

# Definitions are not checks (issue #3): they live in the ontology as terms.
DEFINITIONS = (
    ("CA04-16E-03", "Safeguarding partners (also checked, as the three partners being in place)",
     "scp:LocalAuthority, scp:IntegratedCareBoard, scp:ClinicalCommissioningGroup, scp:PoliceForce", "V"),
    ("CA04-16E-04", "Relevant agency", "scp:RelevantAgency", "V"),
    ("REG18-18", "Schedule of relevant agencies (amended 6 Nov 2023; content partly UNVERIFIED)",
     "scp:ScheduleCategory and its concepts", "V/S"),
    ("WT23-DEF-01", "Serious child safeguarding case; serious harm", "scp:SeriousIncidentNotification, scp:RapidReview", "S"),
    ("CA04-16B-REF", "National reviews (context only)", "scp:NationalBody (the Panel)", "V"),
)


def _cell(text: str) -> str:
    return md_text(text)


def render(catalogue: Catalogue) -> str:
    active = catalogue.active()
    by_assessment = Counter(r.assessment for r in active)
    by_verification = Counter(r.verification for r in active)
    out = [
        "# Requirements catalogue index",
        "",
        "Generated from `catalogue/requirements/*.yaml` by `thscp-kg rules --markdown -o reports/requirements.md`;",
        "do not edit by hand. Paragraph numbers marked UNVERIFIED could not be checked against the",
        "primary text; verification codes: V verified, S secondary sources, M believed but UNVERIFIED,",
        "C sources conflict. Requirements with M or C never fail CI by default.",
        "",
        f"{len(active)} requirements: " + ", ".join(f"{n} {k}" for k, n in sorted(by_assessment.items()))
        + "; verification " + ", ".join(f"{k} {n}" for k, n in sorted(by_verification.items())) + ".",
        "",
    ]
    for area, name in catalogue.areas.items():
        rows = [r for r in active if r.area == area]
        if not rows:
            continue
        out += [f"## {area} — {name}", "",
                "| ID | Requirement | Modality | Severity | Verified | Edition | Assessment | Checked by | Fixtures |",
                "|---|---|---|---|---|---|---|---|---|"]
        for r in rows:
            checked = ", ".join(f"`{s}`" for s in r.shapes) or ("graph check" if r.assessment == "graph" else "a person")
            fixtures = f"`tests/requirements/{r.id}/`" if r.assessment != "manual" else "—"
            out.append(f"| {r.id} | {_cell(r.title)} | {r.modality} | {r.severity} | {r.verification} | "
                       f"{r.edition} | {r.assessment}{' (transitional)' if r.transitional else ''} | {checked} | {fixtures} |")
        out.append("")
        for r in rows:
            out += [f"### {r.id} · {_cell(r.title)}", "", _cell(r.statement), ""]
            out += [f"- Source: {_cell(s.instrument)} {_cell(s.provision)} [{s.verification}] <{s.iri}>" for s in r.sources]
            if r.question:
                out.append(f"- Question for the assessor: {_cell(r.question)}")
            out.append(f"- What to do: {_cell(r.remediation)}")
            if r.note:
                out.append(f"- Note: {_cell(r.note)}")
            out.append("")
    out += ["## Definitions (ontology terms, not checks)", "", "| ID | Definition | Ontology terms | Verified |",
            "|---|---|---|---|"]
    out += [f"| {i} | {_cell(d)} | {t} | {v} |" for i, d, t, v in DEFINITIONS]
    return "\n".join(out).rstrip() + "\n"
