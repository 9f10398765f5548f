"""Serious incidents, rapid reviews and practice reviews: deadlines, editions and the shapes.

The per-requirement pass/fail cases live in tests/requirements/<ID>/ (test_requirements.py);
these tests pin what those cannot see: the working-day arithmetic behind each due date, that
a finding carries due, actual and lateness, edition routing over 15 December 2023, that the
review shapes do no date arithmetic, and what the rules find in the bundled THSCP data.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pytest
from conftest import REQUIREMENT_FIXTURES, ROOT, materialised
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from thscp_kg.materialise import workdays
from thscp_kg.namespaces import SCP
from thscp_kg.ontology import subclass_closure
from thscp_kg.pipeline import check_file

D = dt.date
REVIEW_SHAPES = ROOT / "shapes" / "reviews.ttl"
REVIEW_ONTOLOGY = ROOT / "ontology" / "reviews.ttl"


@lru_cache(maxsize=None)
def _run(req_id: str, case: str):
    return check_file(REQUIREMENT_FIXTURES / req_id / case, requirement_ids=[req_id])


@lru_cache(maxsize=None)
def _graph(req_id: str, case: str) -> Graph:
    """The materialised graph ``check_file`` validates for the case (the tests below read only the graph, so
    the validation, findings and outcomes of every fixture are not computed for them; issue 16)."""
    from thscp_kg.materialise.evidence import require_evidence
    from thscp_kg.rules.profile import load_profile

    profile = load_profile()
    _, graph = materialised(REQUIREMENT_FIXTURES / req_id / case)  # built once per run (tests/conftest.py)
    if profile.profile.require_evidence:   # as check_file does
        require_evidence(graph)
    return graph


def test_the_graph_helper_is_the_graph_check_file_validates():
    for req_id, case in (("WT23-RR-01", "fail.yaml"), ("CA04-16C-01", "pass.yaml"), ("WT18-NOT-01", "fail.yaml")):
        if (REQUIREMENT_FIXTURES / req_id / case).is_file():
            assert set(_graph(req_id, case)) == set(_run(req_id, case).graph), (req_id, case)


def test_a_shared_graph_is_the_graph_built_afresh():
    """conftest.materialised's copy (the second call reads the run's pickle) is the graph built here and now."""
    from thscp_kg.load.loader import load_partnership_year
    from thscp_kg.pipeline import as_of_for, build_materialised
    from thscp_kg.rules.profile import load_profile

    for req_id, case in (("WT23-RR-01", "fail.yaml"), ("DOC-01", "fail.yaml"), ("CA04-16C-01", "pass.yaml")):
        path = REQUIREMENT_FIXTURES / req_id / case
        loaded = load_partnership_year(path)
        fresh = set(build_materialised(loaded, load_profile(None), as_of_for(loaded, None)))
        for _ in range(2):
            shared_loaded, shared = materialised(path)
            assert set(shared) == fresh and shared_loaded == loaded, (req_id, case)


def _finding(req_id: str, case: str, focus: str, shape: str, value: str | None = None):
    found = [f for f in _run(req_id, case).assessment.findings
             if f.focus == focus and f.shape == f"scp-sh:{shape}" and (value is None or f.value == value)]
    assert len(found) == 1, found
    return found[0]


def _naive_weekdays(start: dt.date, n: int) -> dt.date:
    """What a count that skips weekends but forgets bank holidays would say."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


# -- the shapes file ------------------------------------------------------------------------------
def _review_shapes() -> Graph:
    graph = Graph()
    graph.parse(REVIEW_SHAPES, format="turtle")
    return graph


DATE_IDIOMS = re.compile(r"xsd:\w+\s*\(|STRDT\s*\(|\b(YEAR|MONTH|DAY|HOURS|MINUTES|SECONDS|NOW|TIMEZONE|TZ)\s*\(",
                         re.IGNORECASE)
# Date-valued properties: scp:notifiedOn, scp:dueBy, scp:actualDate, scp:dueDayNumber, scp:clockStart ...
DATE_TERMS = re.compile(r"(scp:\w*(On|Date|By|Number|Index|Start|Until)|dcterms:issued|time:inXSDDate)\b")


def test_review_shapes_do_no_date_arithmetic_in_sparql():
    """SPARQL here is for set comparison only: no casts, no date functions, no arithmetic or
    ordering comparisons between variables, and no date-valued property at all (ADR 0005)."""
    selects = [str(s) for s in _review_shapes().objects(None, SH.select)]
    assert selects, "the review shapes use SPARQL for the REG18-11 and REG18-14 set comparisons"
    for text in selects:
        assert not DATE_IDIOMS.search(text), text
        assert not re.search(r"\?\w+\s*[-+*/<>]=?\s*\?", text), text
        assert not DATE_TERMS.search(text), text


def test_review_shapes_compare_working_days_as_indices():
    """Working-day rules compare integer indices, month rules compare dates; never a mix."""
    shapes = _review_shapes()
    pairs = {(str(shapes.value(s, SH.path)).rsplit("#", 1)[-1], str(o).rsplit("#", 1)[-1])
             for s, o in shapes.subject_objects(SH.lessThanOrEquals)}
    assert pairs <= {("actualWorkingDayIndex", "dueWorkingDayIndex"), ("asOfWorkingDayIndex", "dueWorkingDayIndex"),
                     ("actualDate", "dueBy"), ("asOfDate", "dueBy"), ("dueBy", "actualDate")}, pairs


def _deadline_classes() -> tuple[set[URIRef], dict[URIRef, URIRef]]:
    """Deadline subclasses declared in ontology/reviews.ttl, and each defined class's base."""
    onto = Graph()
    onto.parse(REVIEW_ONTOLOGY, format="turtle")
    deadlines = subclass_closure()[SCP.Deadline]
    declared = {c for c in onto.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    subclasses = {c for c in declared if c in deadlines and c != SCP.Deadline}
    defined: dict[URIRef, URIRef] = {}
    for cls, expr in onto.subject_objects(OWL.equivalentClass):
        members = [m for m in Collection(onto, onto.value(expr, OWL.intersectionOf)) if isinstance(m, URIRef)]
        if members and members[0] in subclasses:
            defined[cls] = members[0]
    return subclasses, defined


def test_every_review_deadline_class_is_targeted():
    subclasses, defined = _deadline_classes()
    assert len(subclasses) >= 5 and defined
    targeted = set(_review_shapes().objects(None, SH.targetClass))
    for cls in defined:
        assert cls in targeted, f"{cls} is defined but no shape targets it"
    for base in subclasses - set(defined):
        scoped = {c for c, b in defined.items() if b == base}
        assert base in targeted or scoped & targeted, f"{base}: no shape targets it or an edition-scoped subclass"
    for base in set(defined.values()):
        editions = {str(c).rsplit("Under", 1)[-1] for c, b in defined.items() if b == base}
        assert editions == {"WT2018", "WT2023"}, base


def test_every_review_deadline_node_is_typed_and_explained():
    """Each deadline materialise_reviews makes has its subject, edition, basis and as-of date."""
    subclasses, _ = _deadline_classes()
    seen = set()
    for folder in sorted(REQUIREMENT_FIXTURES.iterdir()):
        for case in sorted(folder.glob("*.yaml")):
            if case.name == "expected.yaml":
                continue
            graph = _graph(folder.name, case.name)
            for cls in subclasses:
                for node in graph.subjects(RDF.type, cls):
                    seen.add(cls)
                    subject = graph.value(node, SCP.deadlineFor)
                    assert subject is not None, node
                    assert graph.value(node, SCP.governedBy) == graph.value(subject, SCP.governedBy), node
                    assert graph.value(node, SCP.basis) is not None and graph.value(node, SCP.asOfDate) is not None
    assert seen == subclasses


# -- working-day arithmetic ------------------------------------------------------------------------
@pytest.mark.parametrize("req_id,case,focus,shape,due,actual,days_late,wd_late", [
    # Christmas 2024: 25, 26 Dec and 1 Jan skipped.
    ("WT23-NOT-01", "fail.yaml", "incident/incident-1", "WT23-NOT-01-b", D(2025, 1, 2), D(2025, 1, 3), 1, 1),
    ("WT23-RR-01", "fail.yaml", "rapid-review/rr-1", "WT23-RR-01-b", D(2025, 1, 2), D(2025, 1, 3), 1, 1),
    # State Funeral, Monday 19 September 2022.
    ("WT18-NOT-01", "fail.yaml", "incident/incident-1", "WT18-NOT-01-b", D(2022, 9, 21), D(2022, 9, 22), 1, 1),
    ("WT18-RR-01", "fail.yaml", "rapid-review/rr-1", "WT18-RR-01-b", D(2022, 9, 27), D(2022, 9, 28), 1, 1),
    # Either side of 15 December 2023.
    ("WT18-NOT-01", "fail-straddle.yaml", "incident/incident-a", "WT18-NOT-01-b", D(2023, 12, 11), D(2023, 12, 14), 3, 3),
    ("WT23-NOT-01", "fail-straddle.yaml", "incident/incident-b", "WT23-NOT-01-b", D(2023, 12, 19), D(2023, 12, 22), 3, 3),
    # "At least 7 working days before": due counts back from publication (Coronation; Christmas).
    ("WT18-LCSPR-02", "fail-coronation.yaml", "review/cspr-a", "WT18-LCSPR-02-b", D(2023, 5, 2), D(2023, 5, 3), 1, 1),
    ("WT23-LCSPR-03", "fail-christmas.yaml", "review/cspr-a", "WT23-LCSPR-03-b", D(2024, 12, 30), D(2024, 12, 31), 1, 1),
    # Calendar months: no working-day figure.
    ("WT23-LCSPR-02", "fail.yaml", "review/cspr-a", "WT23-LCSPR-02-b", D(2024, 9, 15), D(2024, 10, 1), 16, None),
])
def test_timeliness_findings_carry_due_actual_and_lateness(req_id, case, focus, shape, due, actual, days_late, wd_late):
    f = _finding(req_id, case, focus, shape)
    assert (f.due, f.actual, f.days_late, f.working_days_late) == (due.isoformat(), actual.isoformat(), days_late, wd_late)
    assert f.status.value == "not-met"
    # Exact dates: the lateness is exact, never "at least" (that is for approximate dates only).
    assert f.days_late_at_least is None and "days_late_at_least" not in f.to_json()
    if wd_late is not None:
        assert f.to_json()["working_days_late"] == wd_late


def test_overdue_findings_count_lateness_to_the_as_of_date():
    f = _finding("WT23-NOT-01", "fail.yaml", "incident/incident-2", "WT23-NOT-01-c")
    assert f.actual is None and f.due == "2025-03-10"
    assert f.working_days_late == workdays.working_days_between(D(2025, 3, 10), D(2025, 6, 30))
    assert f.days_late == (D(2025, 6, 30) - D(2025, 3, 10)).days


def test_a_copy_never_sent_has_no_working_days_late():
    """Before a past publication, 'late by the as-of date' means nothing: not recorded is not late."""
    f = _finding("WT23-LCSPR-03", "fail-christmas.yaml", "review/cspr-a", "WT23-LCSPR-03-a",
                 "Department for Education")
    assert f.status.value == "not-evidenced" and f.working_days_late is None


@pytest.mark.parametrize("start,n,due", [
    (D(2024, 12, 20), 5, D(2024, 12, 31)),   # Christmas 2024 (notification, pass case)
    (D(2024, 12, 9), 15, D(2025, 1, 2)),     # Christmas 2024 (rapid review, pass case)
    (D(2023, 5, 2), 5, D(2023, 5, 10)),      # Coronation 8 May 2023
    (D(2022, 9, 5), 15, D(2022, 9, 27)),     # State Funeral 19 Sep 2022
    (D(2022, 9, 13), 5, D(2022, 9, 21)),
])
def test_bank_holidays_move_the_due_date(start, n, due):
    """The fixtures' due dates, which a weekday-only (or calendar) count would get wrong."""
    assert workdays.add_working_days(start, n) == due
    assert _naive_weekdays(start, n) != due
    assert start + dt.timedelta(days=n) != due


def test_deadline_basis_names_the_bank_holidays_skipped():
    graph = _run("WT23-NOT-01", "pass-christmas.yaml").graph
    node = URIRef(str(next(graph.subjects(SCP.localId, Literal("incident/incident-1")))) + "/deadline/notification")
    basis = str(graph.value(node, SCP.basis))
    assert "2024-12-20 (day 0) + 5 working days" in basis
    assert "2024-12-25, 2024-12-26" in basis
    assert graph.value(node, SCP.workingDaysTaken).toPython() == 5


def test_saturday_counts_as_the_working_day_before():
    """Due Fri 6 Jun 2025, done Sat 7 Jun: same working-day index, so on time (requirements.md §9)."""
    graph = _run("WT23-NOT-01", "pass-christmas.yaml").graph
    node = URIRef(str(next(graph.subjects(SCP.localId, Literal("incident/incident-3")))) + "/deadline/notification")
    assert graph.value(node, SCP.dueBy).toPython() == D(2025, 6, 6)
    assert graph.value(node, SCP.actualWorkingDayIndex) == graph.value(node, SCP.dueWorkingDayIndex)
    assert graph.value(node, SCP.workingDaysLate) is None


def test_pre_publication_due_date_is_counted_back_in_working_days():
    graph = _run("WT23-LCSPR-03", "pass-christmas.yaml").graph
    review = next(graph.subjects(SCP.localId, Literal("review/cspr-a")))
    node = URIRef(f"{review}/deadline/send-panel")
    assert graph.value(node, SCP.dueBy).toPython() == D(2024, 12, 30)
    assert graph.value(node, SCP.workingDaysNotice).toPython() == 7
    assert workdays.working_days_between(D(2024, 12, 30), D(2025, 1, 9)) == 7


# -- editions -------------------------------------------------------------------------------------
@pytest.mark.parametrize("req_id,case,local,edition,basis", [
    ("WT18-NOT-01", "fail-straddle.yaml", "incident/incident-a", "WT2018", "notified 2023-12-14"),
    ("WT18-NOT-01", "fail-straddle.yaml", "incident/incident-b", "WT2023", "notified 2023-12-22"),
    ("WT18-RR-01", "fail-straddle.yaml", "rapid-review/rr-a", "WT2018", "completed 2023-12-13"),
    ("WT18-RR-01", "fail-straddle.yaml", "rapid-review/rr-b", "WT2023", "completed 2023-12-20"),
    ("WT18-LCSPR-01", "fail-straddle.yaml", "review/cspr-a", "WT2018", "published 2023-12-01"),
    ("WT18-LCSPR-01", "fail-straddle.yaml", "review/cspr-b", "WT2023", "published 2024-01-10"),
    ("WT23-RR-01", "fail.yaml", "rapid-review/rr-2", "WT2023", "partners aware 2025-02-03"),
    ("WT23-LCSPR-02", "pass.yaml", "review/cspr-d", "WT2018", "published in 2021 (only the year is recorded)"),
])
def test_each_action_is_judged_by_its_own_date(req_id, case, local, edition, basis):
    graph = _run(req_id, case).graph
    node = next(graph.subjects(SCP.localId, Literal(local)))
    assert graph.value(node, SCP.governedBy) == SCP[edition]
    assert str(graph.value(node, SCP.editionBasis)) == basis


def test_straddling_year_reports_each_finding_under_its_edition():
    for req_id, focus in (("WT18-NOT-01", "incident/incident-a"), ("WT23-NOT-01", "incident/incident-b")):
        (f,) = _run(req_id, "fail-straddle.yaml").assessment.findings
        assert f.focus == focus and f.edition == ("WT2018" if req_id.startswith("WT18") else "WT2023")


def test_reviews_published_before_the_period_get_no_deadlines():
    graph = _run("WT23-LCSPR-02", "pass.yaml").graph
    old = next(graph.subjects(SCP.localId, Literal("review/cspr-d")))
    assert list(graph.subjects(SCP.deadlineFor, old)) == []
    assert (old, RDF.type, SCP.SupervisedPracticeReview) not in graph


# -- incidents: criteria and data protection ------------------------------------------------------
def test_notification_criteria_recorded_derived_or_undecided():
    graph = _run("CA04-16C-01", "pass.yaml").graph

    def node(local):
        return next(graph.subjects(SCP.localId, Literal(local)))
    assert graph.value(node("incident/incident-1"), SCP.notificationCriteriaMet) == Literal(True)
    assert str(graph.value(node("incident/incident-2"), SCP.criteriaBasis)).startswith("derived")
    assert (node("incident/incident-2"), RDF.type, SCP.NotifiableIncident) in graph
    assert graph.value(node("incident/incident-3"), SCP.notificationCriteriaMet) == Literal(False)
    assert graph.value(node("incident/incident-4"), SCP.notificationCriteriaMet) == Literal(False)


ALLOWED_LITERAL_PREDICATES = {RDFS.label, SCP.localId, SCP.sourceLine, SCP.basis, SCP.editionBasis,
                              SCP.criteriaBasis, SCP.decisionRationale, SCP.delayReason, SCP.reviewStatus,
                              SCP.revisionNote}  # generated: the revision of the edition in force


def test_incidents_and_reviews_hold_ids_dates_and_decisions_only():
    """No free text about a child: literals are dates, booleans, numbers or the few texts above."""
    for folder in sorted(REQUIREMENT_FIXTURES.iterdir()):
        for case in sorted(folder.glob("*.yaml")):
            if case.name == "expected.yaml" or not (folder.name.startswith(("WT", "CA04-16C", "CA04-16F", "REG"))):
                continue
            graph = _graph(folder.name, case.name)
            nodes = set()
            for cls in (SCP.SeriousIncident, SCP.RapidReview, SCP.SeriousIncidentNotification, SCP.ProgressCheck,
                        SCP.ReviewerRequest):
                nodes |= set(graph.subjects(RDF.type, cls))
            for node in nodes:
                for p, o in graph.predicate_objects(node):
                    if isinstance(o, Literal) and p not in ALLOWED_LITERAL_PREDICATES:
                        assert isinstance(o.toPython(), (dt.date, bool, int)), (node, p, o)
                label = graph.value(node, RDFS.label)
                if label is not None and (node, RDF.type, SCP.PracticeReview) not in graph:
                    assert re.fullmatch(r"[a-z ]+ [a-z0-9-]+", str(label)), label


# -- the bundled THSCP data -----------------------------------------------------------------------
REVIEW_REQUIREMENTS_PREFIXES = ("CA04-16C", "CA04-16F", "REG18-1", "WT18-NOT", "WT23-NOT", "WT18-RR", "WT23-RR",
                                "WT18-LCSPR", "WT23-LCSPR")


def test_thscp_review_findings(thscp_run):
    """THSCP 2023-24 records counts only, and three reviews: the infant safety review was finalised
    in 2023-24 with no dates; CSPR Asif (2021) and CSPR Julie (2022) were published before the
    period and are left to earlier years."""
    infant = "review/infant-safety-densely-populated-borough"
    found = sorted((f.requirement, f.shape.removeprefix("scp-sh:"), f.focus, f.severity.value, f.edition)
                   for f in thscp_run.assessment.findings if f.requirement.startswith(REVIEW_REQUIREMENTS_PREFIXES))
    assert found == [
        ("REG18-14", "REG18-14-b", infant, "violation", "REG18"),                  # no progress checks recorded
        # No decision date recorded. With no action date, the review is judged under every edition in
        # force during 2023-24 (WT2018 until 14 Dec 2023, then WT2023), never by the as-of date (issue 12).
        ("WT18-LCSPR-01", "WT18-LCSPR-01-a", infant, "warning", "WT2018"),
        ("WT23-LCSPR-02", "WT23-LCSPR-02-a", infant, "warning", "WT2023"),
    ]
    status = {o.requirement: o.status.value for o in thscp_run.assessment.outcomes}
    # No incident or rapid review is recorded, only counts: nothing to check is not evidenced (issue 13),
    # never "met" and not "not applicable" either (the duties apply in the year).
    assert status["CA04-16C-01"] == "not-evidenced"
    assert status["WT23-RR-01"] == "not-evidenced"
    assert status["CA04-16F-02"] == "met"                  # Asif and Julie record their year of publication
    assert status["REG18-12"] == "to-be-assessed"
