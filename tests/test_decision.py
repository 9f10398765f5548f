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
    # 57 applicable: the undated 2023-24 documents are judged under WT2018 as well as WT2023 (issue 12),
    # and EVID-01 (every quotation found in its source file) is met.
    assert (c["met"], c["applicable"]) == (23, 57)
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
