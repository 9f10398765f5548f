"""Invented partnership-years of other shapes than Tower Hamlets (issue 12), each with its
findings pinned: requirement, entity, status, edition and severity of every violation and
warning. ``not_met_violations`` lists the violations a fixture is built to show; any other
"not met" violation would be a false one. Plus the as-of property: for a year that ended
before 15 December 2023, checking it on 14 December 2023 or any later day applies the same
editions (only time-relative outcomes may change)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import yaml_load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thscp_kg.pipeline import check_file

HERE = Path(__file__).parent / "partnerships"
CASES = sorted(p.relative_to(HERE).as_posix() for p in HERE.glob("*/*.yaml") if p.name != "expected.yaml")
WT2023_FROM = dt.date(2023, 12, 15)


def _pinned(findings) -> list[dict]:
    return sorted(({"requirement": f.requirement, "focus": f.focus, "status": f.status.value,
                    "edition": f.edition, "severity": f.severity.value}
                   for f in findings if f.severity.value in ("violation", "warning")),
                  key=lambda d: tuple(d.values()))


def _expected(case: str) -> dict:
    return yaml_load((HERE / case).parent.joinpath("expected.yaml").read_text())


def test_at_least_six_partnerships() -> None:
    assert len({c.split("/")[0] for c in CASES}) >= 6


@pytest.mark.parametrize("case", CASES)
def test_pinned_findings(case: str) -> None:
    expected = _expected(case)
    run = check_file(HERE / case, use_waivers=False)
    found = _pinned(run.assessment.findings)
    want = sorted(expected["findings"], key=lambda d: tuple(d[k] for k in ("requirement", "focus", "status",
                                                                            "edition", "severity")))
    assert found == want
    intended = {(v["requirement"], v["focus"]) for v in expected.get("not_met_violations", [])}
    false = [(f.requirement, f.focus) for f in run.assessment.findings
             if f.severity.value == "violation" and f.status.value == "not-met"
             and (f.requirement, f.focus) not in intended]
    assert not false, f"violations the fixture does not intend: {false}"
    own_names = [{"focus": f.focus, "value": f.value} for f in run.assessment.findings
                 if f.shape == "scp-sh:DOC-06-b"]
    own_names = sorted(own_names, key=lambda d: (d["focus"], d["value"]))
    assert own_names == expected.get("own_names", []), "the partnership's and its groups' own names (DOC-06-b)"
    for key, status in expected.get("outcomes", {}).items():
        outcome = next(o for o in run.assessment.outcomes if o.requirement == key)
        assert outcome.status.value == status, key


def _editions_applied(run) -> tuple[frozenset, frozenset]:
    applicable = frozenset(o.requirement for o in run.assessment.outcomes if o.status.value != "not-applicable")
    return applicable, frozenset(f.edition for f in run.assessment.findings)


ENDED_BEFORE_WT2023 = [c for c in CASES if int(c.split("/")[1][:4]) + 1 <= 2023]


@pytest.mark.parametrize("case", ENDED_BEFORE_WT2023)
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(later=st.dates(min_value=dt.date(2023, 12, 15), max_value=dt.date(2027, 12, 31)))
def test_as_of_does_not_change_editions(case: str, later: dt.date) -> None:
    base = check_file(HERE / case, as_of=dt.date(2023, 12, 14), use_waivers=False)
    moved = check_file(HERE / case, as_of=later, use_waivers=False)
    assert _editions_applied(base)[0] == _editions_applied(moved)[0]
    assert "WT2023" not in "".join(_editions_applied(moved)[1])


def test_independent_scrutiny_met_names_the_independence_warnings_beside_it() -> None:
    """Harrowdale's chair is also its scrutineer: CA04-16G-01 (an arrangement for scrutiny exists) is
    met, but the report must not let it read as a clean "met": the met outcome names the
    independence warnings beside it, in the JSON, the HTML card, the Markdown and the terminal text."""
    import json

    from thscp_kg.report import html as html_report
    from thscp_kg.report import json_report, markdown, text

    run = check_file(HERE / "harrowdale/2021-22.yaml", use_waivers=False)
    a = run.assessment
    outcome = next(o for o in a.outcomes if o.requirement == "CA04-16G-01")
    assert outcome.status.value == "met"
    assert [s["requirement"] for s in outcome.see_also] == ["GOV-07"]
    entry = next(r for r in json.loads(json_report.render(a))["requirements"] if r["requirement"] == "CA04-16G-01")
    assert entry["status"] == "met"
    assert [s["requirement"] for s in entry["see_also"]] == ["GOV-07"]
    assert entry["see_also"][0]["findings"] == 2 and "independence" in entry["see_also"][0]["why"]
    page = html_report.render(a)
    card = page[page.index('data-requirement="CA04-16G-01"'):]
    card = card[:card.index("</div>")]
    assert "but see" in card and "GOV-07" in card and "independence" in card
    assert "MET — but see GOV-07: independence risks" in markdown.render(a)
    assert any(line.startswith("MET") and "CA04-16G-01" in line and "but see GOV-07" in line
               for line in text.render(a).splitlines())
    # A met CA04-16G-01 with no independence warning beside it carries no see-also.
    clean = check_file(HERE / "stourfield/2022-23.yaml", use_waivers=False).assessment
    plain = next(o for o in clean.outcomes if o.requirement == "CA04-16G-01")
    assert plain.status.value == "met" and not plain.see_also


def test_approximate_dates_reason_on_the_earliest_and_latest_possible_day() -> None:
    """Ashcombe's papers give dates only approximately (issue 12): month-only, year-only, 'not later
    than' and 'since at least'. A deadline is met only on the latest possible day, missed only on the
    earliest, otherwise not evidenced; every such finding says 'approximately'."""
    from rdflib.namespace import DCTERMS

    from thscp_kg.namespaces import SCP

    run = check_file(HERE / "ashcombe/2022-23.yaml", use_waivers=False)
    findings = run.assessment.findings
    interval = [f for f in findings if f.requirement == "CA04-16G-03" and f.shape != "scp-sh:CA04-16G-03-f"]
    assert interval == []  # not later than 31 Aug 2023 is within 12 months of any day in September 2022
    sending = {f.shape.removeprefix("scp-sh:"): f for f in findings if f.requirement == "WT18-YR-03"}
    assert set(sending) == {"WT18-YR-03-b", "WT18-YR-03-c"}
    late, unknown = sending["WT18-YR-03-b"], sending["WT18-YR-03-c"]
    assert late.status.value == "not-met" and late.actual == "2023-10-20" and late.due == "2023-09-07"
    assert "Approximately: published not later than 31 August 2023" in late.message
    assert "late on every possible day" in late.message
    # 43 days from the latest possible due day to the sending: the least it can be, and said so.
    assert late.days_late == 43 and late.days_late_at_least is True
    from thscp_kg.report import render
    from thscp_kg.report.common import timing
    assert timing(late) == "due 2023-09-07, actual 2023-10-20, at least 43 days late"
    assert "done 2023-10-20, at least 43 days late." in render(run.assessment, "sarif")
    assert "at least 43 days late" in render(run.assessment, "html")
    assert unknown.status.value == "not-evidenced" and "approximately" in unknown.message
    assert unknown.actual == "2023-09-05" and unknown.due is None
    missing = sorted(f.value for f in findings if f.requirement == "WT18-SP-01")
    assert missing == ["Ashcombe County Council", "NHS Ashcombe and Vale ICB"]  # the police lead is in post
    # The graph keeps the earliest and the latest possible day, never an invented exact date.
    graph = run.graph
    report = next(s for s, o in graph.subject_objects(SCP.localId) if str(o) == "document/yearly-report")
    assert graph.value(report, DCTERMS.issued) is None
    approx = graph.value(report, SCP.hasApproximateDate)
    assert str(graph.value(approx, SCP.latestPossibleDate)) == "2023-08-31"
    assert graph.value(approx, SCP.earliestPossibleDate) is None
    assert str(graph.value(approx, SCP.datePrecision)) == "not-later-than"


def test_cadence_inferred_from_the_meetings_that_received_the_previous_report() -> None:
    """Brackenfield records no publication date for its 2021-22 report, only the meetings that
    received it (12 July and 20 September 2022). The 12-month rule is judged on the earliest of them,
    and the finding says it is an inference (issue 12)."""
    run = check_file(HERE / "brackenfield/2022-23.yaml", use_waivers=False)
    late = [f for f in run.assessment.findings if f.shape == "scp-sh:CA04-16G-03-d"]
    assert len(late) == 1
    f = late[0]
    assert f.status.value == "not-met" and f.due == "2023-07-12" and f.actual == "2023-09-28"
    assert "inferred from the meeting of 12 July 2022 (Brackenfield Children's Scrutiny Panel) that received it" \
        in f.message
    assert not [f for f in run.assessment.findings if f.shape == "scp-sh:CA04-16G-03-c"]  # no longer "not recorded"


def test_joint_publication_statement_without_a_date() -> None:
    """Northolme's report and arrangements say only that they were "published by the four statutory
    partners" (issue 12): who published them is met; the date-based rules are not evidenced, never
    violated; a statement that leaves a partner out is named."""
    run = check_file(HERE / "northolme/2023-24.yaml", use_waivers=False)
    findings = run.assessment.findings
    by_shape = {}
    for f in findings:
        by_shape.setdefault((f.shape.removeprefix("scp-sh:"), f.focus), []).append(f)
    assert ("CA04-16G-03-i", "document/yearly-report") not in by_shape        # all the statutory partners
    assert ("CA04-16G-02-c", "document/arrangements") not in by_shape         # all four named
    [left_out] = by_shape[("CA04-16G-02-c", "document/arrangements-2022")]
    assert left_out.value == "NHS Holme ICB" and left_out.status.value == "not-evidenced"
    [interval] = by_shape[("CA04-16G-03-h", "document/yearly-report")]
    assert interval.status.value == "not-evidenced"
    assert "stated as published by all the statutory partners" in interval.message
    date_rules = [f for f in findings if f.requirement in ("CA04-16G-02", "CA04-16G-03", "WT18-YR-03", "WT23-YR-05",
                                                           "WT23-YR-06") and f.status.value == "not-met"]
    assert date_rules == []
    assert not [f for f in findings if f.shape in ("scp-sh:CA04-16G-03-b", "scp-sh:CA04-16G-03-e")]


def test_new_year_carries_approximate_dates(tmp_path) -> None:
    """new-year writes approximate dates back as the officer wrote them, and the new file loads."""
    import shutil

    from thscp_kg.cli import main
    from thscp_kg.load.loader import load_partnership_year
    from thscp_kg.model import ApproximateDate
    from thscp_kg.plain import plain

    folder = tmp_path / "ashcombe"
    folder.mkdir()
    shutil.copy(HERE / "ashcombe/2022-23.yaml", folder / "2022-23.yaml")
    assert main(["new-year", str(folder / "2022-23.yaml"), "2023-24"]) == 0
    year = load_partnership_year(folder / "2023-24.yaml").year
    assert year.previous_report.published == plain(ApproximateDate(latest=dt.date(2023, 8, 31),
                                                                   precision="not-later-than",
                                                                   written="not later than 2023-08-31"))
    police = next(p for p in year.posts if p.id == "police-lsp")
    assert police.holders[0].from_.text == "since at least April 2021"
