"""Materialise step for incidents and reviews: editions by action date and deadline nodes.

Everything calendar-related is computed here (docs/decisions/0005); shapes/reviews.ttl only
compares the results. Conventions (requirements.md §9, status M; profile ``reviews``):

* Working days are Monday to Friday less England bank holidays (thscp_kg.materialise.workdays). The day
  the clock starts is day 0; "within N working days" means
  ``working_day_index(actual) - working_day_index(start) <= N``. An action on a weekend or bank
  holiday carries the index of the working day before it. So working-day rules compare the
  integer indices (``scp:actualWorkingDayIndex`` <= ``scp:dueWorkingDayIndex``), never dates.
* "At least N working days before publication" means
  ``working_day_index(published) - working_day_index(sent) >= N``: the due date is the working
  day whose index is ``index(published) - N``.
* Month rules use calendar months (``workdays.add_months``): a practice review is due 6 months
  after the decision; a published report stays online until the last day of the 12 months
  beginning on its publication.
* Edition: each incident and review is judged under the edition in force on the date of its
  action (notification; rapid review completion; practice review publication), else the date
  the duty arose (awareness; decision), else every edition in force during the year it is
  recorded in (both, where the year straddles 15 Dec 2023), never the as-of date, so moving
  ``--as-of`` cannot change which rules apply. ``scp:editionBasis`` says which.
* Practice reviews published before the period began were assessed in an earlier year: they
  get no deadlines here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, TIME

from ..build.iris import date_literal
from ..namespaces import SCP
from . import workdays
from .deadlines import write_dates

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..rules.profile import Profile

ONE_DAY = dt.timedelta(days=1)
# What each finding on the rapid review clock says about the start it used (profile
# reviews.rapid_review_clock_start; sources conflict, so the aspect is C).
CLOCK_START_TEXT = {
    "awareness": ("the clock started when the safeguarding partners became aware of the incident (the earliest of "
                  "the local authority's awareness and the date the partners were told; profile setting "
                  "'awareness', the guidance text; sources conflict)"),
    "notification": ("the clock started on the date the notification was sent to the Panel (profile setting "
                     "'notification', the Panel's practice guidance; sources conflict)"),
}


def materialise_reviews(graph: Graph, year, profile: Profile, as_of: dt.date) -> None:
    """Editions, derived classes and deadlines for the year's incidents and reviews."""
    start, end = _period(graph, year)
    rules = profile.reviews
    period = (start, end)
    for incident in sorted(graph.objects(year, SCP.hasSeriousIncident)):
        _incident(graph, incident, profile, rules, as_of, period)
    for rapid in sorted(graph.objects(year, SCP.hasRapidReview)):
        _rapid_review(graph, rapid, profile, rules, as_of, period)
    for review in sorted(graph.objects(year, SCP.hasPracticeReview)):
        _practice_review(graph, review, profile, rules, as_of, start, end)


# -- incidents --------------------------------------------------------------------------------
def _incident(graph: Graph, incident, profile: Profile, rules, as_of: dt.date, period) -> None:
    aware = _date(graph, incident, SCP.laAwareOn)
    notification = graph.value(incident, SCP.hasNotification)
    notified = _date(graph, notification, SCP.notifiedOn) if notification is not None else None
    edition = _govern(graph, incident, profile, period,
                      [("notified", notified), ("local authority aware", aware)])
    met = _criteria_met(graph, incident)
    if (incident, SCP.childLookedAfter, Literal(True)) in graph and \
            (incident, SCP.incidentOutcome, SCP.ChildDeath) in graph:
        graph.add((incident, RDF.type, SCP.LookedAfterChildDeath))
    if not met and notified is None:
        return
    n = rules.notification_working_days
    deadline = URIRef(f"{incident}/deadline/notification")
    due = workdays.add_working_days(aware, n) if _wd_ok(aware) else None
    basis = (f"local authority aware {aware.isoformat()} (day 0) + {n} working days{_skipped(aware, due)}"
             if due else "the date the local authority became aware is not recorded")
    _deadline(graph, deadline, SCP.NotificationDeadline, incident, edition, due, notified, as_of, basis,
              start=aware, working=True)
    # The local authority also tells the safeguarding partners within the same 5 working days (WT23-NOT-03).
    told = _date(graph, incident, SCP.partnersToldOn)
    _deadline(graph, URIRef(f"{incident}/deadline/partners-told"), SCP.PartnersToldDeadline, incident, edition,
              due, told, as_of, basis, start=aware, working=True)


def _criteria_met(graph: Graph, incident) -> bool | None:
    """s16C criteria: the recorded judgement, else derived from outcome + abuse or neglect."""
    recorded = graph.value(incident, SCP.meetsNotificationCriteria)
    denotified = (incident, SCP.denotified, Literal(True)) in graph
    if recorded is not None:
        met, basis = bool(recorded.toPython()), "recorded (meets_notification_criteria)"
    elif denotified:
        met, basis = False, "de-notified: found not to meet the criteria"
    elif graph.value(incident, SCP.incidentOutcome) is not None and graph.value(incident, SCP.abuseOrNeglect) is not None:
        met, basis = True, "derived: death or serious harm, with abuse or neglect known or suspected"
    else:
        return None
    graph.set((incident, SCP.notificationCriteriaMet, Literal(met)))
    graph.set((incident, SCP.criteriaBasis, Literal(basis)))
    return met


# -- rapid reviews ----------------------------------------------------------------------------
def _rapid_review(graph: Graph, rapid, profile: Profile, rules, as_of: dt.date, period) -> None:
    completed = _date(graph, rapid, SCP.completedOn)
    if completed is not None:
        graph.add((rapid, RDF.type, SCP.CompletedRapidReview))
    incident = graph.value(rapid, SCP.forIncident)
    notification = graph.value(incident, SCP.hasNotification) if incident is not None else None
    notified = _date(graph, notification, SCP.notifiedOn) if notification is not None else None
    aware, who = None, ""
    if incident is not None:
        # The local authority is itself a safeguarding partner: the partners are aware from the
        # earliest of the LA's awareness and the date the other partners were told.
        known = [(d, w) for d, w in ((_date(graph, incident, SCP.laAwareOn), "local authority aware"),
                                     (_date(graph, incident, SCP.partnersToldOn), "partners told")) if d]
        if known:
            aware, who = min(known)
    edition = _govern(graph, rapid, profile, period, [("completed", completed), ("partners aware", aware)])
    n = rules.rapid_review_working_days
    # When the 15 working days start is contested (C): a profile parameter, named in every finding.
    clock = rules.rapid_review_clock_start
    start, start_what = (notified, "notification sent to the Panel") if clock == "notification" else (aware, who)
    due = workdays.add_working_days(start, n) if _wd_ok(start) else None
    missing = ("no incident with a notification date is linked to the rapid review" if clock == "notification"
               else "no incident with an awareness date is linked to the rapid review")
    basis = (f"{start_what} {start.isoformat()} (day 0) + {n} working days{_skipped(start, due)}" if due else missing)
    node = URIRef(f"{rapid}/deadline/completion")
    _deadline(graph, node, SCP.RapidReviewDeadline, rapid, edition, due, completed, as_of, basis,
              start=start, working=True)
    graph.add((node, SCP.clockStartRule, Literal(CLOCK_START_TEXT[clock])))
    # A rapid review follows a notification: the notification is due on or before the review starts
    # (its start date, else its completion date) (WT23-RR-03).
    if incident is not None:
        started = _date(graph, rapid, SCP.startedOn)
        begun, begun_what = (started, "rapid review started") if started else (
            (completed, "rapid review completed (start date not recorded)") if completed else (None, ""))
        basis = (f"{begun_what} {begun.isoformat()}: the incident is to be notified on or before it" if begun else
                 "neither the start nor the completion date of the rapid review is recorded")
        _deadline(graph, URIRef(f"{rapid}/deadline/notification-first"), SCP.RapidReviewNotificationDeadline,
                  rapid, edition, begun, notified, as_of, basis, start=begun, overdue=False)


# -- practice reviews -------------------------------------------------------------------------
def _practice_review(graph: Graph, review, profile: Profile, rules, as_of: dt.date,
                     period_start: dt.date | None, period_end: dt.date | None) -> None:
    published = _date(graph, review, DCTERMS.issued)
    withheld = (review, SCP.publicationWithheld, Literal(True)) in graph
    improvements = _date(graph, review, SCP.improvementsPublishedOn)
    completed = _date(graph, review, SCP.completedOn)
    decided, decided_basis = _decided(graph, review)
    year = graph.value(review, SCP.publishedYear)
    published_year = int(str(year)) if year is not None else None
    # The publication that starts the pre-publication and retention rules.
    public, public_what = (published, "published") if published else (
        (improvements, "improvements information published") if withheld and improvements else (None, ""))
    candidates = [(public_what, public), ("completed", completed), ("decided", decided)]
    edition = _govern(graph, review, profile, (period_start, period_end), candidates, published_year)
    if period_start and ((public and public < period_start) or
                         (not public and published_year and published_year < period_start.year)):
        return  # published before the period: assessed in an earlier year
    status = str(graph.value(review, SCP.reviewStatus) or "")
    finished = completed or public or status in ("completed", "published")

    # Complete and publish within 6 months of the decision (WT18-LCSPR-01 / WT23-LCSPR-02).
    months = rules.practice_review_months
    due = workdays.add_months(decided, months) if decided else None
    deadline = URIRef(f"{review}/deadline/publication")
    basis = (f"{decided_basis} {decided.isoformat()} + {months} calendar months" if due else
             "the date of the decision to initiate the review is not recorded")
    _deadline(graph, deadline, SCP.PracticeReviewPublicationDeadline, review, edition, due, public, as_of,
              basis, start=decided)
    if public is None and (status == "published" or published_year):
        graph.add((deadline, SCP.doneUndated, Literal(True)))

    # Reg 14 supervision is on record once the review is finished or past its timescale.
    if finished or (due and as_of > due):
        graph.add((review, RDF.type, SCP.SupervisedPracticeReview))
    if public and period_start and period_end and period_start <= public <= period_end:
        graph.add((review, RDF.type, SCP.PracticeReviewPublishedInPeriod))
    if public is None:
        return

    # Final report to the Panel and the Secretary of State at least N working days before
    # publication (WT18-LCSPR-02 / WT23-LCSPR-03).
    n = rules.pre_publication_working_days
    latest = _working_day_before(public, n) if _wd_ok(public) else None
    for key, prop, recipient in (("panel", SCP.sentToPanelOn, "national-panel"),
                                 ("secretary-of-state", SCP.sentToSecretaryOfStateOn, "dfe")):
        node = URIRef(f"{review}/deadline/send-{key}")
        sent = _date(graph, review, prop)
        body = _org_by_local_id(graph, recipient)
        if body is not None:
            graph.add((node, SCP.acceptableRecipient, body))
        basis = (f"{public_what} {public.isoformat()} - {n} working days (at least {n} working days' notice)"
                 f"{_skipped(latest, public)}" if latest else "publication date before the working-day calendar")
        _deadline(graph, node, SCP.PrePublicationDeadline, review, edition, latest, sent, as_of, basis,
                  start=public, working=True, overdue=False)
        if latest and sent and _wd_ok(sent):
            graph.add((node, SCP.workingDaysNotice,
                       Literal(workdays.working_days_between(sent, public))))

    # Online for at least 12 months (WT18-LCSPR-03 / WT23-LCSPR-04).
    months = rules.online_for_months
    until = workdays.add_months(public, months) - ONE_DAY
    node = URIRef(f"{review}/deadline/online")
    _deadline(graph, node, SCP.OnlineRetentionDeadline, review, edition, until,
              _date(graph, review, SCP.availableUntil), as_of,
              f"{public_what} {public.isoformat()}: online through the last day of the {months} months "
              f"beginning then ({until.isoformat()})", start=public)
    if (review, SCP.stillOnline, Literal(True)) in graph:
        graph.add((node, SCP.stillOnline, Literal(True)))


def _decided(graph: Graph, review) -> tuple[dt.date | None, str]:
    decided = _date(graph, review, SCP.decidedOn)
    if decided:
        return decided, "decided"
    rapid = graph.value(review, SCP.fromRapidReview)
    if rapid is not None and (rapid, SCP.lcsprDecision, SCP.InitiateReview) in graph:
        day = _date(graph, rapid, SCP.decisionDate)
        if day:
            return day, "rapid review decided to initiate"
    return None, ""


# -- shared helpers ---------------------------------------------------------------------------
def _govern(graph: Graph, node, profile: Profile, period, candidates,
            published_year: int | None = None) -> list[str]:
    """Set scp:governedBy / scp:editionBasis by the first recorded action date, else by the year the
    entity is recorded in (every edition in force during it), never the as-of date; return the ids."""
    for what, day in candidates:
        if day:
            editions, basis = [profile.edition_on(day).id], f"{what} {day.isoformat()}"
            break
    else:
        first = profile.edition_on(dt.date(published_year, 1, 1)) if published_year else None
        start, end = period
        if first is not None and first == profile.edition_on(dt.date(published_year, 12, 31)):
            editions, basis = [first.id], f"published in {published_year} (only the year is recorded)"
        elif start and end:
            editions = profile.editions_between(start, end)
            basis = (f"no action date recorded: judged under {' and '.join(editions)}, in force during the year "
                     f"it is recorded in ({start.isoformat()} to {end.isoformat()})")
        else:
            editions, basis = [profile.editions[0].id], "no date recorded"
    graph.remove((node, SCP.governedBy, None))
    for edition_id in editions:
        graph.add((node, SCP.governedBy, SCP[edition_id]))
    graph.set((node, SCP.editionBasis, Literal(basis)))
    return editions


def _deadline(graph: Graph, node: URIRef, cls, subject, editions: list[str], due: dt.date | None,
              actual: dt.date | None, as_of: dt.date, basis: str, *, start: dt.date | None = None,
              working: bool = False, overdue: bool = True) -> None:
    graph.add((node, RDF.type, cls))
    graph.add((node, SCP.deadlineFor, subject))
    for edition_id in editions:
        graph.add((node, SCP.governedBy, SCP[edition_id]))
    write_dates(graph, node, due, actual, as_of, basis)
    if start:
        graph.add((node, SCP.clockStart, date_literal(start)))
    if not (working and due and _wd_ok(as_of)):
        return
    due_i = workdays.working_day_index(due)
    graph.add((node, SCP.dueWorkingDayIndex, Literal(due_i)))
    graph.add((node, SCP.asOfWorkingDayIndex, Literal(workdays.working_day_index(as_of))))
    done = actual if actual and _wd_ok(actual) else None
    if done:
        graph.add((node, SCP.actualWorkingDayIndex, Literal(workdays.working_day_index(done))))
        if start and start <= done:
            graph.add((node, SCP.workingDaysTaken, Literal(workdays.working_days_between(start, done))))
    if done is None and not (overdue and actual is None):
        return  # e.g. a copy never recorded as sent before a past publication: lateness unknown
    late = workdays.working_day_index(done or as_of) - due_i
    if late > 0:
        graph.add((node, SCP.workingDaysLate, Literal(late)))


def _working_day_before(day: dt.date, n: int) -> dt.date:
    """The working day whose index is ``working_day_index(day) - n``."""
    target = workdays.working_day_index(day) - n
    d = day
    while not (workdays.is_working_day(d) and workdays.working_day_index(d) == target):
        d -= ONE_DAY
    return d


def _skipped(start: dt.date | None, end: dt.date | None) -> str:
    """'; bank holidays skipped: …' for the weekday bank holidays strictly after start up to end."""
    if not start or not end:
        return ""
    days = sorted(d for y in range(start.year, end.year + 1) for d in workdays.bank_holidays(y)
                  if start < d <= end and d.weekday() < 5)
    return f"; bank holidays skipped: {', '.join(d.isoformat() for d in days)}" if days else ""


def _wd_ok(day: dt.date | None) -> bool:
    return day is not None and day >= workdays.ORIGIN


def _period(graph: Graph, year) -> tuple[dt.date | None, dt.date | None]:
    period = graph.value(year, SCP.period)
    if period is None:
        return None, None
    begin, end = graph.value(period, TIME.hasBeginning), graph.value(period, TIME.hasEnd)
    return (_date(graph, begin, TIME.inXSDDate) if begin is not None else None,
            _date(graph, end, TIME.inXSDDate) if end is not None else None)


def _date(graph: Graph, node, prop) -> dt.date | None:
    if node is None:
        return None
    value = graph.value(node, prop)
    return value.toPython() if isinstance(value, Literal) and isinstance(value.toPython(), dt.date) else None


def _org_by_local_id(graph: Graph, local: str) -> URIRef | None:
    return next((s for s in graph.subjects(SCP.localId, Literal(f"organisation/{local}"))), None)
