"""Writing a materialised deadline's dates: one place for the due, actual and as-of triples, for
exact dates and for approximate or inferred ones (docs/decisions/0020).

With an approximate action date or due date the rule reasons on the earliest and the latest
possible day: a deadline is met only if the latest possible action day is on or before the
earliest possible due day; missed only if the earliest possible action day is after the latest
possible due day (or, with nothing done, the as-of date is after it); otherwise the timing is
uncertain (``scp:timingUncertain``: not evidenced). ``scp:dueBy`` and ``scp:actualDate`` then hold
the decisive bounds (or, when uncertain, only what is exact), and ``scp:actualApproximately`` /
``scp:dueApproximately`` say in words what the dates rest on, for the finding's message.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ..build.iris import date_literal
from ..namespaces import SCP
from . import workdays


@dataclass(frozen=True)
class Approx:
    """An approximate or inferred date: the earliest and latest possible day (either may be open)
    and the words that say what it is ('September 2023', 'not later than 24 January 2024, inferred
    from the meeting of 24 January 2024 that received it')."""

    earliest: dt.date | None
    latest: dt.date | None
    text: str

    def shifted(self, move: Callable[[dt.date], dt.date], text: str | None = None) -> "Approx":
        return Approx(move(self.earliest) if self.earliest else None, move(self.latest) if self.latest else None,
                      text or self.text)

    def span(self) -> str:
        if self.earliest and self.latest:
            return f"between {self.earliest.isoformat()} and {self.latest.isoformat()}"
        if self.latest:
            return f"on or before {self.latest.isoformat()}"
        return f"on or after {self.earliest.isoformat()}" if self.earliest else "no bound"


def bounds(value) -> tuple[dt.date | None, dt.date | None]:
    if isinstance(value, Approx):
        return value.earliest, value.latest
    return value, value


def approximately(graph: Graph, node, prop: URIRef) -> Approx | None:
    """The approximate value the data file gives for ``prop`` of ``node`` (build.dates), if any."""
    if node is None:
        return None
    for approx in sorted(graph.objects(node, SCP.hasApproximateDate)):
        if str(graph.value(approx, SCP.approximatesProperty)) != str(prop):
            continue
        lo, hi = (graph.value(approx, p) for p in (SCP.earliestPossibleDate, SCP.latestPossibleDate))
        return Approx(lo.toPython() if lo is not None else None, hi.toPython() if hi is not None else None,
                      str(graph.value(approx, RDFS.label) or "approximately"))
    return None


def write_dates(graph: Graph, deadline, due, actual, as_of: dt.date, basis: str, *, overdue: bool = True) -> None:
    """Due, actual and as-of dates (with day numbers) and the sentence saying how the due date was set.
    ``due`` and ``actual`` are days or ``Approx`` (module docstring). ``overdue=False``: a deadline
    with no rule for "not done and past due" (sending a report): nothing done is not uncertain timing."""
    graph.add((deadline, SCP.basis, Literal(basis)))
    graph.add((deadline, SCP.asOfDate, date_literal(as_of)))
    if isinstance(due, Approx) or isinstance(actual, Approx):
        due, actual = _judge_approximately(graph, deadline, due, actual, as_of, overdue)
    if due:
        graph.add((deadline, SCP.dueBy, date_literal(due)))
        graph.add((deadline, SCP.dueDayNumber, Literal(workdays.day_number(due))))
    if actual:
        graph.add((deadline, SCP.actualDate, date_literal(actual)))
        graph.add((deadline, SCP.actualDayNumber, Literal(workdays.day_number(actual))))


def _judge_approximately(graph: Graph, deadline, due, actual, as_of: dt.date, overdue: bool = True):
    """The exact due and actual days to write for a deadline with an approximate date: the decisive
    bounds when the outcome is certain, else only the exact ones, with scp:timingUncertain."""
    if isinstance(actual, Approx):
        graph.add((deadline, SCP.actualApproximately, Literal(f"{actual.text} ({actual.span()})")))
    if isinstance(due, Approx):
        graph.add((deadline, SCP.dueApproximately, Literal(f"{due.text} ({due.span()})")))
    due_lo, due_hi = bounds(due)
    act_lo, act_hi = bounds(actual)
    if due is None:  # nothing to judge against: the shapes say the due date is not recorded
        return None, actual if not isinstance(actual, Approx) else None
    if actual is not None:
        if act_hi and due_lo and act_hi <= due_lo:
            return due_lo, act_hi           # on time even on the latest possible day
        if act_lo and due_hi and act_lo > due_hi:
            return due_hi, act_lo           # late even on the earliest possible day
    else:
        if not overdue:
            return None, None
        if due_hi and as_of > due_hi:
            return due_hi, None             # overdue even on the latest possible due day
        if due_lo and as_of <= due_lo:
            return due_lo, None             # not yet due even on the earliest possible due day
    graph.add((deadline, SCP.timingUncertain, Literal(True)))
    return (None if isinstance(due, Approx) else due), (None if isinstance(actual, Approx) else actual)
