"""Build step for approximate dates, the meetings that received documents, and who published a
document (docs/decisions/0020-approximate-dates-and-inferred-publication.md).

An approximate date (a month, a year, "not later than", "since at least") is never written as an
exact ``xsd:date``: the entity gets an ``scp:ApproximateDate`` node (``…/approximately/<property>``)
naming the property it stands for (``scp:approximatesProperty``), the earliest and the latest
possible day, the precision and the date in words. An interval (a post holder's tenure) keeps
the days it certainly covers as its beginning and end, with the approximation beside them. What
the rules make of it is worked out in the materialise stage.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD

from ..model_values import PREVIOUS_REPORT, ApproximateDateReads
from ..namespaces import SCP
from .iris import date_literal, iri

if TYPE_CHECKING:
    from .graph import GraphBuilder


def add_approximate(b: "GraphBuilder", subject, prop: URIRef, value: ApproximateDateReads) -> URIRef:
    local = str(prop).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    node = URIRef(f"{subject}/approximately/{local}")
    b.add(subject, SCP.hasApproximateDate, node)
    b.add(node, RDF.type, SCP.ApproximateDate)
    b.add(node, SCP.approximatesProperty, Literal(str(prop), datatype=XSD.anyURI))
    b.add(node, SCP.datePrecision, Literal(value.precision))
    b.add(node, RDFS.label, Literal(value.text, lang="en"))
    if value.earliest:
        b.add(node, SCP.earliestPossibleDate, date_literal(value.earliest))
    if value.latest:
        b.add(node, SCP.latestPossibleDate, date_literal(value.latest))
    return node


def certain_day(value, prop: URIRef):
    """The day an interval's end certainly reaches: a start from its latest possible day, an end
    until its earliest (the other bound when only one is known)."""
    if not isinstance(value, ApproximateDateReads):
        return value
    if prop == TIME.hasBeginning:
        return value.latest or value.earliest
    return value.earliest or value.latest


def previous_report_iri(b: "GraphBuilder") -> URIRef:
    return iri(b.pid, "previous-report", b.year.period.id)


def add_meetings(b: "GraphBuilder") -> None:
    """Committee or board meetings and the documents each received (``scp:received``)."""
    for meeting in b.year.meetings:
        label = f"{meeting.body}, {meeting.date.text if isinstance(meeting.date, ApproximateDateReads) else meeting.date}"
        node = b.entity(iri(b.pid, "meeting", meeting.id), SCP.Meeting, "meeting", meeting.id, label,
                        meeting.evidence)
        b.add(b.year_iri, SCP.hasMeeting, node)
        b.text(node, SCP.meetingBody, meeting.body)
        b.date(node, SCP.heldOn, meeting.date)
        for ref in meeting.received:
            b.add(node, SCP.received, previous_report_iri(b) if ref == PREVIOUS_REPORT else iri(b.pid, "document", ref))


def add_publishers(b: "GraphBuilder") -> None:
    """Who published each document, as it states: organisations, or all the statutory partners."""
    for doc in b.year.documents:
        node = iri(b.pid, "document", doc.id)
        if doc.published_by == "all-statutory-partners":
            b.add(node, SCP.publishedByAllStatutoryPartners, Literal(True))
        else:
            for org in doc.published_by:
                b.add(node, SCP.publishedBy, b.org(org))
