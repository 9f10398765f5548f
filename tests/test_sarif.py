"""gap-report.sarif: valid SARIF 2.1.0 (the OASIS schema, vendored in tests/schemas/), with rules that
carry the citations and results that point at the data file's lines."""
from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from thscp_kg.report import sarif

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(doc: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(doc)


@pytest.fixture(scope="module")
def log(thscp_run) -> dict:
    return json.loads(sarif.render(thscp_run.assessment))


def test_thscp_sarif_is_valid_against_the_oasis_schema(log):
    assert SCHEMA["id"].endswith("/sarif-schema-2.1.0.json")
    validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_the_schema_check_is_not_vacuous(log):
    bad = copy.deepcopy(log)
    bad["runs"][0]["results"][0]["level"] = "notice"      # not a SARIF level (see anchors §1.6)
    with pytest.raises(jsonschema.ValidationError):
        validate(bad)
    bad = copy.deepcopy(log)
    bad["runs"][0]["results"][0]["suppressions"] = [{"kind": "waived"}]
    with pytest.raises(jsonschema.ValidationError):
        validate(bad)


def test_rules_carry_the_catalogue(log, thscp_run, catalogue):
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [o.requirement for o in thscp_run.assessment.outcomes]
    rule = next(r for r in rules if r["id"] == "CA04-16G-03")
    req = catalogue.get("CA04-16G-03")
    assert rule["name"] == req.slug
    assert rule["shortDescription"]["text"] == req.title
    assert rule["fullDescription"]["text"] == " ".join(req.statement.split())
    assert rule["helpUri"] == "http://www.legislation.gov.uk/id/ukpga/2004/31/section/16G"
    assert "Children Act 2004 s16G" in rule["help"]["text"] and "What to do:" in rule["help"]["text"]
    assert rule["properties"]["modality"] == "MUST" and rule["properties"]["verification"] == req.verification
    assert "MUST" in rule["properties"]["tags"] and "Yearly report" in rule["properties"]["tags"]
    assert rule["defaultConfiguration"]["level"] == "error"
    unverified = next(r for r in rules if r["id"] == "WT23-YR-06")
    assert unverified["properties"]["unverified"] is True and "unverified" in unverified["properties"]["tags"]


def test_results_point_at_the_data_file(log, thscp_run):
    findings = thscp_run.assessment.findings
    results = log["runs"][0]["results"]
    assert len(results) == len(findings)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    levels = {"violation": "error", "warning": "warning", "info": "note"}
    for result, f in zip(results, findings):
        assert result["ruleId"] == f.requirement and rules[result["ruleIndex"]]["id"] == f.requirement
        assert result["level"] == levels[f.severity.value]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "data/tower-hamlets/2023-24.yaml"
        assert physical["region"]["startLine"] == int(f.location.rsplit(":", 1)[1])
        assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == f.focus
        assert f.focus_label in result["message"]["text"]
    prints = [r["partialFingerprints"]["thscpFinding/v1"] for r in results]
    assert len(set(prints)) == len(prints), "fingerprints tell every finding apart"
    assert "suppressions" not in json.dumps(results)


def test_fingerprints_are_stable_and_depend_only_on_the_finding_key(thscp_run):
    from thscp_kg.report.common import fingerprint
    f = thscp_run.assessment.findings[0]
    moved = dataclasses.replace(f, location="elsewhere.yaml:999", message="reworded", focus_label="renamed")
    assert fingerprint(moved) == fingerprint(f)
    assert fingerprint(dataclasses.replace(f, value="another value")) != fingerprint(f)


def test_waived_finding_is_suppressed_and_notes_become_notifications(thscp_run):
    a = thscp_run.assessment
    waiver = {"id": "w1", "justification": "Accepted <for now> & reviewed", "author": "x", "author_label": "X",
              "approver": "y", "approver_label": "Y", "date": "2024-07-01", "expiry": "2025-03-31",
              "location": "data/tower-hamlets/waivers.yaml:3"}
    note = {"id": "w2", "requirement": "WT23-LSP-03", "focus": "document/x", "value": None, "kind": "expired",
            "message": "expired on 2024-07-01", "location": "data/tower-hamlets/waivers.yaml:12", "matches": 1,
            "date": "2023-08-01", "expiry": "2024-07-01"}
    findings = [dataclasses.replace(a.findings[-1], waiver=waiver)] + a.findings[:-1]
    doc = json.loads(sarif.render(dataclasses.replace(a, findings=findings, waiver_notes=[note],
                                                      waivers_file="data/tower-hamlets/waivers.yaml")))
    validate(doc)
    suppressed = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 1
    s = suppressed[0]["suppressions"][0]
    assert s["kind"] == "external" and s["status"] == "accepted"
    assert s["justification"].startswith("Accepted <for now> & reviewed (waiver w1")
    assert s["location"]["physicalLocation"]["region"]["startLine"] == 3
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["level"] == "warning" and "w2" in notes[0]["message"]["text"]


def test_baseline_state_with_a_previous_year(thscp_run):
    a = thscp_run.assessment
    first = a.findings[0]
    previous = {"findings": {"persisting": [{"requirement": first.requirement, "focus": first.focus,
                                             "value": first.value, "shape": first.shape}],
                             "resolved": [], "new": []}}
    doc = json.loads(sarif.render(dataclasses.replace(a, previous=previous)))
    validate(doc)
    states = [r["baselineState"] for r in doc["runs"][0]["results"]]
    assert states[0] == "unchanged" and set(states[1:]) <= {"new", "unchanged"} and "new" in states
