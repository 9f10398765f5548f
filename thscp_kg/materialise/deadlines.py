"""Writing a materialised deadline's dates: one place for the due, actual and as-of triples."""
from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal

from ..build.iris import date_literal
from ..namespaces import SCP
from . import workdays


def write_dates(graph: Graph, deadline, due: dt.date | None, actual: dt.date | None, as_of: dt.date,
                basis: str) -> None:
    """Due, actual and as-of dates (with day numbers) and the sentence saying how the due date was set."""
    graph.add((deadline, SCP.basis, Literal(basis)))
    graph.add((deadline, SCP.asOfDate, date_literal(as_of)))
    if due:
        graph.add((deadline, SCP.dueBy, date_literal(due)))
        graph.add((deadline, SCP.dueDayNumber, Literal(workdays.day_number(due))))
    if actual:
        graph.add((deadline, SCP.actualDate, date_literal(actual)))
        graph.add((deadline, SCP.actualDayNumber, Literal(workdays.day_number(actual))))
