"""Every automated requirement fails on a fixture that breaks it and passes on one that meets it.

Fixtures live in tests/requirements/<ID>/ in the data format itself; expected.yaml lists, per
case file, the exact (focus entity, shape) pairs that must fail. Only the requirement's own
shapes run, so a case asserts exactly what that requirement finds. A requirement that rests on
a profile parameter the default does not set (a provision not yet commenced) names the profile
its cases run under (``profile: tests/profiles/<file>``, a tailoring of the default). A graph requirement
(``assessment: graph``) runs only its registered graph check, through the same pipeline; its
findings name the check id as the shape (``shape: GOV-01``). ``options:`` in expected.yaml are
check options the requirement depends on (``require_evidence: true`` for EVID-02).
"""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import REQUIREMENT_FIXTURES, ROOT, yaml_load
from thscp_kg.pipeline import check_file

CASES = sorted(
    (folder.name, case)
    for folder in REQUIREMENT_FIXTURES.iterdir() if folder.is_dir()
    for case in yaml_load((folder / "expected.yaml").read_text())["cases"]
)


def _expected(req_id: str) -> dict:
    return yaml_load((REQUIREMENT_FIXTURES / req_id / "expected.yaml").read_text())


@pytest.mark.parametrize("req_id,case", CASES, ids=[f"{r}/{c}" for r, c in CASES])
def test_requirement_case(req_id: str, case: str) -> None:
    expected = _expected(req_id)
    assert expected["requirement"] == req_id
    options = dict(expected.get("options", {}))
    if expected.get("profile"):
        options["profile_path"] = ROOT / expected["profile"]
    run = check_file(REQUIREMENT_FIXTURES / req_id / case, requirement_ids=[req_id], **options)
    found = Counter((f.focus, f.shape.removeprefix("scp-sh:")) for f in run.assessment.findings)
    want = Counter((e["focus"], e["shape"]) for e in expected["cases"][case] or [])
    assert found == want
    assert all(f.requirement == req_id for f in run.assessment.findings)


def test_every_automated_requirement_has_fixtures(catalogue) -> None:
    automated = {r.id for r in catalogue.active() if r.assessment in ("shacl", "graph")}
    folders = {p.name for p in REQUIREMENT_FIXTURES.iterdir() if p.is_dir()}
    assert folders == automated


def test_fixture_case_count_matches_requirements(catalogue) -> None:
    """Guards against a filter silently shrinking the parametrised suite."""
    automated = [r for r in catalogue.active() if r.assessment in ("shacl", "graph")]
    per_requirement = Counter(req for req, _ in CASES)
    assert sorted(per_requirement) == sorted(r.id for r in automated)
    for req in automated:
        cases = _expected(req.id)["cases"]
        assert any(not v for v in cases.values()), f"{req.id} has no passing case"
        assert any(v for v in cases.values()), f"{req.id} has no failing case"
        failing_shapes = {e["shape"] for v in cases.values() if v for e in v}
        if req.assessment == "shacl":
            assert failing_shapes == set(req.shapes), f"{req.id}: every shape needs a failing fixture"
        else:  # a graph check reports its requirement id as the shape (thscp_kg/analysis)
            assert failing_shapes == {req.id}, f"{req.id}: graph findings name the check id as shape"
