"""Page one's decision as plain lines, for the terminal and Markdown reports: the verdict and why, the
compliance figure, breaches apart from missing data, the top items with owner and due date, the
dated checklist and the people's side. The HTML shows the same (report/decision.py is the one source)."""
from __future__ import annotations

from ..findings import Assessment
from .decision import decide


def decision_lines(a: Assessment, escape=lambda text: text, bullet: str = "- ") -> list[str]:
    d = decide(a)
    c = d["compliance"]
    e = escape
    left_out = [f"{c['not_applicable']} not applicable", f"{c['to_be_assessed']} for a person to assess"]
    if c.get("not_yet_in_force"):
        left_out.append(f"{c['not_yet_in_force']} not yet in force (look-ahead)")
    lines = [f"Decision: {d['label'].upper()}. {e(d['reason'])}",
             f"Applicable requirements met: {c['met']} of {c['applicable']} (left out: {', '.join(left_out)}"
             + (f"; {c['nothing_recorded']} not evidenced because nothing is recorded to check" if c.get("nothing_recorded")
                else "") + ").",
             "Open findings, breach (not met) / missing data (not evidenced) / not yet due: "
             + "; ".join(f"{r['label'].lower()} {r['not_met']} / {r['not_evidenced']} / {r['not_yet_due']}"
                         for r in d["counts"]) + "."]
    if d["top"]:
        lines.append("What needs doing" + (" (the conditions)" if d["verdict"] == "conditions" else "") + ":")
        for n, i in enumerate(d["top"], start=1):
            due = f"{i['due']} ({i['due_basis']})" if i["due"] else i["due_basis"]
            # A breach leads with the duty it breaks and what the data shows, then the action; missing
            # data leads with what to record (its action says it all).
            head = (f"Not met: {e(i['title'])}. {e(' '.join(i['what']))} Action: {e(i['action'])}"
                    if i["kind"] == "practice" else e(i["action"]))
            lines.append(f"{n}. [{i['kind']}] {head} — {e(i['focus_label'])}; owner: {e(i['owner'])}; "
                         f"due: {e(due)}; {i['requirement']}")
        if d["more"]:
            lines.append(f"And {d['more']} more at duty or guidance level.")
    if d["checklist"]:
        lines.append("Falls due on and after publication (a checklist, not findings):")
        lines += [f"{bullet}{c['due']}: {e(c['text'])} ({e(c['owner'])})" for c in d["checklist"]]
    p = d.get("people")
    if p:
        judged = p["judged"]
        actions = p["actions"]
        lines.append(f"Judged by a person: {judged['met']} met, {judged['not-met']} not met, {judged['cannot-tell']} "
                     f"cannot tell ({p['stale']} stale); {p['manual_not_judged']} of {p['manual']} not yet judged. "
                     f"Actions: {actions['overdue']} overdue, {actions['open']} open, {actions['done']} done, "
                     f"{p['carried']} carried. Sign-offs: {p['signed']}"
                     + (f", {p['signed_stale']} against an earlier version of this report" if p["signed_stale"] else "")
                     + ".")
    return lines
