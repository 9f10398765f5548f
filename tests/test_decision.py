"""Page one's decision and the stage of the year (thscp_kg/report/decision.py, report/stage.py)."""
from __future__ import annotations

from conftest import ROOT

from thscp_kg.findings import Status
from thscp_kg.report import decision


def _publication(assessment):
    return [f for f in assessment.findings if f.shape == "scp-sh:CA04-16G-03-b"]


def test_before_publication_the_publication_date_is_not_yet_due_not_a_violation(thscp_run):
    a = thscp_run.assessment
    assert a.stage["stage"] == "sign-off" and a.stage["derived"] == "sign-off"
    [f] = _publication(a)
    assert f.status is Status.not_yet_due and f.due == "2024-09-30"
    assert f not in a.failing("violation") and f not in a.open_findings
    assert any(c["text"].startswith("Publish the yearly report") and c["due"] == "2024-09-30"
               for c in decision.checklist(a))
    outcome = next(o for o in a.outcomes if o.requirement == "WT23-YR-06")
    assert outcome.status is Status.not_yet_due


def test_forcing_the_published_stage_makes_the_missing_date_a_finding_again():
    from thscp_kg.pipeline import check_file
    a = check_file(ROOT / "data" / "tower-hamlets" / "2023-24.yaml", stage="published",
                   requirement_ids=["CA04-16G-03"]).assessment
    assert a.stage["forced"] and a.stage["stage"] == "published"
    [f] = _publication(a)
    assert f.status is Status.not_evidenced and f in a.failing("violation")


def test_verdict_rule_and_compliance_figure(thscp_run):
    a = thscp_run.assessment
    d = decision.decide(a)
    assert d["verdict"] == "conditions"  # THSCP: duties not evidenced, none shown breached
    c = d["compliance"]
    # 58 checked, plus 22 whose checks found nothing recorded to look at (no incident, rapid review ...):
    # applicable and not evidenced, so they count against "met".
    # WT2018 rules on the undated documents apply as well (issue 12), and the evidence rules (issue 12b):
    # EVID-01 met (every quotation found in its source), EVID-02/03/04 with nothing recorded to check.
    # Issue 15 added CA04-16G-06 (the scrutineer-post interpretation: met, THSCP's scrutineer is named and
    # outside the partners) and three with nothing recorded (CA04-16E-05: no agency marked included;
    # WT23-NOT-03, WT23-RR-03: no incident records); CWSA26-01/02 are not yet in force, left out.
    # Issue 12 (reviews take the editions of their year): the undated infant safety review is judged
    # under WT2018 as well, so WT18-LCSPR-01 applies (81, was 80).
    assert (c["met"], c["applicable"], c["nothing_recorded"], c["not_yet_in_force"]) == (24, 81, 22, 2)
    assert len(d["top"]) <= decision.TOP_ITEMS
    assert all(i["owner"] and "as a whole" not in i["owner"] for i in d["top"])
    assert all(i["due"] for i in d["top"])
    assert {i["kind"] for i in d["top"]} == {"practice", "data"}
    assert "under documents" not in " ".join(i["action"] for i in d["top"])


def test_a_duty_shown_breached_makes_it_not_ready(thscp_run):
    import dataclasses
    a = thscp_run.assessment
    f = next(f for f in a.open_findings if f.severity.value == "violation" and f.fails_ci)
    broken = dataclasses.replace(a, findings=[dataclasses.replace(f, status=Status.not_met)])
    assert decision.verdict(broken) == "not-ready"
    assert decision.verdict(dataclasses.replace(a, findings=[])) == "ready"


def test_a_check_with_nothing_recorded_to_look_at_is_not_evidenced_not_met(thscp_run):
    """THSCP 2023-24 records no rapid review: WT23-RR-01 looked at nothing, so it is not evidenced
    (nothing recorded to check), counted as applicable and not met. A practice-review rule whose entities
    are there but do not fall under it stays not applicable (WT23-LCSPR-01: no rapid review decided on a
    review); the undated infant safety review is judged under both editions of its year (issue 12), so
    WT18-LCSPR-01 applies and is not evidenced, not "nothing recorded"."""
    from thscp_kg.report import html
    from thscp_kg.report.common import outcome_text
    a = thscp_run.assessment
    by_id = {o.requirement: o for o in a.outcomes}
    rr = by_id["WT23-RR-01"]
    assert rr.targets == 0 and rr.findings == 0
    assert rr.status is Status.not_evidenced and rr.vacuous
    assert outcome_text(rr) == "NOT EVIDENCED (nothing recorded to check)"
    assert by_id["WT23-LCSPR-01"].status is Status.not_applicable and not by_id["WT23-LCSPR-01"].vacuous
    assert by_id["WT18-LCSPR-01"].status is Status.not_evidenced and not by_id["WT18-LCSPR-01"].vacuous
    c = decision.compliance(a)
    assert c["nothing_recorded"] >= 1 and c["met"] < c["applicable"]
    assert "not evidenced because nothing of the kind is recorded to check" in html.render(a)


def test_a_recorded_rapid_review_is_checked_not_vacuous():
    from thscp_kg.pipeline import check_file
    passing = sorted((ROOT / "tests" / "requirements" / "WT23-RR-01").glob("pass*.yaml"))[0]
    [o] = check_file(passing, requirement_ids=["WT23-RR-01"]).assessment.outcomes
    # rr-1 was completed in time; rr-2 (aware 20 June 2025) is still within its 15 working days on the
    # as-of date, so the requirement is checked (not vacuous) and not yet due, never "met" (issue 12).
    assert o.targets > 0 and not o.vacuous and o.status is Status.not_yet_due and o.due == "2025-07-11"


def test_markdown_and_text_reports_open_with_the_decision(thscp_run):
    from thscp_kg.report import markdown, text
    a = thscp_run.assessment
    d = decision.decide(a)
    md = markdown.render(a)
    head = md[:md.index("## Requirements")]
    assert head.index("## The decision") < head.index("- **As of:**"), "the decision comes before the details"
    assert f"**Decision: {d['label'].upper()}. " in head
    c = d["compliance"]
    assert f"Applicable requirements met: {c['met']} of {c['applicable']}" in head
    first = d["top"][0]
    assert f"owner: {first['owner']}" in head and f"due: {first['due']}" in head
    assert "violation" not in head.split("- **As of:**")[0].lower(), "missing data is not called a violation"
    lines = text.render(a).splitlines()
    assert lines[1].startswith(f"Decision: {d['label'].upper()}.")
    assert any(line.startswith("1. [practice]") and "owner:" in line for line in lines[:15])
    assert any("Publish the yearly report" in line for line in lines[:25])


def test_a_breach_item_leads_with_the_duty_and_what_the_data_shows_then_the_action():
    """Marlow Vale's combined two-year report breaks WT23-YR-01: page one's item names the duty not met
    and what the data shows before the action (once, the remediation text was its heading)."""
    from thscp_kg.pipeline import check_file
    from thscp_kg.report import html, markdown, text

    a = check_file(ROOT / "tests" / "partnerships" / "marlow-vale" / "2023-24.yaml").assessment
    [item] = [i for i in decision.decide(a)["top"] if i["kind"] == "practice"]
    assert item["requirement"] == "WT23-YR-01" and item["action"].startswith("Record the period")
    line = next(x for x in text.render(a).splitlines() if x.startswith("1. [practice]"))
    assert line.startswith("1. [practice] Not met: Yearly report covers twelve months (WT2023). "
                           "The period the yearly report covers is not twelve whole months. Action: Record the period")
    assert "Not met: Yearly report covers twelve months (WT2023)." in markdown.render(a)
    page = html.render(a)
    assert "<strong>Not met: Yearly report covers twelve months (WT2023)</strong>" in page
    assert page.index("Not met: Yearly report covers twelve months") < page.index(
        "<strong>Action:</strong> Record the period the report covers")
    # Missing data keeps its action as the heading: what to record is what needs doing.
    data_item = next(i for i in decision.decide(a)["top"] if i["kind"] == "data")
    assert f"<strong>{data_item['action']}</strong>" in page
