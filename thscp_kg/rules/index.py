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


def render(catalogue: Catalogue, changelog=None) -> str:
    from .changelog import load_changelog, render_markdown

    changelog = changelog if changelog is not None else load_changelog()
    active = catalogue.active()
    by_assessment = Counter(r.assessment for r in active)
    by_verification = Counter(r.verification for r in active)
    citations = [c for r in active for c in r.sources]
    by_citation = Counter(c.verification for c in citations)
    by_modality = Counter(r.modality for r in active)
    out = [
        "# Requirements catalogue index",
        "",
        "Generated from `catalogue/requirements/*.yaml` by `thscp-kg rules --markdown -o reports/requirements.md`;",
        "do not edit by hand. Paragraph numbers marked UNVERIFIED could not be checked against the",
        "primary text. Verification is computed from each citation's record of the check behind it: V the",
        "provision's own text was read (legislation.gov.uk), S a verbatim reproduction was read, M believed",
        "but UNVERIFIED (no record), C sources conflict; a requirement combines its citations' codes.",
        "Requirements with M or C never fail CI by default. A power (POWER) cannot be breached: never a violation.",
        "",
        f"{len(active)} requirements: " + ", ".join(f"{n} {k}" for k, n in sorted(by_assessment.items()))
        + "; modality " + ", ".join(f"{k} {n}" for k, n in sorted(by_modality.items()))
        + "; verification " + ", ".join(f"{k} {n}" for k, n in sorted(by_verification.items()))
        + f". {len(citations)} citations: " + ", ".join(f"{k} {n}" for k, n in sorted(by_citation.items())) + ".",
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
            for src in r.sources:
                link = src.link or src.iri
                out.append(f"- Source: {_cell(src.instrument)} {_cell(src.provision)} [{src.verification}] <{link}>")
                if src.quote:
                    out.append(f"  - Checked {src.checked} against {'the provision' if src.text == 'provision' else 'a reproduction'}"
                               f" <{src.url}>: “{_cell(src.quote)}”")
                    out += [f"  - Also <{a.url}>: “{_cell(a.quote)}”" for a in src.also]
                if src.unverified:
                    out.append(f"  - UNVERIFIED: {_cell(src.unverified)}")
                if src.conflict:
                    out.append(f"  - Sources conflict: {_cell(src.conflict)}")
            for aspect in r.aspects:
                out.append(f"- Aspect '{_cell(aspect.name)}' [{aspect.verification}] (shapes {', '.join(aspect.shapes)}"
                           + (f"; profile `{aspect.parameter}`" if aspect.parameter else "") + f"): {_cell(aspect.note)}")
            if r.commences:
                out.append(f"- Not in force until commenced: profile `commencement.{r.commences}` (default: not commenced)")
            if r.question:
                out.append(f"- Question for the assessor: {_cell(r.question)}")
            out.append(f"- What to do: {_cell(r.remediation)}")
            if r.note:
                out.append(f"- Note: {_cell(r.note)}")
            out.append("")
    out += ["## Definitions (ontology terms, not checks)", "", "| ID | Definition | Ontology terms | Verified |",
            "|---|---|---|---|"]
    out += [f"| {i} | {_cell(d)} | {t} | {v} |" for i, d, t, v in DEFINITIONS]
    out += [""] + render_markdown(changelog)
    return "\n".join(out).rstrip() + "\n"
