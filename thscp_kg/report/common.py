"""Wording shared by the report formats."""
from __future__ import annotations

from ..findings import Finding, Status

STATUS_TEXT = {
    Status.met: "MET", Status.not_met: "NOT MET", Status.not_evidenced: "NOT EVIDENCED",
    Status.to_be_assessed: "TO BE ASSESSED", Status.not_applicable: "NOT APPLICABLE", Status.waived: "WAIVED",
}
VERIFICATION_TEXT = {
    "V": "verified against the provision", "S": "secondary sources; paragraph UNVERIFIED",
    "M": "UNVERIFIED", "C": "sources conflict", "S/M": "partly UNVERIFIED", "V/S": "partly verified",
    "M/C": "UNVERIFIED; sources conflict", "M/S": "partly UNVERIFIED",
}


def citation(f: Finding) -> str:
    return "; ".join(f"{c['instrument']} {c['provision']}" for c in f.citations)


def timing(f: Finding) -> str:
    parts = []
    if f.due:
        parts.append(f"due {f.due}")
    if f.actual:
        parts.append(f"actual {f.actual}")
    if f.days_late:
        parts.append(f"{f.days_late} day{'s' if f.days_late != 1 else ''} late")
    return ", ".join(parts)
