"""Materialise step, challenge: which yearly report should answer each external concern (EVID-04).

The next yearly report after a concern is raised is the first yearly report in the year's data
whose period ends on or after the day it was raised (or, with no period recorded, that is
published on or after it). Worked out here in Python (docs/decisions/0005): the shape only
asks whether that report ``scp:respondsTo`` the concern.
"""
from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, TIME

from ..namespaces import SCP


def _date(graph: Graph, node, prop) -> dt.date | None:
    value = graph.value(node, prop)
    day = value.toPython() if isinstance(value, Literal) else None
    return day if isinstance(day, dt.date) else None


def _report_day(graph: Graph, report) -> dt.date | None:
    covers = graph.value(report, SCP.covers)
    end = graph.value(covers, TIME.hasEnd) if covers is not None else None
    return (_date(graph, end, TIME.inXSDDate) if end is not None else None) or _date(graph, report, DCTERMS.issued)


def materialise_challenges(graph: Graph, year) -> None:
    reports = [(day, str(r), r) for r in graph.objects(year, SCP.hasYearlyReport)
               if (day := _report_day(graph, r)) is not None]
    for challenge in graph.objects(year, SCP.hasChallenge):
        if (challenge, RDF.type, SCP.ExternalChallenge) not in graph:
            continue
        raised = _date(graph, challenge, SCP.raisedOn)
        later = sorted(item for item in reports if raised is not None and item[0] >= raised)
        if later:  # a concern raised after every report in this file waits for next year's
            graph.add((challenge, SCP.nextYearlyReport, later[0][2]))
