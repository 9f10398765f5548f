"""The stage of the year a report is read at, and what that does to publication duties.

A gap report is usually read *before* the yearly report is published: the lead safeguarding
partners sign it off, then it is published and sent on. At that stage ("sign-off") the yearly
report's publication date, web address and sending are not missing: they are not due yet.
So findings that only say "not yet published / not yet sent" become *not yet due (due DATE)*
items of a dated checklist, never breaches. After the recorded publication ("published") the
same checks are ordinary findings.

The stage is derived from the data (the as-of date against the yearly report's recorded
publication date) and can be forced (``thscp-kg check --stage``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import dataclasses
import datetime as dt

from ..findings import Finding, Status
from ..model_values import DocumentKind, latest_day

if TYPE_CHECKING:   # types only: their modules import pydantic or the YAML reader, a run needs neither
    from ..load.loader import LoadedYear
    from ..rules.profile import LoadedProfile

SIGN_OFF = "sign-off"
PUBLISHED = "published"
STAGES = (SIGN_OFF, PUBLISHED)

# Checks on this year's yearly report that can only be met on or after publication:
# shape -> (checklist wording, which date it falls due on).
AFTER_PUBLICATION = {
    "scp-sh:CA04-16G-03-b": ("Publish the yearly report and record its publication date", "publish"),
    "scp-sh:WT23-YR-02-a": ("Publish the yearly report on the partnership's website and record the web address",
                            "publish"),
    "scp-sh:WT23-YR-04-b": ("Lead safeguarding partners sign off the yearly report; record the date", "publish"),
    "scp-sh:WT23-YR-06-a": ("Send the published report to {value} within {days} days of publication", "send"),
    "scp-sh:WT18-YR-03-a": ("Send the published report to {value} within {days} days of publication", "send"),
}


def publish_by(loaded: LoadedYear, profile: LoadedProfile) -> dt.date:
    """The profile's publication deadline: 30 September (by default) after the period ends."""
    return _publish_by(loaded.year.period.end, profile)


def _publish_by(end: dt.date, profile: LoadedProfile) -> dt.date:
    month, day = (int(x) for x in profile.profile.yearly_report_timing.publish_by_month_day.split("-"))
    deadline = dt.date(end.year, month, day)
    return deadline if deadline >= end else dt.date(end.year + 1, month, day)


def year_stage(loaded: LoadedYear, profile: LoadedProfile, as_of: dt.date, forced: str | None = None) -> dict:
    """{stage, derived, published, publish_by, send_within_days, reason} for the report."""
    reports = [d for d in loaded.year.documents if d.kind is DocumentKind.yearly_report]
    # Published by the day it surely was (docs/decisions/0020): an approximate date's latest possible day,
    # the earliest meeting that received it, or the as-of date for a report stated as published.
    received = {}
    for m in loaded.year.meetings:
        for ref in m.received:
            if latest_day(m.date):
                received[ref] = min(received.get(ref, latest_day(m.date)), latest_day(m.date))
    days = [d for r in reports for d in (latest_day(r.published), received.get(r.id),
                                         as_of if r.published_by else None) if d]
    published = min(days, default=None)
    return stage_of(published, loaded.year.period.end, profile, as_of, forced)


def stage_from_graph(graph, profile: LoadedProfile) -> dict | None:
    """The same stage, read from a materialised graph (a stored partnership-year: no data file)."""
    from rdflib.namespace import DCTERMS, TIME

    from ..namespaces import SCP

    year = next(iter(graph.subjects(SCP.asOf, None)), None)
    if year is None:
        return None
    as_of = dt.date.fromisoformat(str(graph.value(year, SCP.asOf)))
    period = graph.value(year, SCP.period)
    end_day = graph.value(period, TIME.hasEnd) if period is not None else None
    end = graph.value(end_day, TIME.inXSDDate) if end_day is not None else None
    if end is None:
        return None
    issued = [graph.value(r, DCTERMS.issued) or graph.value(r, SCP.publishedNotLaterThan)
              for r in graph.objects(year, SCP.hasYearlyReport)]
    published = min((dt.date.fromisoformat(str(d)) for d in issued if d is not None), default=None)
    return stage_of(published, dt.date.fromisoformat(str(end)), profile, as_of)


def stage_of(published: dt.date | None, period_end: dt.date, profile: LoadedProfile, as_of: dt.date,
             forced: str | None = None) -> dict:
    if published is not None and published <= as_of:
        derived, reason = PUBLISHED, f"the yearly report is recorded as published on {published.isoformat()}"
    elif published is not None:
        derived, reason = SIGN_OFF, (f"the yearly report's recorded publication ({published.isoformat()}) "
                                     f"is after the as-of date {as_of.isoformat()}")
    elif as_of > _publish_by(period_end, profile):
        # The deadline has passed with no publication recorded: the missing date is a gap, not "not yet due".
        derived, reason = PUBLISHED, (f"the publication deadline {_publish_by(period_end, profile).isoformat()} has passed "
                                      f"by the as-of date {as_of.isoformat()} and no publication is recorded")
    else:
        derived, reason = SIGN_OFF, f"no publication of the yearly report is recorded by {as_of.isoformat()}"
    stage = forced or derived
    if forced and forced != derived:
        reason = f"forced with --stage {forced} (the data alone gives {derived}: {reason})"
    deadline = published if published and published > as_of else _publish_by(period_end, profile)
    return {"stage": stage, "derived": derived, "forced": bool(forced), "published": published.isoformat()
            if published else None, "publish_by": deadline.isoformat(),
            "send_within_days": profile.profile.yearly_report.send_within_days, "reason": reason,
            "transition_by": profile.profile.transition.revised_arrangements_by.isoformat()}


def defer_publication_checks(findings: list[Finding], stage: dict) -> list[Finding]:
    """At the sign-off stage: publication-dependent findings become not-yet-due with their due date."""
    if stage["stage"] != SIGN_OFF:
        return findings
    publish = dt.date.fromisoformat(stage["publish_by"])
    days = stage["send_within_days"]
    out = []
    for f in findings:
        rule = AFTER_PUBLICATION.get(f.shape)
        if rule is None or f.status is not Status.not_evidenced or f.waived:
            out.append(f)
            continue
        text, when = rule
        due = publish if when == "publish" else publish + dt.timedelta(days=days)
        out.append(dataclasses.replace(
            f, status=Status.not_yet_due, due=due.isoformat(), fails_ci=False,
            message=text.format(value=f.value or "each recipient", days=days) + "."))
    return out
