"""The Markdown gap report: what the executive reads before sign-off."""
from __future__ import annotations

from ..findings import Assessment, Finding, Severity, Status
from ..safe_text import md_text
from .challenges import combined_areas_text
from .common import STATUS_TEXT, VERIFICATION_TEXT, citation_link, outcome_text, timing


def _cell(text: str) -> str:
    """Data text for Markdown: inert (no HTML, links or images), pipes escaped, one line."""
    return md_text(text)


def _decision(a: Assessment) -> list[str]:
    """Page one of the HTML report, as Markdown: the verdict first, then what needs doing."""
    from .summary import decision_lines

    lines = decision_lines(a, escape=_cell)
    out = [f"**{lines[0]}**", ""]
    for line in lines[1:]:
        # numbered items and checklist bullets stay list items; the rest are paragraphs
        out += [line] if line[:1].isdigit() or line.startswith("- ") else ["", line, ""]
    out = [line for i, line in enumerate(out) if not (line == "" and i and out[i - 1] == "")]
    return out[:-1] if out and out[-1] == "" else out


def _citations(items) -> str:
    """Citations as Markdown links to the real publication (the placeholder namespace is never linked)."""
    out = []
    for c in items:
        text = _cell(f"{c['instrument']} {c['provision']}")  # brackets escaped: the link text stays text
        link = citation_link(c)
        out.append(f"[{text}](<{link}>)" if link else text)
    return "; ".join(out)


def render(a: Assessment) -> str:
    counts = a.counts()
    out = [
        f"# Gap report: {_cell(a.partnership_name)}, {_cell(a.period)}",
        "",
        "## The decision",
        "",
        *_decision(a),
        "",
        f"- **As of:** {a.as_of} (time-relative checks use this date, never today's)",
        f"- **Data file:** `{_cell(a.data_file)}`",
        f"- **Profile:** {_cell(a.profile)}",
        *([f"- **Areas combined:** {_cell(combined_areas_text(a.combined_areas))}"] if a.combined_areas else []),
        f"- **Findings:** {counts['violation']} violation, {counts['warning']} warning, {counts['info']} info"
        + (f" ({sum(a.waived_counts().values())} more waived)" if a.waived_findings else ""),
        "",
        "Severity follows the legal force of the requirement: **violation** for a statutory duty "
        "(MUST), **warning** for statutory guidance (SHOULD), **info** for good practice. "
        "*Not evidenced* means the data does not record what is needed to show the requirement is "
        "met; it is not a finding that the partnership failed. Requirements whose citation is "
        "UNVERIFIED (status M or C) are shown but do not fail CI by default.",
        "",
    ]
    out += _challenges(a)
    out += [
        "## Requirements",
        "",
        "| ID | Requirement | Status | Modality | Verified | Findings |",
        "|---|---|---|---|---|---|",
    ]
    for o in a.outcomes:
        out.append(f"| {o.requirement} | {_cell(o.title)} | {outcome_text(o)} | {o.modality} | "
                   f"{o.verification} | {o.findings} |")
    manual = [o for o in a.outcomes if o.status is Status.to_be_assessed]
    if manual:
        out += ["", "## To be assessed by a person", ""]
        out += [f"- **{o.requirement}** {_cell(o.title)}: {_cell(o.question)}" for o in manual]
    if a.look_ahead:
        out += ["", "## Look-ahead: law not yet in force", "",
                "These duties are law but come into force on a day set by regulations; they are not checked "
                "for this year (profile `commencement:`)."]
        for item in a.look_ahead:
            when = (f"commences on {item['in_force_from']}, after the period judged" if item["in_force_from"]
                    else "not yet commenced")
            out += ["", f"### What changes when {_cell(item['short'])} commences", "",
                    f"{_cell(item['title'])}: {when}" + (f" ({_cell(item['note'])})" if item.get("note") else "") + ".", ""]
            for r in item["requirements"]:
                out.append(f"- **{r['requirement']}** {_cell(r['title'])} (NOT YET IN FORCE; {r['modality']}, "
                           f"verification {r['verification']}): {_cell(r['statement'])} Source: "
                           f"{_citations(r['citations'])}. To prepare: {_cell(r['remediation'])}")
    if a.governance:
        out += ["", "## Governance and links to other strategic boards", "",
                "The diagram is `governance.svg` and the network measures (agencies per group, membership "
                "overlap, centrality of posts) are in `governance-measures.md`, both beside this report."]
    for severity in Severity:
        group = [f for f in a.open_findings if f.severity is severity]
        if not group:
            continue
        out += ["", f"## {severity.value.capitalize()}s ({len(group)})", ""]
        for f in group:
            out += _finding(f)
    if a.waived_findings:
        out += ["", f"## Waived ({len(a.waived_findings)})", "",
                "Accepted risks: shown for transparency, counted apart, never failing the run.", ""]
        for f in a.waived_findings:
            w = f.waiver
            out += _finding(f)[:-1] + [
                f"- **Waived:** until {w['expiry']} by {_cell(w['approver_label'])} (approved {w['date']}, "
                f"written by {_cell(w['author_label'])}; waiver `{w['id']}`): {_cell(w['justification'])}", ""]
    if a.waiver_notes:
        out += ["", "## Waivers that did not apply", ""]
        out += [f"- **{n['id']}** ({n['requirement']} on `{n['focus']}`): {n['kind']}: {_cell(n['message'])}"
                for n in a.waiver_notes]
    if a.previous:
        out += _previous(a.previous)
    return "\n".join(out).rstrip() + "\n"


def _challenges(a: Assessment) -> list[str]:
    from .challenges import TITLE, response_text
    if not a.challenges:
        return []
    out = [f"## {TITLE}", "",
           "Weaknesses the partnership names itself, and concerns raised with it by scrutiny, inspection or "
           "a dispute, as the sources record them.", "",
           "| Raised | By | Kind | Gap or concern | Response | Answered in |", "|---|---|---|---|---|---|"]
    for c in a.challenges:
        answered = "; ".join(c["answered_in"]) or (
            "—" if not c["external"] else "for the next year's report" if c["awaiting_next_report"]
            else "not mentioned in the next yearly report")
        out.append(f"| {c['raised_on']} | {_cell(c['raised_by'])} | {_cell(c['kind_text'])} | {_cell(c['summary'])} "
                   f"| {_cell(response_text(c))} | {_cell(answered)} |")
    return out + [""]


def _previous(d: dict) -> list[str]:
    from .changes import change_lines
    s = d["summary"]
    out = ["", f"## Changes since {d['old']['period']}", "",
           f"Compared with `{_cell(d['old']['file'])}` (as of {d['old']['as_of']}): {s['new']} new, {s['resolved']} resolved, "
           f"{s['persisting']} persisting finding(s).", ""]
    for kind in ("new", "resolved", "persisting"):
        for f in d["findings"][kind]:
            out.append(f"- **{kind}** {f['severity']} {f['requirement']} · {_cell(f['focus_label'])}: {_cell(f['message'])}")
    lines = change_lines(d["changes"])
    out += ["", "Arrangements:" if lines else "Arrangements: no changes.", ""]
    out += [f"- {_cell(line)}" for line in lines]
    return out


def _finding(f: Finding) -> list[str]:
    lines = [
        f"### {f.requirement} · {_cell(f.title)} · {STATUS_TEXT[f.status]}",
        "",
        f"- **Finding:** {_cell(f.message)}" + (f" ({_cell(f.value)})" if f.value and f.value not in f.message else ""),
        f"- **Entity:** {_cell(f.focus_label)} — `{_cell(f.location)}`",
    ]
    if timing(f):
        lines.append(f"- **Timing:** {timing(f)}")
    lines += [
        f"- **Source:** {_citations(f.citations)} (verification {f.verification}: "
        f"{VERIFICATION_TEXT.get(f.verification, f.verification)})",
        f"- **Edition applied:** {f.edition}" + (f" ({_cell(f.edition_basis)})" if f.edition_basis else ""),
    ]
    if f.evidence:
        lines.append("- **Evidence:** " + "; ".join(
            f"{_cell(e['title'])}, “{_cell(e['section'])}”" for e in f.evidence))
    lines += [
        f"- **What to do:** {_cell(f.remediation)}",
        f"- <details><summary>Technical</summary>{_cell(f.constraint)} on {_cell(f.path or 'the entity')} "
        f"(shape {_cell(f.shape)})</details>",
        "",
    ]
    return lines
