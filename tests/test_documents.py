"""Document-consistency checks (area DOC): what documents state, against what they should match.

The fixtures in tests/requirements/DOC-*/ pin each shape; here: the real THSCP data finds the
mismatches the sources show, the period reader, the date bounds a statement speaks at, and a
profile without `documents:` parameters.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT
from rdflib import Literal
from rdflib.namespace import RDF

from thscp_kg.materialise.documents import period_label, read_period
from thscp_kg.namespaces import SCP

DATA = ROOT / "data" / "tower-hamlets"
COVER, REPORT, YEAR = "document/cabinet-report-2024-07-24", "document/annual-report-2023-24", "year/2023-24"


def _doc_findings(run) -> list[tuple[str, str, str, str]]:
    return sorted((f.requirement, f.shape.removeprefix("scp-sh:"), f.focus, f.value or "")
                  for f in run.assessment.findings if f.requirement.startswith("DOC-"))


def test_thscp_2023_24_mismatches_are_found(thscp_run):
    """The issue's list: the cover report's 2020-21 and 22-23, '23-23', the empty plan heading, a
    'Working Together 2024', stale About-Tower-Hamlets figures, a CCG in 2023-24 and the What
    Works Centre in July 2024."""
    assert _doc_findings(thscp_run) == sorted([
        ("DOC-01", "DOC-01", COVER, "2020-21"),
        ("DOC-01", "DOC-01", COVER, "22-23"),
        ("DOC-02", "DOC-02-b", YEAR, "'23-23' (Rapid Reviews): the same year twice, not two consecutive years"),
        ("DOC-02", "DOC-02-b", YEAR, "'23-23' (Child Safeguarding Practice Reviews): the same year twice, not two "
                                     "consecutive years"),
        ("DOC-03", "DOC-03", REPORT, "Strategic plan for the year ahead"),
        ("DOC-04", "DOC-04-a", COVER, "Working Together 2024"),
        ("DOC-05", "DOC-05", REPORT, "In March 2019, there were 2,529 households in temporary accommodation"),
        ("DOC-05", "DOC-05", REPORT, "In 2016-18, life expectancy for men in Tower Hamlets was the same as in the UK"),
        ("DOC-05", "DOC-05", REPORT, "Tower Hamlets economic output in 2017 was £29.7bn"),
        ("DOC-05", "DOC-05", REPORT, "In December 2019 there were 35,118 notifiable offences"),
        ("DOC-05", "DOC-05", REPORT, "During 2016-19, around two thirds of Tower Hamlets working age population were "
                                     "in employment (67%)"),
        ("DOC-05", "DOC-05", REPORT, "moving from 10th to 50th on the rank nationally (2019 Indices of Multiple "
                                     "Deprivation)"),
        ("DOC-06", "DOC-06", REPORT, "NHS North East London Clinical Commissioning Group"),
        ("DOC-06", "DOC-06", COVER, "What Works Centre for Children"),
    ])


def test_doc_findings_are_info_good_practice_with_locations(thscp_run):
    for f in thscp_run.assessment.findings:
        if f.requirement.startswith("DOC-"):
            assert f.severity.value == "info" and f.status.value == "not-met", f
            assert f.location.startswith("data/tower-hamlets/2023-24.yaml:"), f.location
            assert f.message and "{?value}" not in f.message


def test_matching_periods_and_current_guidance_are_not_reported(thscp_run):
    """The cover report's own '2023-2024' and '2023-24', and its 'Working Together 2023', pass."""
    values = {f.value for f in thscp_run.assessment.findings if f.requirement in ("DOC-01", "DOC-04")}
    assert not values & {"2023-2024", "2023-24", "Working Together 2023", "Working Together to Safeguard Children 2023"}


@pytest.fixture(scope="module")
def history_runs():
    from thscp_kg.pipeline import check_file
    return {p.stem: check_file(p, display=f"data/tower-hamlets/{p.name}")
            for p in sorted(DATA.glob("20??-??.yaml")) if p.stem != "2023-24"}


def test_earlier_years_state_consistent_periods_and_bodies(history_runs):
    """2018-19: the LSCB named with as_at (a historical naming) is not reported; 2019-20: the HWB
    names the CCGs in November 2020, when they existed; 2020-21: the cover report's periods, its
    Working Together 2018 and its What Works Centre (2020-21 era) all pass."""
    for period, run in history_runs.items():
        assert _doc_findings(run) == [], period
    outcomes = {(p, o.requirement): o.status.value for p, run in history_runs.items() for o in run.assessment.outcomes}
    assert outcomes[("2018-19", "DOC-06")] == "met"
    assert outcomes[("2019-20", "DOC-06")] == "met"
    assert outcomes[("2020-21", "DOC-01")] == "met"
    assert outcomes[("2020-21", "DOC-04")] == "met"
    assert outcomes[("2021-22", "DOC-02")] == "met"     # 'March 2022' is not judged; '2021/22' is fine


@pytest.mark.parametrize("text,normalised,problem", [
    ("2020-21", "2020-21", None), ("2023-2024", "2023-24", None), ("22-23", "2022-23", None),
    ("2023/24", "2023-24", None), ("23/24", "2023-24", None), ("1999-00", "1999-00", None),
    ("Annual Report 22-23", "2022-23", None), ("2023–24", "2023-24", None),
    ("23-23", None, "the same year twice, not two consecutive years"),
    ("2023-25", None, "it spans 2 years, not one"), ("24-23", None, "the second year is before the first"),
])
def test_read_period(text, normalised, problem):
    reading = read_period(text)
    assert (reading.normalised, reading.problem) == (normalised, problem)
    assert reading.well_formed is (normalised is not None)


@pytest.mark.parametrize("text", ["March 2022", "end of March 2023", "2019", "2020-21 and 2021-22", ""])
def test_read_period_leaves_other_text_unjudged(text):
    assert read_period(text).well_formed is None


def test_period_label():
    assert period_label(dt.date(2023, 4, 1), dt.date(2024, 3, 31)) == "2023-24"
    assert period_label(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) is None


def _graph(path, profile=None):
    from thscp_kg.build.graph import build_graph
    from thscp_kg.load.loader import load_partnership_year
    from thscp_kg.materialise.facts import materialise
    from thscp_kg.pipeline import as_of_for
    from thscp_kg.rules.profile import load_profile

    loaded = load_partnership_year(path)
    return materialise(build_graph(loaded), profile or load_profile().profile, as_of_for(loaded, None))


def test_statement_dates_are_bounds():
    """The 2023-24 report has no publication date: its statements speak no earlier than 1 April 2023
    (the period it covers) and no later than 24 July 2024 (Cabinet). The cover report's date is its
    meeting. A statement with as_at speaks at that date."""
    from thscp_kg.build.iris import iri
    from thscp_kg.materialise import workdays

    g = _graph(DATA / "2023-24.yaml")
    report = iri("tower-hamlets", "document", "annual-report-2023-24")
    ccg = next(s for s in g.objects(report, SCP.namesBody)
               if "Clinical Commissioning" in str(g.value(s, SCP.statementText)))
    assert g.value(ccg, SCP.earliestDayNumber) == Literal(workdays.day_number(dt.date(2023, 4, 1)))
    assert g.value(ccg, SCP.latestDayNumber) == Literal(workdays.day_number(dt.date(2024, 7, 24)))
    assert "2023-04-01" in str(g.value(ccg, SCP.dateBasis))
    cover = iri("tower-hamlets", "document", "cabinet-report-2024-07-24")
    assert str(g.value(cover, SCP.referencePeriod)) == "2023-24"
    g18 = _graph(DATA / "2018-19.yaml")
    lscb = next(g18.subjects(RDF.type, SCP.BodyNaming))
    assert g18.value(lscb, SCP.earliestDayNumber) == Literal(workdays.day_number(dt.date(2019, 3, 31)))


def test_without_document_parameters_the_profile_checks_nothing_it_cannot(tmp_path):
    """A profile with no `documents:` section: periods and headings are still read (they need no
    parameter); guidance editions, former bodies and figure ages are not judged."""
    from thscp_kg.rules.profile import load_profile

    profile = load_profile().profile.copy_with(documents=None)
    g = _graph(DATA / "2023-24.yaml", profile)
    assert list(g.subjects(SCP.periodWellFormed, Literal(False)))
    assert not list(g.subjects(SCP.citedEditionKnown, None))
    assert not list(g.subjects(SCP.namesFormerBody, None))
    assert not list(g.subjects(SCP.oldestAcceptableDayNumber, None))


def test_profile_rejects_a_bad_pattern(tmp_path):
    import yaml

    from thscp_kg.errors import ConfigError
    from thscp_kg.rules.profile import load_profile

    data = yaml.safe_load((ROOT / "catalogue" / "profiles" / "default.yaml").read_text(encoding="utf-8"))
    data["documents"]["former_bodies"][0]["names"] = ["(unclosed"]
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="not a regular expression"):
        load_profile(path)


def test_foundations_is_not_the_what_works_centre_it_replaced():
    import re

    from thscp_kg.rules.profile import load_profile

    body = next(b for b in load_profile().profile.documents.former_bodies if b.id == "wwcsc")

    def matches(text: str) -> bool:
        return any(re.search(p, text, re.I) for p in body.names) and not any(
            re.search(p, text, re.I) for p in body.except_names)

    assert matches("What Works Centre for Children") and matches("What Works for Children's Social Care")
    assert matches("the What Works Centre for Children’s")
    assert not matches("Foundations – What Works Centre for Children & Families")
