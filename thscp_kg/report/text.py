"""The terminal summary: counts first, then one block per finding."""
from __future__ import annotations

from ..findings import Assessment
from .common import STATUS_TEXT, VERIFICATION_TEXT, citation, timing


def render(a: Assessment) -> str:
    counts = a.counts()
    lines = [
        f"{a.partnership_name} — {a.period} (as of {a.as_of}; profile {a.profile})",
        f"Data: {a.data_file}",
        f"Findings: {counts['violation']} violation, {counts['warning']} warning, {counts['info']} info",
        "",
    ]
    for f in a.findings:
        lines.append(f"{f.severity.value.upper():9} {f.requirement}  {f.title} [{STATUS_TEXT[f.status]}]")
        lines.append(f"          {f.focus_label} ({f.location})")
        detail = f.message + (f" — {f.value}" if f.value and f.value not in f.message else "")
        lines.append(f"          {detail}")
        if timing(f):
            lines.append(f"          {timing(f)}")
        lines.append(f"          {citation(f)} — {f.edition}; verification {f.verification} "
                     f"({VERIFICATION_TEXT.get(f.verification, f.verification)})")
        lines.append("")
    met = sum(1 for o in a.outcomes if o.status.value == "met")
    lines.append(f"Requirements: {met} met of {len(a.outcomes)} checked "
                 f"({sum(1 for o in a.outcomes if o.status.value == 'not-applicable')} not applicable this year).")
    return "\n".join(lines) + "\n"
