"""Gaps the partnership admits and concerns raised with it: loaded, checked (EVID-03/04) and shown
in the gap report's own section, in every format."""
from __future__ import annotations

import json

import pytest
from conftest import REQUIREMENT_FIXTURES, THSCP_2023_24

from thscp_kg.cli import main
from thscp_kg.errors import DataError
from thscp_kg.load.loader import load_partnership_year
from thscp_kg.report.challenges import TITLE

FAIL = REQUIREMENT_FIXTURES / "EVID-04" / "fail.yaml"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("challenges")
    main(["check", str(FAIL), "--format", "md,json,html", "--output-dir", str(out), "-q"])
    return {ext: (out / f"gap-report.{ext}").read_text(encoding="utf-8") for ext in ("md", "json", "html")}


def test_each_gap_and_concern_is_in_the_json_with_its_body_response_and_findings(reports):
    rows = {c["id"]: c for c in json.loads(reports["json"])["challenges"]}
    assert list(rows) == ["neglect-audit-gap", "scrutiny-front-door", "jtai-2024"]  # by date raised
    front = rows["scrutiny-front-door"]
    assert front["raised_by"] == "Children and Education Scrutiny Sub-Committee" and front["external"]
    assert front["findings"] == ["EVID-03", "EVID-04"] and front["response"] is None
    assert rows["jtai-2024"]["awaiting_next_report"] and rows["jtai-2024"]["findings"] == ["EVID-03"]
    assert not rows["neglect-audit-gap"]["external"]


def test_markdown_and_html_have_the_section(reports):
    assert f"## {TITLE}" in reports["md"]
    assert "| 2024-01-15 | Children and Education Scrutiny Sub-Committee | Scrutiny concern |" in reports["md"]
    assert "not mentioned in the next yearly report" in reports["md"]
    assert f'<h2 id="challenges-h">{TITLE}</h2>' in reports["html"]
    assert reports["html"].count('data-testid="challenge"') == 3
    assert "no response recorded" in reports["html"]


def test_a_response_is_shown_with_owner_and_priority(tmp_path):
    out = tmp_path / "out"
    main(["check", str(REQUIREMENT_FIXTURES / "EVID-03" / "pass.yaml"), "--format", "md", "--output-dir", str(out), "-q"])
    md = (out / "gap-report.md").read_text(encoding="utf-8")
    assert ("Audit rescheduled for the first quarter (owner: Partnership Business Manager; priority: Neglect; "
            "due 2024-06-30)") in md


def test_no_section_when_nothing_is_recorded(thscp_run):
    from thscp_kg.report import render

    assert thscp_run.assessment.challenges == []
    assert TITLE not in render(thscp_run.assessment, "md")


@pytest.mark.parametrize("old,new,message", [
    ("    responds_to: []", "    responds_to: [no-such-concern]", "unknown challenge 'no-such-concern'"),
    ("    raised_on: 2024-01-15", "    raised_on: 2024-01-15\n    response: {action: Plan, owner: nobody}",
     "unknown post 'nobody'"),
])
def test_references_are_checked(tmp_path, old, new, message):
    path = tmp_path / "2023-24.yaml"
    path.write_text(FAIL.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_partnership_year(path)


def test_thscp_file_is_untouched_by_the_new_fields():
    assert load_partnership_year(THSCP_2023_24).year.challenges == []


def test_a_multi_area_partnership_shows_its_host_and_agreement(tmp_path):
    from conftest import REQUIREMENT_FIXTURES as FIX
    for case, line in (("pass.yaml", "- **Areas combined:** North, South; hosted by North Council; Section 16J "
                                     "agreement between the partners for North and South (2019-06-20)"),
                       ("fail.yaml", "- **Areas combined:** North, South; host authority not recorded; "
                                     "agreement not recorded")):
        out = tmp_path / case
        main(["check", str(FIX / "CA04-16J-02" / case), "--format", "md,json", "--output-dir", str(out), "-q"])
        assert line in (out / "gap-report.md").read_text(encoding="utf-8")
        data = json.loads((out / "gap-report.json").read_text(encoding="utf-8"))
        assert data["combined_areas"]["areas"] == ["North", "South"]


def test_an_unknown_host_authority_is_bad_input(tmp_path):
    from conftest import REQUIREMENT_FIXTURES as FIX
    path = tmp_path / "2024-25.yaml"
    path.write_text((FIX / "CA04-16J-02" / "pass.yaml").read_text(encoding="utf-8")
                    .replace("host_authority: north-council", "host_authority: east-council"), encoding="utf-8")
    with pytest.raises(DataError, match="unknown organisation 'east-council'"):
        load_partnership_year(path)
