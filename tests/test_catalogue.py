"""Meta-tests that keep the catalogue honest (checkov / sqlfluff / pylint style)."""
from __future__ import annotations

import re
from collections import Counter

from rdflib.namespace import DCTERMS

from thscp_kg.namespaces import SCP_SH
from thscp_kg.rules.catalogue import ID_PATTERNS, SEVERITY_FOR_MODALITY


def test_ids_unique_and_well_formed(catalogue):
    ids = [r.id for r in catalogue.requirements]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for req_id in ids:
        assert re.match(ID_PATTERNS[req_id.split("-")[0]], req_id), req_id


def test_severity_follows_modality_or_says_why(catalogue):
    for r in catalogue.requirements:
        assert SEVERITY_FOR_MODALITY[r.modality] == r.severity or r.severity_override_reason, r.id


def test_unverified_requirements_never_fail_ci(catalogue):
    """Status M or C: shown with their status, never failing CI by default."""
    from thscp_kg.findings import Assessment, Finding, Severity, Status

    unverified = [r for r in catalogue.active() if r.unverified]
    assert unverified, "the catalogue has M/C entries (e.g. WT23-YR-06)"
    for r in unverified:
        f = Finding(requirement=r.id, title=r.title, severity=Severity.violation, status=Status.not_met,
                    focus="x/y", focus_label="y", location="f:1", message="m", citations=(),
                    verification=r.verification, edition="WT2023", edition_basis="", shape="s",
                    constraint="c", fails_ci=not r.unverified)
        a = Assessment("p", "P", "2023-24", "2024-01-01", "f", "default", findings=[f])
        assert a.failing("info") == []


def test_every_shacl_requirement_names_existing_shapes(catalogue, shapes):
    for r in catalogue.active():
        for shape in r.shapes:
            node = SCP_SH[shape]
            assert (node, None, None) in shapes, f"{r.id}: shape {shape} is missing"
            assert str(shapes.value(node, DCTERMS.identifier)) == r.id


def test_shape_identifiers_map_one_to_one_onto_catalogue_shapes(catalogue, shapes):
    declared = {shape: r.id for r in catalogue.active() for shape in r.shapes}
    in_graph = {str(s).removeprefix(str(SCP_SH)): str(i) for s, i in shapes.subject_objects(DCTERMS.identifier)
                if str(s).startswith(str(SCP_SH)) and str(s) != str(SCP_SH)}
    constraint_shapes = {k: v for k, v in in_graph.items()
                         if not k.endswith("-path")}
    assert constraint_shapes == declared


def test_restatements_point_both_ways(catalogue):
    ids = {r.id: r for r in catalogue.requirements}
    for r in catalogue.requirements:
        if r.restates:
            assert r.id in ids[r.restates].restated_by, r.id
        for other in r.restated_by:
            assert ids[other].restates == r.id, other


def test_every_citation_is_marked_with_its_verification(catalogue):
    """Paragraph numbers that could not be checked stay marked UNVERIFIED."""
    for r in catalogue.active():
        for s in r.sources:
            if s.instrument.startswith("Working Together"):
                assert "UNVERIFIED" in s.provision or "para 48" in s.provision, r.id


def test_catalogue_index_is_generated_from_the_catalogue(catalogue):
    from conftest import ROOT

    from thscp_kg.rules.index import render

    committed = (ROOT / "reports" / "requirements.md").read_text()
    assert committed == render(catalogue), "run './thscp-kg rules --markdown -o reports/requirements.md'"


def test_definitions_are_ontology_terms_not_checks(catalogue):
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from thscp_kg.namespaces import SCP
    from thscp_kg.ontology import ontology_graph
    from thscp_kg.rules.index import DEFINITIONS

    ids = {r.id for r in catalogue.requirements}
    onto = ontology_graph()
    for req_id, _, terms, _ in DEFINITIONS:
        if req_id != "CA04-16E-03":
            assert req_id not in ids, f"{req_id} is a definition, not a check"
        for term in terms.split(","):
            name = term.strip().split()[0].removeprefix("scp:")
            assert onto.value(URIRef(SCP[name]), SKOS.definition) is not None, name


def test_every_manual_requirement_asks_a_question_and_has_no_fixtures(catalogue):
    from conftest import REQUIREMENT_FIXTURES

    for r in catalogue.active():
        if r.assessment == "manual":
            assert r.question and r.question.endswith("?"), r.id
            assert not (REQUIREMENT_FIXTURES / r.id).exists(), r.id


def test_requirements_md_split_range_rows(catalogue):
    """REG18-12/13/15-17 is one row in requirements.md; the catalogue has one id each."""
    ids = {r.id for r in catalogue.requirements}
    assert {"REG18-12", "REG18-13", "REG18-15", "REG18-16", "REG18-17"} <= ids
