"""The report files: all six by default, byte-identical across runs; JUnit well-formed with one case per
requirement and entity; HTML escapes every data value and shows timing, manual items and sign-off."""
from __future__ import annotations

import dataclasses
import tomllib
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from conftest import REQUIREMENT_FIXTURES, ROOT, THSCP_2023_24

from thscp_kg.cli import main
from thscp_kg.findings import RequirementOutcome, Status
from thscp_kg.report import html as html_report
from thscp_kg.report import junit, markdown

DEFAULT_FILES = ["gap-report.html", "gap-report.json", "gap-report.junit.xml", "gap-report.md",
                 "gap-report.sarif", "governance-measures.json", "governance-measures.md", "governance.svg",
                 "validation-report.ttl"]  # the governance diagram and measures go beside the HTML and Markdown


def test_default_formats_are_all_six_and_byte_identical(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["check", str(THSCP_2023_24), "--output-dir", str(a)]) == 1
    assert main(["check", str(THSCP_2023_24), "--output-dir", str(b), "-q"]) == 1
    out = capsys.readouterr().out
    assert sorted(p.name for p in a.iterdir()) == DEFAULT_FILES
    for name in DEFAULT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
        assert f"Wrote {a / name}" in out
    assert str(tmp_path) not in (a / "gap-report.sarif").read_text(), "no absolute paths in the outputs"


def test_each_format_is_selectable(tmp_path, capsys):
    for fmt, name in [("sarif", "gap-report.sarif"), ("junit", "gap-report.junit.xml"), ("html", "gap-report.html"),
                      ("ttl", "validation-report.ttl")]:
        out = tmp_path / fmt
        main(["check", str(THSCP_2023_24), "--output-dir", str(out), "--format", fmt, "-q"])
        extra = ["governance-measures.json", "governance-measures.md", "governance.svg"] if fmt == "html" else []
        assert sorted(p.name for p in out.iterdir()) == sorted([name, *extra])
    assert main(["check", "--format", "pdf"]) == 2
    assert "unknown format pdf" in capsys.readouterr().err


# -- JUnit ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def junit_root(thscp_run):
    text = junit.render(thscp_run.assessment)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_junit_is_well_formed_and_its_counts_add_up(junit_root, thscp_run):
    a = thscp_run.assessment
    suites = junit_root.findall("testsuite")
    assert [s.get("name").split(" ", 1)[0] for s in suites] == [o.requirement for o in a.outcomes]
    cases = junit_root.findall("testsuite/testcase")
    assert int(junit_root.get("tests")) == len(cases)
    assert int(junit_root.get("failures")) == len(junit_root.findall("testsuite/testcase/failure"))
    assert int(junit_root.get("skipped")) == len(junit_root.findall("testsuite/testcase/skipped"))
    for suite in suites:
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))


def test_junit_has_one_case_per_requirement_and_entity(junit_root, thscp_run):
    a = thscp_run.assessment
    failing = {(c.get("classname").removeprefix("thscp-kg."), c.get("name"))
               for c in junit_root.iter("testcase") if c.find("failure") is not None}
    assert failing == {(f.requirement, f.focus) for f in a.open_findings}
    case = next(c for c in junit_root.iter("testcase")
                if c.get("classname") == "thscp-kg.CA04-16G-03" and c.find("failure") is not None)
    assert case.get("file") == "data/tower-hamlets/2023-24.yaml" and int(case.get("line")) > 0
    assert case.find("failure").get("type") == "violation"
    assert "What to do:" in case.find("failure").text
    met = next(o for o in a.outcomes if o.status is Status.met and o.entities)
    passing = [c for c in junit_root.iter("testcase") if c.get("classname") == f"thscp-kg.{met.requirement}"]
    assert passing and all(len(c) == 0 for c in passing), "a met requirement's entities pass"
    na = next(o for o in a.outcomes if o.status is Status.not_applicable)
    skipped = [c for c in junit_root.iter("testcase") if c.get("classname") == f"thscp-kg.{na.requirement}"]
    assert [c.get("name") for c in skipped] == ["not applicable"] and skipped[0].find("skipped") is not None


def test_junit_lists_manual_requirements_as_skipped(thscp_run):
    manual = RequirementOutcome(requirement="WT23-XX-01", title="A judgement", area="YR", modality="SHOULD",
                                verification="S", assessment="manual", status=Status.to_be_assessed,
                                question="Is the child's voice heard in the report?")
    a = dataclasses.replace(thscp_run.assessment, outcomes=[manual])
    root = ET.fromstring(junit.render(a))
    case = root.find("testsuite/testcase")
    assert case.get("name") == "to be assessed"
    assert "Is the child's voice heard" in case.find("skipped").get("message")


# -- HTML -------------------------------------------------------------------------------------------------
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_every_data_value_is_escaped(thscp_run):
    a = thscp_run.assessment
    f = dataclasses.replace(
        a.findings[0], focus_label=HOSTILE, message=HOSTILE, value=HOSTILE, remediation=HOSTILE,
        evidence=({"source": "s", "title": HOSTILE, "section": HOSTILE, "quote": HOSTILE},),
        waiver={"id": "w", "justification": HOSTILE, "author": "a", "author_label": HOSTILE, "approver": "b",
                "approver_label": HOSTILE, "date": "2024-01-01", "expiry": "2024-12-31", "location": HOSTILE})
    hostile = dataclasses.replace(
        a, partnership_name=HOSTILE, data_file=HOSTILE, findings=[f] + a.findings[1:],
        signatories=[{"capacity": "Lead safeguarding partner", "organisation": HOSTILE, "post": HOSTILE,
                      "post_id": "p", "holders": [{"person": "x", "name": HOSTILE, "interim": False}], "note": None}],
        waiver_notes=[{"id": "n", "requirement": "R", "focus": HOSTILE, "value": HOSTILE, "kind": "unmatched",
                       "message": HOSTILE, "location": HOSTILE, "matches": 0, "date": "", "expiry": ""}])
    page = html_report.render(hostile)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page
    checker = _Checker()
    checker.feed(page)
    assert "script" not in checker.tags and "img" not in checker.tags


def test_html_shows_timing_for_a_late_report(tmp_path, capsys):
    out = tmp_path / "out"
    main(["check", str(REQUIREMENT_FIXTURES / "CA04-16G-03" / "fail-late.yaml"), "--requirement", "CA04-16G-03",
          "--output-dir", str(out), "--format", "html,json", "-q"])
    import json
    data = json.loads((out / "gap-report.json").read_text())
    late = [f for f in data["findings"] if f.get("days_late")]
    assert late, "the fixture has a late report"
    page = (out / "gap-report.html").read_text()
    f = late[0]
    assert f"Due {html_report.long_date(f['due'])}" in page
    assert f"{f['days_late']} days late" in page


def test_html_lists_manual_requirements_and_sign_off_rows(thscp_run):
    a = thscp_run.assessment
    manual = RequirementOutcome(requirement="WT23-XX-01", title="A judgement", area="YR", modality="SHOULD",
                                verification="M", assessment="manual", status=Status.to_be_assessed,
                                question="Is the child's voice heard in the report?",
                                sources=({"instrument": "Working Together 2023", "provision": "ch.2 (para UNVERIFIED)",
                                          "iri": "https://w3id.org/thscp-kg/wt/2023/ch2", "verification": "M",
                                          "link": "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"},))
    page = html_report.render(dataclasses.replace(a, outcomes=a.outcomes + [manual]))
    section = page.split('id="to-be-assessed"')[1].split("</section>")[0]
    assert "TO BE ASSESSED" in section and "Is the child&#39;s voice heard in the report?" in section
    # the placeholder identifier stays in RDF/JSON; the reader gets the edition's gov.uk page
    assert 'href="https://w3id.org' not in section and "paragraph not verified" in section
    assert 'href="https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"' in section
    signoff = page.split('id="sign-off"')[1]
    assert signoff.count('class="signrow"') == len(a.signatories)
    none = html_report.render(dataclasses.replace(a, signatories=[]))
    assert "No lead safeguarding partners are recorded in the data" in none
    named = [{"capacity": "Lead safeguarding partner", "organisation": "Borough Council", "post": "Chief Executive",
              "post_id": "ceo", "holders": [{"person": "p", "name": "Pat Example", "interim": True}], "note": None}]
    page = html_report.render(dataclasses.replace(a, signatories=named))
    assert "Pat Example (interim)" in page and "No lead safeguarding partner is recorded by name" not in page


def test_thscp_sign_off_names_what_the_data_records(thscp_run):
    rows = thscp_run.assessment.signatories
    leads = [r for r in rows if r["capacity"] == "Lead safeguarding partner"]
    assert len(leads) >= 3                       # one row per statutory partner at least
    assert not any(r["holders"] for r in leads)   # the sources name no lead safeguarding partner
    assert all(r["note"] for r in leads)
    scrutineer = [r for r in rows if r["capacity"] == "Independent scrutineer"]
    assert [h["name"] for r in scrutineer for h in r["holders"]] == ["Laurelle Brown"]


def test_markdown_and_text_keep_their_shape_and_add_evidence(thscp_run):
    md = markdown.render(thscp_run.assessment)
    assert md.startswith("# Gap report: Tower Hamlets Safeguarding Children Partnership, 2023-24\n")
    assert "- **Evidence:** Tower Hamlets Safeguarding Children Partnership Annual Report 2023-2024" in md
    assert "## Waived" not in md   # no waivers in the bundled data


def test_templates_ship_inside_the_package():
    templates = ROOT / "thscp_kg" / "report" / "templates"
    assert (templates / "gap-report.html.j2").is_file() and (templates / "gap-report.css").is_file()
    assert html_report.TEMPLATES == templates.resolve()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["thscp_kg"]
    assert any(d.lower().startswith("jinja2") for d in project["project"]["dependencies"])
