"""When a document was published, as far as the data shows (docs/decisions/0020).

The publication date is, in order: the exact date recorded; else what the data gives
approximately (a month, a year, "not later than"); and in either case no later than the earliest
meeting recorded as having received it (``meetings:`` with ``received:``; a cover report that
presented it is not enough, since a draft is often presented for approval before publication). A bound taken from a meeting is an inference, and the words say so:
"not later than 24 January 2024, inferred from the meeting of 24 January 2024 that received it".
"""
from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, TIME

from ..namespaces import SCP
from .deadlines import Approx, approximately

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def words(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def publication_of(graph: Graph, doc, as_of: dt.date | None = None) -> dt.date | Approx | None:
    """The document's publication: an exact day, an ``Approx`` (stated or inferred), or None. A
    document the data states was published (``published_by``) but gives no date for was published
    on some day up to the as-of date."""
    value = graph.value(doc, DCTERMS.issued)
    if isinstance(value, Literal) and isinstance(value.toPython(), dt.date):
        return value.toPython()
    stated = approximately(graph, doc, DCTERMS.issued)
    meeting = earliest_receipt(graph, doc)
    if meeting is None:
        found = Approx(stated.earliest, stated.latest, f"published {stated.text}") if stated else None
    else:
        day, what = meeting
        inferred = f"not later than {words(day)}, inferred from {what} that received it"
        if stated is None:
            found = Approx(None, day, f"published {inferred}")
        elif stated.latest is not None and stated.latest <= day:
            found = Approx(stated.earliest, stated.latest, f"published {stated.text}")
        else:
            found = Approx(stated.earliest, day, f"published {stated.text}; {inferred}")
    if found is None and as_of is not None and publisher_statement(graph, doc):
        found = Approx(None, as_of, f"published on a day not recorded ({publisher_statement(graph, doc)}), so by "
                                    f"the as-of date {words(as_of)}")
    return _not_before_its_period(graph, doc, found)


def publisher_statement(graph: Graph, doc) -> str | None:
    """'the document states it was published by ...' when the data records who published it."""
    if (doc, SCP.publishedByAllStatutoryPartners, Literal(True)) in graph:
        return "stated as published by all the statutory partners"
    names = sorted(str(graph.value(o, RDFS.label) or o) for o in graph.objects(doc, SCP.publishedBy))
    return f"stated as published by {', '.join(names)}" if names else None


def materialise_publishers(graph: Graph, year, doc) -> None:
    """Who published the document, against the safeguarding partners on the as-of date: each partner
    it does not name becomes ``scp:publisherMissing`` (CA04-16G-02-c, CA04-16G-03-i)."""
    if publisher_statement(graph, doc) is None:
        return
    partners = set(graph.objects(year, SCP.currentSafeguardingPartner))
    if (doc, SCP.publishedByAllStatutoryPartners, Literal(True)) in graph:
        missing = set()
    else:
        missing = partners - set(graph.objects(doc, SCP.publishedBy))
    graph.set((doc, SCP.publishedByPartners, Literal(not missing)))
    for org in sorted(missing):
        graph.add((doc, SCP.publisherMissing, org))


def _not_before_its_period(graph: Graph, doc, found: Approx | None) -> Approx | None:
    """A yearly report reports on its whole period: with no earlier bound, it was published no
    earlier than the last day of the period it covers."""
    if found is None or found.earliest is not None:
        return found
    if not ((doc, RDF.type, SCP.YearlyReport) in graph or (doc, RDF.type, SCP.PreviousYearlyReport) in graph):
        return found
    covers = graph.value(doc, SCP.covers)
    end = graph.value(covers, TIME.hasEnd) if covers is not None else None
    last = _day(graph, end, TIME.inXSDDate) if end is not None else None
    if last is None or (found.latest is not None and last > found.latest):
        return found
    return Approx(last, found.latest, f"{found.text} (and not before the end of the period it covers, {words(last)})")


def earliest_receipt(graph: Graph, doc) -> tuple[dt.date, str] | None:
    """(day, 'the meeting of DAY (BODY)') for the earliest meeting recorded as having received the
    document (``meetings:``), on its latest possible day. A cover report presenting a document is not
    such evidence: cabinets and boards are often presented a draft for approval before publication."""
    seen: list[tuple[dt.date, str]] = []
    for meeting in graph.subjects(SCP.received, doc):
        day = _day(graph, meeting, SCP.heldOn)
        if day is not None:
            body = graph.value(meeting, SCP.meetingBody)
            seen.append((day, f"the meeting of {words(day)}" + (f" ({body})" if body is not None else "")))
    return min(seen) if seen else None


def _day(graph: Graph, node, prop) -> dt.date | None:
    """An exact day, or the latest possible day of an approximate one (surely held by then)."""
    value = graph.value(node, prop)
    if isinstance(value, Literal) and isinstance(value.toPython(), dt.date):
        return value.toPython()
    approx = approximately(graph, node, prop)
    return approx.latest if approx is not None else None
