"""Our shapes are standard SHACL: a second, independent implementation agrees with pySHACL.

The second engine is rudof (PyPI ``pyrudof``), a SHACL implementation written in Rust with no
code in common with pySHACL/rdflib or with pyshacl-turbo (which reuses pySHACL's test suite). For
every requirement fixture, the materialised graph is validated by rudof against the whole shapes
graph, and its results (focus node, source shape, severity) must equal:

- pySHACL's, for the fixture's own requirement (pySHACL given only that requirement's shapes,
  as tests/test_requirements.py runs it; each SPARQL text parsed once and checked unchanged before
  every use, tests/parsed_once.py), and
- the fast engine's for every active shape — which tests/test_engine_parity.py in turn holds
  equal to pySHACL's on the same graphs. (Running pySHACL over every shape of every fixture
  would triple this test's time for no extra assurance.)

Constructs rudof cannot evaluate would be listed in KNOWN_GAPS with the reason, as strict
xfails, so that they are visible and the test notices when rudof catches up. There are none.

One rudof session serves the file (issue 16): its shapes are read once, and each graph is read into
a staging frame over an empty data graph and rolled back after validating. A fresh session per graph
cost a fixed ~0.13 s of CPU in its first ``read_data`` (41 s over the corpus, against 1.3 s staged).
Each call asserts that the session holds no triples before the graph is read and exactly the graph's
triples after; ``test_a_staged_session_validates_like_a_fresh_one`` compares the two ways.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REQUIREMENT_FIXTURES, materialised, yaml_load
from parsed_once import parsed_once

pyrudof = pytest.importorskip("pyrudof", reason="pyrudof is a test dependency (pip install -e '.[test]')")

FIXTURES = sorted(p for p in REQUIREMENT_FIXTURES.glob("*/*.yaml")
                  if p.name != "expected.yaml" and not p.name.startswith("waiver"))
KNOWN_GAPS: dict[str, str] = {}  # "REQ-ID/case.yaml" -> what rudof cannot evaluate, and why


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def shapes_turtle(shapes) -> str:
    return shapes.serialize(format="turtle")


def _triples(report) -> set[tuple[str, str, str]]:
    from rdflib.namespace import RDF, SH

    return {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)),
             str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1])
            for r in report.subjects(RDF.type, SH.ValidationResult)}


@pytest.fixture(scope="module")
def rudof_session(shapes_turtle):
    """A rudof session with the shapes read and an empty data graph (rudof reads no empty string;
    a comment is an N-Triples document with no triples). Staging needs loaded data to stage over."""
    session = pyrudof.Rudof(pyrudof.RudofConfig())
    session.read_shacl(shapes_turtle)
    session.read_data("# no triples\n", format=pyrudof.RDFFormat.NTriples)
    return session


def _results(session) -> set[tuple[str, str, str]]:
    return {(str(e.focus_node), str(e.source_shape), str(e.severity).rsplit("#", 1)[-1])
            for e in session.validate_shacl()}


def _rudof(graph, session) -> set[tuple[str, str, str]]:
    """rudof's results on ``graph`` alone: read in a staging frame over the session's empty data, and
    rolled back (which also clears the validation results), so nothing is carried to the next graph."""
    assert next(iter(session.triples()), None) is None, "the session still holds a previous graph's triples"
    session.begin_staging()
    try:
        session.read_data(graph.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
        held = sum(1 for _ in session.triples())
        assert held == len(graph), f"rudof holds {held} triples, the graph has {len(graph)}"
        return _results(session)
    finally:
        session.rollback_staging()


def _rudof_fresh(graph, shapes_turtle: str) -> set[tuple[str, str, str]]:
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())  # a new session: no state from any other graph
    rudof.read_data(graph.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(shapes_turtle)
    return _results(rudof)


def _materialised(path: Path):
    return materialised(path)[1]  # built once per run (tests/conftest.py)


@pytest.mark.parametrize("path", [
    pytest.param(p, id=_case_id(p), marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[_case_id(p)])]
                 if _case_id(p) in KNOWN_GAPS else []) for p in FIXTURES])
def test_rudof_agrees_with_pyshacl(path: Path, shapes, catalogue, rudof_session) -> None:
    from thscp_kg.namespaces import SCP_SH
    from thscp_kg.validate.engines import run_engine

    req_id = yaml_load((path.parent / "expected.yaml").read_text())["requirement"]
    own = {str(SCP_SH[s]) for s in catalogue.get(req_id).shapes}
    active = {str(SCP_SH[s]) for r in catalogue.active() if r.assessment == "shacl" for s in r.shapes}
    graph = _materialised(path)

    rudof = {t for t in _rudof(graph, rudof_session) if t[1] in active}
    if own:
        with parsed_once():  # pySHACL, each query text parsed once and proven unchanged at each use
            pyshacl_own = _triples(run_engine("reference", graph, shapes, sorted(own)))
        assert {t for t in rudof if t[1] in own} == pyshacl_own
    fast_all = _triples(run_engine("fast", graph, shapes, sorted(active)))
    assert rudof == fast_all


def test_every_fixture_is_cross_checked() -> None:
    assert len(FIXTURES) > 100
    assert set(KNOWN_GAPS) <= {_case_id(p) for p in FIXTURES}, "a KNOWN_GAPS entry names no fixture"


# Fixtures with the most rudof results (30 shapes among them), a passing case with many, and one with
# none: enough to show the staged session judges the graph a fresh session does (~0.15 s each).
SAME_AS_FRESH = {"WT23-LCSPR-05/fail.yaml": True, "WT23-YR-01/fail.yaml": True, "REG18-11/fail.yaml": True,
                 "CA04-16F-01/pass.yaml": True, "CA04-16E-01/pass-lscb-era.yaml": False}  # case -> has results


@pytest.mark.parametrize("case", sorted(SAME_AS_FRESH))
def test_a_staged_session_validates_like_a_fresh_one(case: str, rudof_session, shapes_turtle) -> None:
    graph = _materialised(REQUIREMENT_FIXTURES / case)
    fresh = _rudof_fresh(graph, shapes_turtle)
    assert bool(fresh) == SAME_AS_FRESH[case], "an empty comparison would prove nothing"
    assert _rudof(graph, rudof_session) == fresh
    assert _rudof(graph, rudof_session) == fresh  # and again: the first read left nothing behind
