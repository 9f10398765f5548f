"""The bundled THSCP 2023-24 data: every fact evidenced, and the checker finds what the sources show."""
from __future__ import annotations

from pathlib import Path

from rdflib.namespace import PROV, RDF

from conftest import ROOT
from thscp_kg.namespaces import SCP

SOURCES = ROOT.parent / "shared" / "sources"


def _pairs(run):
    return sorted((f.requirement, f.shape.removeprefix("scp-sh:"), f.focus, f.value or "")
                  for f in run.assessment.findings)


def test_thscp_findings(thscp_run):
    """What the public documents support: no publication or sending dates, planned sign-offs only."""
    report = "document/annual-report-2023-24"
    assert _pairs(thscp_run) == sorted([
        ("CA04-16G-03", "CA04-16G-03-b", report, ""),             # publication date not in the sources
        ("CA04-16G-03", "CA04-16G-03-c", report, ""),             # nor the 2022-23 report's
        ("WT23-LSP-03", "WT23-LSP-03-b", "document/arrangements-2023-24", ""),
        ("WT23-LSP-03", "WT23-LSP-03-b", "document/thresholds-document", ""),
        ("WT23-YR-04", "WT23-YR-04-b", report, ""),               # sign-off stated as planned only
        ("WT23-YR-06", "WT23-YR-06-a", report, "Child Safeguarding Practice Review Panel"),
        ("WT23-YR-06", "WT23-YR-06-a", report, "Department for Education"),
    ])


def test_thscp_outcomes(thscp_run):
    status = {o.requirement: o.status.value for o in thscp_run.assessment.outcomes}
    assert status["CA04-16E-03"] == "met"          # LBTH, NEL ICB, Met Police
    assert status["CA04-16G-01"] == "met"          # independent scrutineer since October 2022
    assert status["WT23-SCR-01"] == "met"          # "my second contribution to a THSCP Annual Report"
    assert status["CA04-16G-03"] == "not-evidenced"
    assert status["WT18-YR-03"] == "not-applicable"


def test_every_finding_names_its_edition_and_location(thscp_run):
    for f in thscp_run.assessment.findings:
        assert f.edition in ("CA04", "WT2023"), f
        assert f.location.startswith("data/tower-hamlets/2023-24.yaml:"), f.location


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def test_every_entity_carries_evidence_and_quotes_are_verbatim(thscp_run):
    graph = thscp_run.graph
    cited = set(graph.objects(None, PROV.qualifiedDerivation))
    assert len(cited) > 100
    quotes = 0
    for cite in cited:
        source = graph.value(cite, PROV.entity)
        assert graph.value(source, RDF.type) == SCP.SourceDocument
        assert str(graph.value(cite, SCP.section)).strip()
        quote = graph.value(cite, SCP.quote)
        if quote is not None and SOURCES.is_dir():
            text = _normalise((SOURCES / str(graph.value(source, SCP.fileName))).read_text(encoding="utf-8"))
            assert _normalise(str(quote)) in text, quote
            quotes += 1
    assert not SOURCES.is_dir() or quotes > 50
    for kind in (SCP.Person, SCP.Partnership, SCP.PracticeReview, SCP.FundingContribution, SCP.Document):
        for node in graph.subjects(RDF.type, kind):
            assert graph.value(node, PROV.qualifiedDerivation) is not None, node


def test_no_child_identifying_data():
    text = (ROOT / "data" / "tower-hamlets" / "2023-24.yaml").read_text()
    for name in ("Imaana", "Imtiyaz", "Mia-Ly", "date_of_birth"):
        assert name not in text
