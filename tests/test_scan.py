"""thscp-kg scan: the DOC checks run straight on the documents' text.

The contract with `check`: on the THSCP sources, scan finds every DOC finding that check finds on
the hand-encoded 2023-24 data (each check finding's value is in the quote of a scan finding of
the same requirement), and every scan quote is verbatim text of the document it names.
"""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from thscp_kg.cli import main
from thscp_kg.documents.normalise import quote_in

SOURCES = ROOT / "data" / "tower-hamlets" / "sources"
TEXTS = sorted(SOURCES.glob("0*.txt"))


@pytest.fixture(scope="module")
def scan():
    from thscp_kg.rules.catalogue import load_catalogue
    from thscp_kg.documents.extract import read_document
    from thscp_kg.documents.scan import scan_documents
    from thscp_kg.rules.profile import load_profile

    docs = [read_document(p, f"data/tower-hamlets/sources/{p.name}") for p in TEXTS]
    return scan_documents(docs, load_profile().profile, load_catalogue())


def _source_text(f, year) -> str:
    """What a check finding is about, as the source writes it: the period for DOC-02, the heading for
    DOC-03, else the verbatim quote the data file records for the statement (values such as the
    figures' are shortened by hand)."""
    if f.requirement == "DOC-02":
        return re.match(r"'([^']+)'", f.value).group(1)
    if f.requirement == "DOC-03":
        return f.value
    quotes = [e.quote for d in year.documents for st in d.statements if st.value == f.value for e in st.evidence]
    assert quotes, f.value
    return quotes[0]


def test_scan_finds_every_doc_finding_check_finds(thscp_run, scan):
    expected = [f for f in thscp_run.assessment.findings if f.requirement.startswith("DOC-")]
    assert len(expected) == 14
    for f in expected:
        wanted = _source_text(f, thscp_run.loaded.year)
        hits = [s for s in scan.findings if s.requirement == f.requirement
                and (quote_in(wanted, s.evidence[0]["quote"]) or quote_in(s.evidence[0]["quote"], wanted))]
        assert hits, (f.requirement, f.value)


def test_scan_quotes_are_verbatim_and_located(scan):
    for f in scan.findings:
        (evidence,) = f.evidence
        text = (SOURCES / evidence["source"]).read_text(encoding="utf-8")
        assert quote_in(evidence["quote"], text), evidence["quote"]
        path, line = f.location.rsplit(":", 1)
        assert path == f"data/tower-hamlets/sources/{evidence['source']}"
        # The quote's first words are on the line the location names (or the heading is).
        line_text = text.splitlines()[int(line) - 1]
        assert quote_in(evidence["quote"].split()[0], line_text), (f.location, evidence["quote"])


def test_scan_judges_periods_against_the_title(scan):
    """The 2023-24 cover report's own '2023-2024' and '2023-24' pass; the 2020-21 cover report's
    periods all match its own title; nothing from the list of meetings (003) is judged on DOC-01."""
    doc01 = sorted((f.location.rsplit(":", 1)[0].rsplit("/", 1)[1], f.value) for f in scan.findings
                   if f.requirement == "DOC-01")
    assert doc01 == [("000_156c3ce8fcfb6006.txt", "2020-21"), ("000_156c3ce8fcfb6006.txt", "22-23")]


def test_scan_does_not_report_age_ranges_or_future_years(scan):
    values = " ".join(f.evidence[0]["quote"] for f in scan.findings)
    assert "15-17 age group" not in values and "24-25" not in values
    assert all(f.severity.value == "info" and f.status.value == "not-met" for f in scan.findings)


def test_scan_command_formats_and_determinism(tmp_path, capsys):
    files = [str(p) for p in TEXTS]
    assert main(["scan", *files, "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    assert main(["scan", *files, "--format", "json", "-o", str(tmp_path / "b.json")]) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    report = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert {o["requirement"]: o["status"] for o in report["requirements"]} == {
        f"DOC-0{i}": "not-met" for i in range(1, 7)}
    capsys.readouterr()
    assert main(["scan", files[2], "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "### DOC-03" in md and "Strategic plan for the year ahead" in md and "(line 548)" in md
    assert main(["scan", files[2]]) == 0
    text = capsys.readouterr().out
    assert "DOC-05" in text and "Findings: 0 on statutory duties, 0 on statutory guidance, 10 good practice" in text
    assert main(["scan", files[2], "--fail-on", "info"]) == 1


def test_scan_of_a_clean_document_finds_nothing(tmp_path, capsys):
    clean = tmp_path / "clean.md"
    clean.write_text("# Example Safeguarding Children Partnership Annual Report 2024-25\n\n## Funding\n\n"
                     "In 2024-25 the partners gave £100,000.\n\n## Plan for 2025-26\n\nWe will publish a plan.\n",
                     encoding="utf-8")
    assert main(["scan", str(clean), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []
    assert {o["requirement"]: o["status"] for o in report["requirements"]}["DOC-03"] == "met"


@pytest.mark.parametrize("fmt", ["html", "sarif", "junit"])
def test_scan_writes_the_other_report_formats(fmt, tmp_path):
    out = tmp_path / f"scan.{fmt}"
    assert main(["scan", *map(str, TEXTS), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "DOC-03" in text and "Strategic plan for the year ahead" in text
    if fmt == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        assert len(results) == 14
        assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results} >= {32, 97, 480, 548}
