"""Year-on-year changes in findings, split by what they mean for the reader:

* **fixed** — last year's finding is gone and its requirement still applies this year;
* **got worse** — a new finding on a requirement that applied last year too;
* **newly applicable** — a new finding on a requirement that did not apply last year (a rule change,
  e.g. WT2023 coming into force);
* **no longer applicable** — last year's finding is gone because its requirement no longer applies
  (e.g. a WT2018 rule after the year moved to WT2023), not because anything was fixed;
* **renamed** — the same issue on an entity that changed its id: documents are matched by kind and
  the period they cover relative to their year ("this year's yearly report"), not by id, so
  ``annual-report-2022-23``'s missing date and ``annual-report-2023-24``'s are one persisting issue;
* **still open** — the same finding in both years.
"""
from __future__ import annotations

import re

from ..findings import Finding, Status


def _document_keys(run) -> dict[str, tuple]:
    """'document/<id>' -> (kind, years from the file's period to the period it covers), when unique."""
    year = run.loaded.year
    keys: dict[str, tuple] = {}
    for d in year.documents:
        named = re.search(r"(?<![0-9])((?:19|20)[0-9]{2})-[0-9]{2}(?![0-9])", d.id)
        if d.covers is not None:   # the period it covers, else the period its id names
            offset = d.covers.start.year - year.period.start.year
        elif named:
            offset = int(named.group(1)) - year.period.start.year
        else:
            continue
        keys[f"document/{d.id}"] = ("document", d.kind.value, offset)
    counts: dict[tuple, int] = {}
    for k in keys.values():
        counts[k] = counts.get(k, 0) + 1
    return {focus: k for focus, k in keys.items() if counts[k] == 1}


def _entity(focus: str, docs: dict[str, tuple]) -> str:
    """The entity as matched across years: a document by its kind and relative period, else its id."""
    if focus in docs:
        _, kind, offset = docs[focus]
        return f"document-of-kind/{kind}/{offset:+d}"
    return focus


def _applies(run) -> dict[str, bool]:
    return {o.requirement: o.status is not Status.not_applicable for o in run.assessment.outcomes}


def split(old_run, new_run) -> dict[str, list[dict]]:
    old_docs, new_docs = _document_keys(old_run), _document_keys(new_run)

    def key(f: Finding, docs) -> tuple:
        return (f.requirement, _entity(f.focus, docs), f.value or "", f.shape)

    old = {key(f, old_docs): f for f in old_run.assessment.findings if f.status is not Status.not_yet_due}
    new = {key(f, new_docs): f for f in new_run.assessment.findings if f.status is not Status.not_yet_due}
    applied_before, applies_now = _applies(old_run), _applies(new_run)
    out: dict[str, list[dict]] = {k: [] for k in ("fixed", "worse", "newly_applicable", "no_longer_applicable",
                                                  "renamed", "persisting")}
    for k in sorted(set(old) | set(new)):
        before, after = old.get(k), new.get(k)
        if before and after:
            kind = "renamed" if before.focus != after.focus else "persisting"
            out[kind].append(_row(after, before if kind == "renamed" else None))
        elif before:
            kind = "fixed" if applies_now.get(before.requirement, False) else "no_longer_applicable"
            out[kind].append(_row(before))
        else:
            kind = "worse" if applied_before.get(after.requirement, False) else "newly_applicable"
            out[kind].append(_row(after))
    return out


def _row(f: Finding, was: Finding | None = None) -> dict:
    row = {"requirement": f.requirement, "title": f.title, "severity": f.severity.value, "status": f.status.value,
           "focus": f.focus, "focus_label": f.focus_label, "shape": f.shape}
    if f.value:
        row["value"] = f.value
    if was is not None:
        row["was"] = was.focus
    return row
