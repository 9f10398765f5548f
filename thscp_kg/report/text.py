"""The terminal summary: counts first, then one block per violation or warning; good-practice
(info) findings one line per requirement, so the summary stays readable. Every finding is in
full in gap-report.md and gap-report.html."""
from __future__ import annotations

import re
import textwrap

from ..findings import Assessment
from ..safe_text import terminal_safe
from .common import STATUS_TEXT, VERIFICATION_TEXT, citation, see_also_text, timing

FORCE = {"violation": "duty", "warning": "guidance", "info": "practice"}
# A wrapped line's continuation is indented under its text: past a list number ("1. "), an aligned
# label ("NOT MET        duty     ID  ") or a leading indent.
_HANGING = re.compile(r"^(\s*(?:\d+\. |- |[A-Z]+(?: [A-Z]+)* {2,}(?:\S+ {2,})?)?)")


def wrap(line: str, width: int | None) -> list[str]:
    """One summary line as lines of at most ``width`` characters where its words allow, the rest
    indented under its text (a path, an IRI or an id longer than the width is kept whole). None: as it is."""
    if width is None or len(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    hang = _HANGING.match(line)
    indent = len(hang.group(1)) if hang and hang.group(1) and len(hang.group(1)) < width // 2 else lead
    return textwrap.wrap(line, width=width, initial_indent="", subsequent_indent=" " * indent,
                         break_long_words=False, break_on_hyphens=False, drop_whitespace=True) or [line]


def render(a: Assessment, width: int | None = None) -> str:
    """``width``: a terminal's, to wrap the lines to; None (files, pipes, CI logs) leaves each line whole,
    so gap-report.txt and piped output are the same bytes wherever they are made."""
    counts = a.counts()
    # A power (modality POWER, issue 15) is never breached: its findings are info, counted apart from
    # good practice so that neither is mistaken for the other.
    power_ids = {o.requirement for o in a.outcomes if o.modality == "POWER"}
    powers = sum(1 for f in a.open_findings if f.requirement in power_ids)
    from .summary import decision_lines

    lines = [
        f"{a.partnership_name} — {a.period} (as of {a.as_of}; profile {a.profile})",
        *decision_lines(a, bullet="  "),
        "",
        f"Data: {a.data_file}",
        # By force, not "violations": most open findings on duties are missing data (counted above).
        f"Findings: {counts['violation']} on statutory duties, {counts['warning']} on statutory guidance, "
        f"{counts['info'] - powers} good practice" + (f", {powers} on powers (to be assessed)" if powers else "")
        + (f" ({len(a.waived_findings)} more waived)" if a.waived_findings else "")
        + "; severity violation / warning / info in the JSON and SARIF",
        "",
    ]
    info = [f for f in a.open_findings if f.severity.value == "info"]
    for f in (f for f in a.open_findings if f.severity.value != "info"):
        # Lead with what the data shows (a breach, or missing data), then the force of the rule: missing
        # data on a duty is never printed as a "violation".
        lines.append(f"{STATUS_TEXT[f.status].upper():14} {FORCE[f.severity.value]:8} {f.requirement}  {f.title}")
        lines.append(f"{'':24}{f.focus_label} ({f.location})")
        detail = f.message + (f" — {f.value}" if f.value and f.value not in f.message else "")
        lines.append(f"{'':24}{detail}")
        if timing(f):
            lines.append(f"{'':24}{timing(f)}")
        lines.append(f"{'':24}{citation(f)} — {f.edition}; verification {f.verification} "
                     f"({VERIFICATION_TEXT.get(f.verification, f.verification)})")
        lines.append("")
    if info:
        lines.append(f"INFO      {len(info)} good-practice, power or transitional finding(s), in full in the Markdown and HTML reports:")
        by_req: dict[str, list] = {}
        for f in info:
            by_req.setdefault(f.requirement, []).append(f)
        for req_id, group in sorted(by_req.items()):
            entities = sorted({f.focus_label for f in group})
            shown = ", ".join(entities[:3]) + (f" and {len(entities) - 3} more" if len(entities) > 3 else "")
            lines.append(f"          {req_id:12} {group[0].title} — {len(group)} on {shown}")
        lines.append("")
    for f in a.waived_findings:
        w = f.waiver
        lines.append(f"WAIVED    {f.requirement}  {f.title} [{STATUS_TEXT[f.status]}, {f.severity.value}]")
        lines.append(f"          {f.focus_label} ({f.location})")
        lines.append(f"          waiver {w['id']} until {w['expiry']}, approved by {w['approver_label']}")
        lines.append("")
    for n in a.waiver_notes:
        lines.append(f"WAIVER    {n['id']} ({n['requirement']} on {n['focus']}) {n['kind']}: {n['message']}")
    if a.waiver_notes:
        lines.append("")
    if a.previous:
        s = a.previous["summary"]
        lines.append(f"Since {a.previous['old']['period']}: {s['new']} new, {s['resolved']} resolved, "
                     f"{s['persisting']} persisting finding(s) (thscp-kg diff for detail).")
    for item in a.look_ahead:
        ids = ", ".join(r["requirement"] for r in item["requirements"])
        lines.append(f"NOT YET   {item['title']}: {ids} not in force for this year "
                     "(look-ahead in the Markdown and HTML reports).")
    if a.look_ahead:
        lines.append("")
    for o in a.outcomes:  # a met requirement with related open findings is never shown as a clean "met"
        if o.status.value == "met" and o.see_also:
            lines.append(f"MET       {o.requirement}  {o.title}{see_also_text(o)}")
    met = sum(1 for o in a.outcomes if o.status.value == "met")
    waiting = sum(1 for o in a.outcomes if o.status.value == "not-yet-in-force")
    lines.append(f"Requirements: {met} met of {len(a.outcomes)} checked "
                 f"({sum(1 for o in a.outcomes if o.status.value == 'not-applicable')} not applicable this year"
                 + (f", {waiting} not yet in force" if waiting else "") + ").")
    # Every field reaches a terminal or a CI log: nothing in one may start a new line or hide text.
    return "\n".join(part for line in lines for part in wrap(terminal_safe(line), width)) + "\n"
