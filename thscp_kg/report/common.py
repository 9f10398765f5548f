"""Wording shared by the report formats."""
from __future__ import annotations

from ..findings import Finding, Status

STATUS_TEXT = {
    Status.met: "MET", Status.not_met: "NOT MET", Status.not_evidenced: "NOT EVIDENCED",
    Status.to_be_assessed: "TO BE ASSESSED", Status.not_applicable: "NOT APPLICABLE", Status.waived: "WAIVED",
    Status.not_yet_in_force: "NOT YET IN FORCE",
    Status.not_yet_due: "NOT YET DUE",
}
NOTHING_RECORDED = "NOT EVIDENCED (nothing recorded to check)"


def outcome_text(o) -> str:
    """A requirement outcome in words; a check that found nothing to look at says so."""
    text = NOTHING_RECORDED if getattr(o, "vacuous", False) else STATUS_TEXT[o.status]
    return text + see_also_text(o)


def see_also_text(o) -> str:
    """' — but see GOV-07, CA04-16G-05: independence risks' for a met outcome with related open findings."""
    related = getattr(o, "see_also", ())
    if not related:
        return ""
    return f" — but see {', '.join(s['requirement'] for s in related)}: {related[0]['why']}"


VERIFICATION_TEXT = {
    "V": "verified against the provision", "S": "secondary sources; paragraph UNVERIFIED",
    "M": "UNVERIFIED", "C": "sources conflict", "S/M": "partly UNVERIFIED", "V/S": "partly verified",
    "M/C": "UNVERIFIED; sources conflict", "M/S": "partly UNVERIFIED", "V/M": "partly UNVERIFIED",
    "S/C": "secondary sources; an aspect contested (sources conflict)", "V/S/M": "partly UNVERIFIED",
    "S/M/C": "partly UNVERIFIED; an aspect contested (sources conflict)", "V/C": "an aspect contested",
    "V/S/C": "an aspect contested (sources conflict)", "V/M/C": "partly UNVERIFIED; sources conflict",
}


def citation(f: Finding) -> str:
    return "; ".join(f"{c['instrument']} {c['provision']}" for c in f.citations)


def citation_link(c: dict) -> str | None:
    """Where a report links a citation (thscp_kg/report/links.py): never the placeholder namespace."""
    from .links import citation_url

    return citation_url(c) or None


def late_text(days: int, at_least: bool | None = False) -> str:
    """'3 days late'; 'at least 3 days late' when a date it rests on is approximate."""
    return f"{'at least ' if at_least else ''}{days} day{'s' if days != 1 else ''} late"


def timing(f: Finding) -> str:
    parts = []
    if f.due:
        parts.append(f"due {f.due}")
    if f.actual:
        parts.append(f"actual {f.actual}")
    if f.days_late:
        parts.append(late_text(f.days_late, f.days_late_at_least))
    return ", ".join(parts)


# -- shared by the HTML, SARIF and JUnit outputs ------------------------------------------------------
# RAG, written down (anchors §5: a RAG rating is only useful with its definitions stated).
RAG = {
    "red": ("Red", "A statutory duty (MUST) is not met or not evidenced: act now."),
    "amber": ("Amber", "Statutory guidance (SHOULD) is not met or not evidenced: agree actions."),
    "green": ("Green", "Met on the evidence recorded."),
    "blue": ("Info", "Good practice not shown: consider."),
    "grey": ("Grey", "Not applicable this year, or to be assessed by a person."),
    "waived": ("Waived", "Accepted by a lead safeguarding partner until the waiver's expiry."),
}
SEVERITY_RAG = {"violation": "red", "warning": "amber", "info": "blue"}
SEVERITY_LABEL = {"violation": "Violation", "warning": "Warning", "info": "Info"}
SARIF_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}
MODALITY_TEXT = {"MUST": "statutory duty", "MUST(g)": "statutory guidance: must", "SHOULD": "statutory guidance: should",
                 "GP": "good practice", "POWER": "power (\u201cmay\u201d): cannot be breached"}


def outcome_rag(status: Status, severity: str) -> str:
    if status in (Status.not_met, Status.not_evidenced):
        return SEVERITY_RAG.get(severity, "amber")
    if status is Status.met:
        return "green"
    if status is Status.waived:
        return "waived"
    return "grey"


def finding_rag(f: Finding) -> str:
    return "waived" if f.waived else SEVERITY_RAG[f.severity.value]


def split_location(location: str) -> tuple[str, int | None]:
    """``file:line`` → (file, line); a bare file → (file, None)."""
    head, sep, tail = location.rpartition(":")
    if sep and tail.isdigit():
        return head, int(tail)
    return location, None


def fingerprint(f: Finding) -> str:
    """Stable id of a finding across runs: requirement, entity, value and check (``Finding.key``)."""
    import hashlib
    return hashlib.sha256("\x1f".join(f.key).encode("utf-8")).hexdigest()[:32]


def unverified(verification: str) -> bool:
    return "M" in verification or "C" in verification
