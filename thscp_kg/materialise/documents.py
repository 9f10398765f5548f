"""Materialise step for the document-consistency checks (catalogue area DOC; shapes/documents.ttl).

What documents state is recorded as written (``build.documents``). Everything that needs
parsing, a calendar or a profile parameter is worked out here, in Python, and written back as
plain values the shapes compare (docs/decisions/0005):

- periods as written ('22-23', '2023/24', '23-23') → ``scp:normalisedPeriod`` ('2022-23') or
  ``scp:periodWellFormed false`` with ``scp:periodProblem`` in words (statements and activity
  counts);
- the period a document is about (``scp:referencePeriod``): the period the report it presents
  covers, else its own;
- for each statement, the earliest and latest dates it can speak at, as day numbers: its as-at
  date; else the document's publication date (or, for a cover report, its meeting date); else,
  as bounds, the start of the period covered (earliest) and the date a cover report presented
  the document (latest);
- guidance citations: the edition year, whether that edition exists, and its first day;
- bodies named: the former body (profile ``documents.former_bodies``) the name matches;
- dated figures: the day number of the figure's date and of the oldest acceptable date (the
  start of the period covered less ``documents.stale_figure_years``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, TIME

from ..namespaces import SCP
from . import workdays

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..rules.profile import Profile

# A year pair as documents write it: 2022-23, 2022/23, 2022-2023, 22-23, 22/23 (any dash).
_PAIR = r"(?<![0-9])(\d{4}|\d{2})\s*[-/\u2010-\u2015]\s*(\d{4}|\d{2})(?![0-9])"
_PAIR_RE = re.compile(_PAIR)
_YEAR_RE = re.compile(r"(?<![0-9])(1[89]\d{2}|20\d{2})(?![0-9])")


@dataclass(frozen=True)
class PeriodReading:
    """What a period as written says: a normalised 'YYYY-YY', or what is wrong with it."""

    text: str
    normalised: str | None = None
    problem: str | None = None

    @property
    def well_formed(self) -> bool | None:
        """True for two consecutive years, False for an impossible pair, None when not a year pair."""
        if self.normalised:
            return True
        return False if self.problem else None


def read_period(text: str) -> PeriodReading:
    """Read the one year pair in ``text`` ('2020-21', 'Annual Report 22-23', '23-23')."""
    pairs = _PAIR_RE.findall(text)
    if len(pairs) != 1:
        return PeriodReading(text)
    first_text, second_text = pairs[0]
    first = int(first_text) if len(first_text) == 4 else 2000 + int(first_text)
    if len(second_text) == 4:
        second = int(second_text)
    else:
        second = first // 100 * 100 + int(second_text)
        if second < first and second + 100 == first + 1:  # 1999-00
            second += 100
    if second == first + 1:
        return PeriodReading(text, normalised=f"{first}-{second % 100:02d}")
    if second == first:
        problem = "the same year twice, not two consecutive years"
    elif second < first:
        problem = "the second year is before the first"
    else:
        problem = f"it spans {second - first} years, not one"
    return PeriodReading(text, problem=problem)


def period_label(start: dt.date, end: dt.date) -> str | None:
    """'2023-24' for a period running from one year into the next (the usual April-March)."""
    if end.year == start.year + 1:
        return f"{start.year}-{end.year % 100:02d}"
    return None


def materialise_documents(graph: Graph, year, profile: Profile, as_of: dt.date) -> None:
    """Derived facts for the document-consistency checks (see the module docstring)."""
    rules = profile.documents
    docs = sorted(set(graph.objects(year, SCP.hasDocument)) | set(graph.objects(year, SCP.hasYearlyReport)))
    presenters: dict[URIRef, list[URIRef]] = {}
    for doc in docs:
        target = graph.value(doc, SCP.presents)
        if target is not None:
            presenters.setdefault(target, []).append(doc)
    year_start, _ = _interval(graph, graph.value(year, SCP.period))
    for doc in docs:
        view = _DocumentDates(graph, doc, presenters.get(doc, []), year_start)
        _periods(graph, doc, view)
        for statement in sorted(_statements(graph, doc)):
            _statement_dates(graph, statement, view)
        if rules is None:
            continue
        for statement in sorted(graph.objects(doc, SCP.citesGuidance)):
            _guidance(graph, statement, rules, profile)
        for statement in sorted(graph.objects(doc, SCP.namesBody)):
            _former_body(graph, statement, rules)
        reference_start = view.covers_start or view.presented_covers_start or year_start
        for statement in sorted(graph.objects(doc, SCP.statesFigure)):
            _figure(graph, statement, reference_start, rules.stale_figure_years)
    for count in sorted(graph.objects(year, SCP.hasActivityCount)):
        text = graph.value(count, SCP.statedPeriod)
        if text is None:
            continue
        label = graph.value(count, RDFS.label) or graph.value(count, SCP.measure)
        _period_facts(graph, count, read_period(str(text)), f"'{text}' ({label})")


# -- periods ---------------------------------------------------------------------------------
def _periods(graph: Graph, doc, view: "_DocumentDates") -> None:
    statements = sorted(graph.objects(doc, SCP.statesPeriod))
    for statement in statements:
        text = str(graph.value(statement, SCP.statementText))
        _period_facts(graph, statement, read_period(text), f"'{text}'")
    if not statements:
        return
    if view.presented_label:
        graph.set((doc, SCP.referencePeriod, Literal(view.presented_label)))
        graph.set((doc, SCP.referencePeriodBasis, Literal(f"the period the presented report covers ({view.presented_label})")))
    elif view.own_label:
        graph.set((doc, SCP.referencePeriod, Literal(view.own_label)))
        graph.set((doc, SCP.referencePeriodBasis, Literal(f"the period the document covers ({view.own_label})")))


def _period_facts(graph: Graph, node, reading: PeriodReading, shown: str) -> None:
    if reading.well_formed is None:
        return
    graph.set((node, SCP.periodWellFormed, Literal(reading.well_formed)))
    if reading.normalised:
        graph.set((node, SCP.normalisedPeriod, Literal(reading.normalised)))
    else:
        graph.set((node, SCP.periodProblem, Literal(f"{shown}: {reading.problem}")))


# -- dates a statement speaks at ------------------------------------------------------------------
class _DocumentDates:
    """The dates known about a document, and the bounds they put on when it speaks."""

    def __init__(self, graph: Graph, doc, presenters: list, year_start: dt.date | None = None) -> None:
        self.year_start = year_start
        self.published = _date(graph, doc, DCTERMS.issued)
        self.is_cover = (doc, RDF.type, SCP.CoverReport) in graph
        self.presented_on = _date(graph, doc, SCP.presentedOn)
        self.covers_start, covers_end = _interval(graph, graph.value(doc, SCP.covers))
        self.own_label = period_label(self.covers_start, covers_end) if self.covers_start and covers_end else None
        presented = graph.value(doc, SCP.presents)
        start, end = _interval(graph, graph.value(presented, SCP.covers)) if presented is not None else (None, None)
        self.presented_covers_start = start
        self.presented_label = period_label(start, end) if start and end else None
        shown_on = sorted(d for d in (_date(graph, p, SCP.presentedOn) for p in presenters) if d)
        self.first_presented = shown_on[0] if shown_on else None

    def exact(self) -> tuple[dt.date, str] | None:
        if self.published:
            return self.published, f"published {self.published.isoformat()}"
        if self.is_cover and self.presented_on:
            return self.presented_on, f"presented {self.presented_on.isoformat()}"
        return None

    def earliest(self) -> tuple[dt.date, str] | None:
        exact = self.exact()
        if exact:
            return exact
        if self.covers_start:
            return self.covers_start, f"no earlier than the start of the period it covers ({self.covers_start.isoformat()})"
        if self.presented_covers_start:
            return (self.presented_covers_start, "no earlier than the start of the period the presented report covers "
                    f"({self.presented_covers_start.isoformat()})")
        if self.year_start:  # an undated page is judged by the year it is evidence for, not skipped
            return (self.year_start, "undated: judged by the year it is evidence for, which starts "
                    f"{self.year_start.isoformat()}")
        return None

    def latest(self) -> tuple[dt.date, str] | None:
        exact = self.exact()
        if exact:
            return exact
        candidates = [d for d in (self.presented_on, self.first_presented) if d]
        if candidates:
            day = min(candidates)
            return day, f"no later than its presentation to a meeting ({day.isoformat()})"
        return None


def _statement_dates(graph: Graph, statement, view: _DocumentDates) -> None:
    as_at = _date(graph, statement, SCP.asAt)
    if as_at:
        earliest = latest = (as_at, f"as at {as_at.isoformat()} (stated)")
    else:
        earliest, latest = view.earliest(), view.latest()
    if earliest:
        graph.set((statement, SCP.earliestDayNumber, Literal(workdays.day_number(earliest[0]))))
    if latest:
        graph.set((statement, SCP.latestDayNumber, Literal(workdays.day_number(latest[0]))))
    basis = "; ".join(dict.fromkeys(b for _, b in filter(None, (earliest, latest))))
    if basis:
        graph.set((statement, SCP.dateBasis, Literal(basis)))


# -- guidance, bodies, figures -------------------------------------------------------------------
def _guidance(graph: Graph, statement, rules, profile: Profile) -> None:
    text = str(graph.value(statement, SCP.statementText))
    if not re.search(rules.guidance_pattern, text, re.IGNORECASE):
        return
    years = sorted({int(y) for y in _YEAR_RE.findall(text)})
    if len(years) != 1:
        return
    cited = years[0]
    graph.set((statement, SCP.citedEditionYear, Literal(cited)))
    known = cited in rules.guidance_editions
    graph.set((statement, SCP.citedEditionKnown, Literal(known)))
    if known:
        edition = next((e for e in profile.editions if e.id == f"WT{cited}"), None)
        first = edition.in_force_from if edition else dt.date(cited, 1, 1)
        graph.set((statement, SCP.citedEditionFirstDay, Literal(workdays.day_number(first))))


def former_bodies_named(text: str, rules) -> list:
    """The profile's former bodies (``documents.former_bodies``) whose names ``text`` uses, in the
    profile's order: a name pattern matches and none of its exceptions does."""
    return [body for body in rules.former_bodies
            if any(re.search(p, text, re.IGNORECASE) for p in body.names)
            and not any(re.search(p, text, re.IGNORECASE) for p in body.except_names)]


def add_former_body(graph: Graph, body) -> URIRef:
    """The national node for a body that no longer exists, with the day it ceased (shared by every year)."""
    from ..build.iris import date_literal, national_iri

    node = national_iri(f"former-{body.id}")
    graph.add((node, RDF.type, SCP.FormerBody))
    graph.set((node, RDFS.label, Literal(body.name, lang="en")))
    graph.set((node, SCP.ceasedAfter, date_literal(body.ceased_after)))
    graph.set((node, SCP.ceasedAfterDayNumber, Literal(workdays.day_number(body.ceased_after))))
    return node


def _former_body(graph: Graph, statement, rules) -> None:
    for body in former_bodies_named(str(graph.value(statement, SCP.statementText)), rules):
        graph.add((statement, SCP.namesFormerBody, add_former_body(graph, body)))


def _figure(graph: Graph, statement, reference_start: dt.date | None, years: int) -> None:
    as_at = _date(graph, statement, SCP.asAt)
    if as_at is None or reference_start is None:
        return
    oldest = reference_start - relativedelta(years=years)
    graph.set((statement, SCP.asAtDayNumber, Literal(workdays.day_number(as_at))))
    graph.set((statement, SCP.oldestAcceptableDayNumber, Literal(workdays.day_number(oldest))))


# -- helpers ---------------------------------------------------------------------------------------
def _statements(graph: Graph, doc) -> set:
    return {s for p in (SCP.statesPeriod, SCP.citesGuidance, SCP.namesBody, SCP.statesFigure)
            for s in graph.objects(doc, p)}


def _date(graph: Graph, node, prop) -> dt.date | None:
    value = graph.value(node, prop) if node is not None else None
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, dt.date) and not isinstance(py, dt.datetime):
            return py
    return None


def _interval(graph: Graph, interval) -> tuple[dt.date | None, dt.date | None]:
    if interval is None:
        return None, None
    begin, end = graph.value(interval, TIME.hasBeginning), graph.value(interval, TIME.hasEnd)
    return (_date(graph, begin, TIME.inXSDDate) if begin is not None else None,
            _date(graph, end, TIME.inXSDDate) if end is not None else None)
