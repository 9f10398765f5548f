"""Materialise step: derived facts that SHACL should compare rather than compute.

Date arithmetic in SHACL-SPARQL is not portable (pySHACL silently drops ``xsd:dateTime``
casts and date subtraction; see docs/decisions/0005-materialise-dates.md), so everything
involving calendars, editions or "held on that date" is computed here, in Python, and
written back as plain triples: editions, health-partner eras, who held a post on a date,
deadlines with due and actual dates, day numbers and working-day indices. Finally the
classes the ontology defines by ``owl:intersectionOf (C [owl:hasValue v])`` are materialised,
so shapes target e.g. ``scp:YearlyReportUnderWT2023`` with a plain ``sh:targetClass``.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from dateutil.relativedelta import relativedelta
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, TIME

from ..build.iris import date_literal, topic_iri
from ..namespaces import ORG, SCP
from ..ontology import ontology_graph, subclass_closure
from . import workdays
from .challenges import materialise_challenges
from .deadlines import Approx, approximately, write_dates
from .publication import materialise_publishers, publication_of
from .arrangements import materialise_arrangements
from .documents import materialise_documents
from .names import materialise_own_names
from .reviews import materialise_reviews

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..rules.profile import Profile


def materialise(graph: Graph, profile: Profile, as_of: dt.date) -> Graph:
    years = list(graph.subjects(RDF.type, SCP.PartnershipYear))
    for year in years:
        graph.set((year, SCP.asOf, date_literal(as_of)))
        # The edition in force at the end of the period (or on the as-of date, if earlier): a
        # year that ended before 15 Dec 2023 keeps WT2018 however late it is checked.
        _, period_end = _interval(graph, graph.value(year, SCP.period))
        basis_day = min(period_end, as_of) if period_end else as_of
        edition = profile.edition_on(basis_day)
        graph.set((year, SCP.governedBy, SCP[edition.id]))
        graph.set((year, SCP.editionBasis, Literal(
            f"period end {basis_day.isoformat()}" if basis_day != as_of else f"as-of date {as_of.isoformat()}")))
        _statutory_health_dates(graph, year, profile)
        if _under_arrangements(graph, year, profile):
            _health_eras(graph, year, profile)
            _year_editions(graph, year, profile, as_of)
        _current_partners(graph, year, as_of)
        _posts_on_as_of(graph, year, as_of)
        _documents(graph, year, profile, as_of)
        materialise_reviews(graph, year, profile, as_of)
        materialise_documents(graph, year, profile, as_of)
        materialise_arrangements(graph, year, profile, as_of)
        _revision_notes(graph, year, profile, as_of)
        materialise_challenges(graph, year)
        materialise_own_names(graph, year, profile, period_end)
    _days(graph)
    materialise_superclasses(graph)
    materialise_defined_classes(graph)
    return graph


def _revision_notes(graph: Graph, year, profile: Profile, as_of: dt.date) -> None:
    """Name the revision of the governing edition in force on the day each entity is judged (the
    date its edition was chosen by: the period end or as-of date for a year; the action date for a
    document, incident or review), so
    that findings after a revision whose changes are unreviewed can be found and re-checked."""
    judged = {year: as_of}  # the year's own basis (period end, or the as-of date) when it states one
    for node, basis in graph.subject_objects(SCP.editionBasis):
        day = _basis_day(str(basis))
        if day is not None:
            judged[node] = day
    for node, day in judged.items():
        edition_node = graph.value(node, SCP.governedBy)
        if edition_node is None:
            continue
        edition_id = str(edition_node).rsplit("#", 1)[-1]
        edition = next((e for e in profile.editions if e.id == edition_id), None)
        note = edition.revision_note(day) if edition is not None else None
        if note:
            graph.set((node, SCP.revisionNote, Literal(note)))


def _basis_day(basis: str) -> dt.date | None:
    """The date in an edition basis ('published 2025-07-01', 'as-of date 2025-06-30 (...)')."""
    import re

    m = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", basis)
    if m:
        return dt.date.fromisoformat(m.group(1))
    m = re.search(r"published in (\d{4})", basis)
    return dt.date(int(m.group(1)), 12, 31) if m else None


def _date(graph: Graph, node, prop) -> dt.date | None:
    value = graph.value(node, prop)
    return value.toPython() if isinstance(value, Literal) and isinstance(value.toPython(), dt.date) else None


def _interval(graph: Graph, interval) -> tuple[dt.date | None, dt.date | None]:
    begin, end = graph.value(interval, TIME.hasBeginning), graph.value(interval, TIME.hasEnd)
    return (_date(graph, begin, TIME.inXSDDate) if begin else None,
            _date(graph, end, TIME.inXSDDate) if end else None)


def _under_arrangements(graph: Graph, year, profile: Profile) -> bool:
    """Partnership duties apply from the first arrangements (due 29 June 2019); a year that ends
    before that (the LSCB era) is recorded but not judged against them."""
    _, end = _interval(graph, graph.value(year, SCP.period))
    if end is not None and end < profile.arrangements.first_publication_by:
        graph.set((year, SCP.underArrangements, Literal(False)))
        return False
    graph.set((year, SCP.underArrangements, Literal(True)))
    return True


def _statutory_health_dates(graph: Graph, year, profile: Profile) -> None:
    """CCGs ended on 30 June 2022 and ICBs replaced them from 1 July 2022 (Health and Care Act
    2022): an organisation of either kind with no recorded end or start takes the statutory date,
    so an abolished CCG is never asked for a representative on a later as-of date."""
    icb_from = profile.health_partner.icb_from
    for org in graph.objects(year, SCP.hasOrganisation):
        if (org, RDF.type, SCP.ClinicalCommissioningGroup) in graph and graph.value(org, SCP.validUntil) is None:
            graph.set((org, SCP.validUntil, date_literal(icb_from - dt.timedelta(days=1))))
        if (org, RDF.type, SCP.IntegratedCareBoard) in graph and graph.value(org, SCP.validFrom) is None:
            graph.set((org, SCP.validFrom, date_literal(icb_from)))


def editions_between(profile: Profile, start: dt.date, end: dt.date) -> list[str]:
    """Ids of every edition in force on some day from ``start`` to ``end`` (both included)."""
    return profile.editions_between(start, end)


def document_editions(graph: Graph, year, doc, profile: Profile) -> tuple[list[str], str]:
    """The editions a document is judged under, and why: the one in force on its publication date;
    with no date, every edition in force during the period it covers (else the year's period),
    never the as-of date, so moving --as-of cannot change which rules apply."""
    published = _date(graph, doc, DCTERMS.issued)
    if published:
        return [profile.edition_on(published).id], f"published {published.isoformat()}"
    stated = approximately(graph, doc, DCTERMS.issued)
    if stated is not None and stated.earliest and stated.latest:  # a month or a year: every edition in it
        ids = editions_between(profile, stated.earliest, stated.latest)
        return ids, (f"published {stated.text} (approximately: {stated.earliest.isoformat()} to "
                     f"{stated.latest.isoformat()}): judged under {' and '.join(ids)}, in force then")
    revised = graph.value(doc, SCP.revisedFor)
    if revised is not None:  # written to meet an edition: judged under it
        edition_id = str(revised).rsplit("#", 1)[-1]
        return [edition_id], f"publication date not recorded; revised to meet {edition_id}"
    covers = graph.value(doc, SCP.covers)
    start, end = _interval(graph, covers) if covers is not None else (None, None)
    what = "the period it covers"
    if not (start and end):
        start, end = _interval(graph, graph.value(year, SCP.period))
        what = "the year it is evidence for"
    if not (start and end):
        return [profile.editions[0].id], "no date recorded"
    ids = editions_between(profile, start, end)
    names = " and ".join(ids)
    return ids, (f"publication date not recorded: judged under {names}, in force during {what} "
                 f"({start.isoformat()} to {end.isoformat()})")


def _current_partners(graph: Graph, year, as_of: dt.date) -> None:
    """The safeguarding partners on the as-of date: a partner entry or organisation that ended
    before it (a CCG after 30 June 2022) is not asked for representatives, sign-off or funding."""
    for tenure in graph.objects(year, SCP.partnerTenure):
        org = graph.value(tenure, SCP.partnerOrganisation)
        starts = [d for d in (_date(graph, tenure, SCP.validFrom), _date(graph, org, SCP.validFrom)) if d]
        ends = [d for d in (_date(graph, tenure, SCP.validUntil), _date(graph, org, SCP.validUntil)) if d]
        if all(d <= as_of for d in starts) and all(as_of <= d for d in ends):
            graph.add((year, SCP.currentSafeguardingPartner, org))


def _health_eras(graph: Graph, year, profile: Profile) -> None:
    start, end = _interval(graph, graph.value(year, SCP.period))
    icb_from = profile.health_partner.icb_from
    if start and start < icb_from:
        graph.add((year, SCP.coversHealthEra, SCP.CCGEra))
    if end and end >= icb_from:
        graph.add((year, SCP.coversHealthEra, SCP.ICBEra))


def holder_on(graph: Graph, post, day: dt.date) -> URIRef | None:
    """The person holding ``post`` on ``day`` (open-ended tenures count; the earliest match wins)."""
    for tenure in sorted(graph.objects(post, SCP.tenure)):
        start, end = _interval(graph, graph.value(tenure, SCP.during))
        if (start is None or start <= day) and (end is None or day <= end):
            return graph.value(tenure, SCP.holder)
    return None


def _posts_on_as_of(graph: Graph, year, as_of: dt.date) -> None:
    for post in graph.objects(year, SCP.hasPost):
        person = holder_on(graph, post, as_of)
        if person is not None:
            graph.add((post, SCP.holdsPostOnAsOf, person))


def _documents(graph: Graph, year, profile: Profile, as_of: dt.date) -> None:
    docs = set(graph.objects(year, SCP.hasDocument)) | set(graph.objects(year, SCP.hasYearlyReport))
    for doc in sorted(docs):
        materialise_publishers(graph, year, doc)
        published = publication_of(graph, doc, as_of)  # a day, an Approx (stated or inferred) or None
        latest = published.latest if isinstance(published, Approx) else published
        if latest:  # exact, approximate or inferred: the day it was surely published by
            graph.set((doc, SCP.publishedNotLaterThan, date_literal(latest)))
        if isinstance(published, Approx):
            graph.set((doc, SCP.publicationApproximately, Literal(published.text)))
        editions, basis = document_editions(graph, year, doc, profile)
        for edition_id in editions:
            graph.add((doc, SCP.governedBy, SCP[edition_id]))
        graph.set((doc, SCP.editionBasis, Literal(basis)))
        _sign_offs(graph, doc)
        _covers_months(graph, doc)
        for edition_id in editions:
            _content_expectations(graph, doc, profile, edition_id)
        if (doc, RDF.type, SCP.YearlyReport) in graph:
            _yearly_report_deadlines(graph, year, doc, profile, editions, published, as_of)
            _report_timing(graph, doc, profile, published, as_of)
        if (doc, RDF.type, SCP.PublishedArrangements) in graph:
            _arrangements_deadlines(graph, doc, profile, published, as_of, editions)


def _year_editions(graph: Graph, year, profile: Profile, as_of: dt.date) -> None:
    """Every edition in force at some point of the period (up to the as-of date), so a year that
    straddles 15 December 2023 is judged under WT2018 for its first part and WT2023 after;
    and whether WT2023's structural expectations are still transitional on the as-of date."""
    start, end = _interval(graph, graph.value(year, SCP.period))
    if start is None or end is None:
        return
    last = min(end, as_of)
    ordered = sorted(profile.editions, key=lambda e: e.in_force_from)
    for i, edition in enumerate(ordered):
        until = ordered[i + 1].in_force_from - dt.timedelta(days=1) if i + 1 < len(ordered) else dt.date.max
        if (i == 0 or edition.in_force_from <= last) and start <= until:
            graph.add((year, SCP.coversEdition, SCP[edition.id]))
    deadline = profile.transition.revised_arrangements_by
    revised = sorted(d for doc in graph.objects(year, SCP.hasDocument)
                     if (doc, SCP.revisedFor, SCP.WT2023) in graph
                     for d in [_date(graph, doc, DCTERMS.issued)] if d and d <= as_of)
    if (year, SCP.coversEdition, SCP.WT2023) in graph:
        node = URIRef(f"{year}/deadline/wt2023-transition")
        graph.add((node, RDF.type, SCP.TransitionDeadline))
        graph.add((node, SCP.deadlineFor, year))
        write_dates(graph, node, deadline, revised[0] if revised else None, as_of,
                        f"revised arrangements due by {deadline.isoformat()} (profile; sources conflict)")
        if as_of <= deadline and not revised:
            graph.add((year, SCP.wt2023Transitional, Literal(True)))


def _content_expectations(graph: Graph, doc, profile: Profile, edition_id: str) -> None:
    kind = "yearly-report" if (doc, RDF.type, SCP.YearlyReport) in graph else (
        "arrangements" if (doc, RDF.type, SCP.PublishedArrangements) in graph else None)
    for rule in profile.contents:
        if rule.document != kind or edition_id not in rule.editions:
            continue
        for topic in rule.topics:
            node = URIRef(f"{doc}/expects/{rule.requirement}/{topic.value}")
            graph.add((node, RDF.type, SCP.ContentExpectation))
            graph.add((node, SCP.expectationOf, doc))
            graph.add((node, SCP.forRequirement, Literal(rule.requirement)))
            graph.add((node, SCP.topic, topic_iri(topic.value)))


def _report_timing(graph: Graph, report, profile: Profile, published, as_of: dt.date) -> None:
    """WT23-YR-05 (UNVERIFIED): an April-March period, published by 30 September after it."""
    timing = profile.yearly_report_timing
    start, end = _interval(graph, graph.value(report, SCP.covers)) if graph.value(report, SCP.covers) else (None, None)
    if start and end:
        aligned = start.strftime("%m-%d") == timing.period_start_month_day and \
            end.strftime("%m-%d") == timing.period_end_month_day
        graph.set((report, SCP.coversFinancialYear, Literal(aligned)))
        month, day = (int(x) for x in timing.publish_by_month_day.split("-"))
        due = dt.date(end.year, month, day)
        node = URIRef(f"{report}/deadline/publication")
        graph.add((node, RDF.type, SCP.ReportPublicationDeadline))
        graph.add((node, SCP.deadlineFor, report))
        for edition in sorted(graph.objects(report, SCP.governedBy)):
            graph.add((node, SCP.governedBy, edition))
        write_dates(graph, node, due, published, as_of,
                        f"period ends {end.isoformat()}; publish by {due.isoformat()}")


def _arrangements_deadlines(graph: Graph, doc, profile: Profile, published,
                            as_of: dt.date, editions: list[str]) -> None:
    rules = profile.arrangements
    _wt2018_first_arrangements(graph, doc, rules, as_of)
    if "WT2023" not in editions:  # annual review is a WT2023-era expectation (WT23-PUB-02)
        return
    reviewed = _date(graph, doc, SCP.lastReviewed) or published
    stated = approximately(graph, doc, SCP.lastReviewed)
    if stated is not None and not _date(graph, doc, SCP.lastReviewed):
        reviewed = Approx(stated.earliest, stated.latest, f"last reviewed {stated.text}")
    node = URIRef(f"{doc}/deadline/review")
    graph.add((node, RDF.type, SCP.ArrangementsReviewDeadline))
    graph.add((node, SCP.deadlineFor, doc))
    months = rules.review_every_months
    _due_months_after(graph, node, reviewed, months, None, as_of,
                      approx=lambda text: f"{text} + {months} months",
                      exact=lambda day: f"last reviewed or published {day} + {months} months",
                      missing="no review or publication date recorded")


def _due_months_after(graph: Graph, node, start, months: int, actual, as_of: dt.date, *,
                      approx: Callable[[str], str], exact: Callable[[str], str], missing: str) -> None:
    """A deadline ``months`` after ``start``: an exact day, an Approx (then the due date is a range
    too), or None (no start recorded). ``approx``/``exact`` give the basis text from the start's
    text or ISO day."""
    if isinstance(start, Approx):
        basis = approx(start.text)
        write_dates(graph, node, start.shifted(lambda d: workdays.add_months(d, months), basis), actual, as_of, basis)
    elif start:
        write_dates(graph, node, workdays.add_months(start, months), actual, as_of, exact(start.isoformat()))
    else:
        write_dates(graph, node, None, actual, as_of, missing)


def _wt2018_first_arrangements(graph: Graph, doc, rules, as_of: dt.date) -> None:
    first = _date(graph, doc, SCP.firstPublished)
    implemented = _date(graph, doc, SCP.implementedOn)
    if first or implemented:
        for cls, due, actual, basis in (
                (SCP.FirstPublicationDeadline, rules.first_publication_by, first, "first arrangements due by"),
                (SCP.ImplementationDeadline, rules.implementation_by, implemented, "implementation due by")):
            node = URIRef(f"{doc}/deadline/{'first-publication' if cls == SCP.FirstPublicationDeadline else 'implementation'}")
            graph.add((node, RDF.type, cls))
            graph.add((node, SCP.deadlineFor, doc))
            write_dates(graph, node, due, actual, as_of, f"{basis} {due.isoformat()} (WT2018 transitional guidance)")


def _sign_offs(graph: Graph, doc) -> None:
    for sign_off in graph.objects(doc, SCP.hasSignOff):
        day = _date(graph, sign_off, SCP.signedOn)
        post = graph.value(sign_off, SCP.signatoryPost)
        if day is None or post is None:
            continue
        person = holder_on(graph, post, day)
        if person is None:
            continue
        graph.add((sign_off, SCP.signatory, person))
        if (post, ORG.role, SCP.LeadSafeguardingPartner) in graph:
            partner = graph.value(post, SCP.forPartner) or graph.value(post, ORG.postIn)
            if partner is not None:
                graph.add((doc, SCP.lspSignOffFor, partner))


def _covers_months(graph: Graph, doc) -> None:
    covers = graph.value(doc, SCP.covers)
    if covers is None:
        return
    start, end = _interval(graph, covers)
    if start and end:
        span = relativedelta(end + dt.timedelta(days=1), start)
        if span.days == 0:
            graph.set((doc, SCP.coversMonths, Literal(span.years * 12 + span.months)))


def _yearly_report_deadlines(graph: Graph, year, report, profile: Profile, editions: list[str],
                             published, as_of: dt.date) -> None:
    rules = profile.yearly_report
    # s16G: at least once in every 12 months -> due within 12 months of the previous report.
    interval = URIRef(f"{report}/deadline/interval")
    graph.add((interval, RDF.type, SCP.YearlyReportIntervalDeadline))
    graph.add((interval, SCP.deadlineFor, report))
    previous = graph.value(year, SCP.previousReport)
    previous_date = publication_of(graph, previous) if previous is not None else None
    _coverage(graph, report, previous)
    months = rules.interval_months
    _due_months_after(graph, interval, previous_date, months, published, as_of,  # approximate or inferred too
                      approx=lambda text: f"previous report {text}, + {months} months",
                      exact=lambda day: f"previous report published {day} + {months} months",
                      missing="previous report's publication date not recorded")
    # Sending the published report to the recipients each governing edition names.
    for edition_id in editions:
        _sending_deadlines(graph, report, rules, edition_id, published, as_of, len(editions) > 1)


def _sending_deadlines(graph: Graph, report, rules, edition_id: str, published,
                       as_of: dt.date, several: bool) -> None:
    recipients = rules.recipients[edition_id]
    for i, group in enumerate(recipients.required, start=1):
        # One edition: the IRIs stay as before; two: each edition's deadlines apart.
        suffix = f"{edition_id.lower()}-{i}" if several else f"{i}"
        deadline = URIRef(f"{report}/deadline/send-{suffix}")
        graph.add((deadline, RDF.type, SCP.ReportSendingDeadline))
        graph.add((deadline, SCP.deadlineFor, report))
        graph.add((deadline, SCP.governedBy, SCP[edition_id]))
        acceptable = set()
        for rid in group.any_of:
            node = _org_by_local_id(graph, rid)
            if node is not None:
                graph.add((deadline, SCP.acceptableRecipient, node))
                acceptable.add(node)
        sent = sorted(d for d in (_date(graph, s, SCP.sentOn) for s in graph.objects(report, SCP.hasSubmission)
                                  if graph.value(s, SCP.recipient) in acceptable) if d)
        due = None
        add = workdays.add_working_days if rules.send_days_are == "working" else workdays.add_calendar_days
        within = f"{rules.send_within_days} {rules.send_days_are} days"
        if isinstance(published, Approx):  # the due date is as approximate as the publication
            due = published.shifted(lambda d: add(d, rules.send_within_days), f"{published.text}, + {within}")
            basis = f"{published.text}, + {within}"
        elif published:
            due = add(published, rules.send_within_days)
            basis = f"published {published.isoformat()} + {within}"
        else:
            basis = "publication date not recorded"
        write_dates(graph, deadline, due, sent[0] if sent else None, as_of, basis, overdue=False)


def _coverage(graph: Graph, report, previous) -> None:
    """Consecutive reports should cover consecutive periods: no hole, no overlap."""
    if previous is None or graph.value(report, SCP.covers) is None or graph.value(previous, SCP.covers) is None:
        return
    start, _ = _interval(graph, graph.value(report, SCP.covers))
    _, previous_end = _interval(graph, graph.value(previous, SCP.covers))
    if start and previous_end:
        graph.set((report, SCP.coverageGapDays, Literal((start - previous_end).days - 1)))


def _org_by_local_id(graph: Graph, local: str) -> URIRef | None:
    return next((s for s in graph.subjects(SCP.localId, Literal(f"organisation/{local}"))), None)


def _days(graph: Graph) -> None:
    for day in list(graph.subjects(RDF.type, SCP.Day)):
        value = _date(graph, day, TIME.inXSDDate)
        if value is None:
            continue
        graph.set((day, SCP.dayNumber, Literal(workdays.day_number(value))))
        if value >= workdays.ORIGIN:
            graph.set((day, SCP.workingDayIndex, Literal(workdays.working_day_index(value))))


@lru_cache(maxsize=1)
def defined_class_rules() -> tuple[tuple[URIRef, URIRef, URIRef, URIRef], ...]:
    """(defined class, base class, property, value) for every ``C ≡ B ⊓ ∃p.{v}`` in the ontology
    (from the compiled cache, keyed by the ontology files' contents: no need to load the graph)."""
    import rdflib

    from ..resources import cached, key_of, resource_dir

    files = sorted(resource_dir("ontology").glob("*.ttl"))
    return cached("defined-classes", key_of(files, "defined-class-rules-1", "rdflib " + rdflib.__version__),
                  _defined_class_rules)


def _defined_class_rules() -> tuple[tuple[URIRef, URIRef, URIRef, URIRef], ...]:
    onto = ontology_graph()
    rules = []
    for cls, expr in onto.subject_objects(OWL.equivalentClass):
        members = onto.value(expr, OWL.intersectionOf)
        if members is None:
            continue
        items = list(Collection(onto, members))
        bases = [m for m in items if isinstance(m, URIRef)]
        restrictions = [m for m in items if onto.value(m, OWL.hasValue) is not None]
        if len(bases) == 1 and len(restrictions) == 1:
            r = restrictions[0]
            rules.append((cls, bases[0], onto.value(r, OWL.onProperty), onto.value(r, OWL.hasValue)))
    return tuple(sorted(rules))


def materialise_defined_classes(graph: Graph) -> None:
    closure = subclass_closure()
    for cls, base, prop, value in defined_class_rules():
        for sub in sorted(closure.get(base, frozenset({base}))):
            for node in list(graph.subjects(RDF.type, sub)):
                if (node, prop, value) in graph:
                    graph.add((node, RDF.type, cls))


def materialise_superclasses(graph: Graph) -> None:
    """Add the thscp-kg superclasses of each typed node, so shapes need no RDFS reasoning."""
    closure = subclass_closure()
    supers: dict[URIRef, set[URIRef]] = {}
    for sup, subs in closure.items():
        if str(sup).startswith(str(SCP)):
            for sub in subs:
                if sub != sup:
                    supers.setdefault(sub, set()).add(sup)
    for node, cls in list(graph.subject_objects(RDF.type)):
        for sup in supers.get(cls, ()):
            graph.add((node, RDF.type, sup))
