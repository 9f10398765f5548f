"""The fast engine gives exactly the reference engine's results (docs/decisions/0007-fast-path.md).

Every requirement fixture (tests/requirements/*/*.yaml) is built once and validated against
every active shape by pySHACL (``reference``) and by the fast engine; the findings must be
identical field by field (requirement, focus, severity, shape, value, and the rest of the
finding) and the SHACL report graphs isomorphic. pySHACL runs with each SPARQL text parsed once
and checked unchanged before every use (tests/parsed_once.py: the same queries, so the same
report as stock pySHACL, in 40% of the time), and the shapes gathered once per shapes graph (the same
``Shape`` objects pySHACL makes, ~40% of what is left). A generated multi-partnership store is then
checked through the store path by pySHACL (kept as above), by the memoised-parse pySHACL and by the fast engines.
"""
from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

import pytest
from conftest import REQUIREMENT_FIXTURES, ROOT, materialised
from parsed_once import parsed_once
from rdflib.compare import isomorphic

FIXTURES = sorted(p for p in REQUIREMENT_FIXTURES.glob("*/*.yaml")
                  if p.name != "expected.yaml" and not p.name.startswith("waiver"))


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _comparable(findings) -> list[dict]:
    return sorted((f.to_json() for f in findings), key=lambda d: repr(sorted(d.items())))


@pytest.fixture(scope="module")
def shacl_shapes(shapes, catalogue):
    from thscp_kg.namespaces import SCP_SH
    return [SCP_SH[s] for r in catalogue.active() if r.assessment == "shacl" for s in r.shapes]


def test_fixture_corpus_is_not_empty() -> None:
    assert len(FIXTURES) > 100  # guards against a glob that silently matches nothing


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.name}" for p in FIXTURES])
def test_fast_engine_matches_reference_on_fixture(path: Path, shapes, catalogue, shacl_shapes) -> None:
    from thscp_kg.validate.engines import NTriples, run_engine
    from thscp_kg.validate.results import findings_from_results

    loaded, graph = materialised(path)  # built once per run (tests/conftest.py)
    with parsed_once():  # pySHACL, each query text parsed once and proven unchanged at each use
        reference = run_engine("reference", graph, shapes, shacl_shapes)
    fast = run_engine("fast", graph, shapes, shacl_shapes)
    want = findings_from_results(reference, graph, shapes, catalogue, loaded)
    got = findings_from_results(fast, graph, shapes, catalogue, loaded)
    assert _comparable(got) == _comparable(want)
    assert _same_graph(fast, reference), "the SHACL report graphs differ (validation-report.ttl would too)"
    # the shacl engine (check --store's default): the same findings, from its own results
    from_text = run_engine("shacl", NTriples(graph.serialize(format="nt")), shapes, shacl_shapes)
    assert _comparable(findings_from_results(from_text, graph, shapes, catalogue, loaded)) == _comparable(want)
    # and the same raw results: focus, value, path, shape, component, severity of each
    assert _raw(from_text) == _raw(reference)


def _expressions(node):
    from rdflib.plugins.sparql.parserutils import CompValue, Expr

    if isinstance(node, Expr):
        yield node
    if isinstance(node, CompValue):
        for value in dict.values(node):  # not node.values(): CompValue.__getitem__ evaluates in a context
            yield from _expressions(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _expressions(value)


def test_pyshacl_parsed_once_gives_stock_pyshacl_s_report_and_refuses_a_changed_query(shapes, shacl_shapes) -> None:
    """The yardstick above: on a fixture with many results, stock pySHACL's report graph, then the same
    with every query parsed once and the shapes gathered once, first and second time (the second run
    takes every parse and the shapes from the kept ones); a shapes graph that gained a triple is gathered
    again; and a kept query changed after it was parsed (an expression left with a context, as an
    evaluation that did not reset it would leave it) is refused at its next use, not evaluated."""
    from parsed_once import _gathered, _made
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, RDFS, SH

    from thscp_kg.rdfio import canonical_bnodes
    from thscp_kg.validate.engines import run_engine

    _, graph = materialised(REQUIREMENT_FIXTURES / "WT23-YR-01" / "fail.yaml")
    stock = run_engine("reference", graph, shapes, shacl_shapes)
    with parsed_once():
        first = run_engine("reference", graph, shapes, shacl_shapes)
        kept, gathered = dict(_made), {k: v[2] for k, v in _gathered.items()}
        second = run_engine("reference", graph, shapes, shacl_shapes)
    assert len(set(stock.subjects(RDF.type, SH.ValidationResult))) >= 10
    assert set(canonical_bnodes(first)) == set(canonical_bnodes(stock)) == set(canonical_bnodes(second))
    assert kept and _made == kept, "the second run parsed nothing again"
    assert gathered and all(_gathered[k][2] is v for k, v in gathered.items()), "the second run gathered again"
    changed_shapes = Graph()
    for triple in shapes:
        changed_shapes.add(triple)
    with parsed_once():
        run_engine("reference", graph, changed_shapes, shacl_shapes)
        before = {k: v[2] for k, v in _gathered.items() if v[0] is changed_shapes}
        changed_shapes.add((shacl_shapes[0], RDFS.comment, Literal("a triple more")))
        run_engine("reference", graph, changed_shapes, shacl_shapes)
        after = {k: v[2] for k, v in _gathered.items() if v[0] is changed_shapes}
    assert before and before.keys() == after.keys(), "the changed graph's shapes were not kept"
    assert all(after[k] is not before[k] for k in before), "a graph that gained a triple was not gathered again"
    key, (query, _) = next((k, v) for k, v in kept.items() if next(_expressions(v[0].algebra), None) is not None)
    changed = next(_expressions(query.algebra))
    changed.ctx = {"left": "behind"}
    try:
        with parsed_once(), pytest.raises(AssertionError, match="an evaluation changed the parsed query"):
            run_engine("reference", graph, shapes, shacl_shapes)
    finally:
        del _made[key]  # parsed again at its next use


def _same_graph(a, b) -> bool:
    """Whether two report graphs are isomorphic. Each graph's blank nodes are first renamed by a content
    hash made unique within the graph (``_renamed``; so the renaming is one to one): equal renamed triple
    sets give an isomorphism (A's node to the B node of the same name), in a few milliseconds. Only when
    they differ is rdflib's ``isomorphic`` asked (about 0.1 s a report), so a graph the labelling does
    not name identically is still judged by the general algorithm and nothing passes that did not before."""
    named = _renamed(a)
    return (named is not None and named == _renamed(b)) or isomorphic(a, b)


def _renamed(graph) -> set[tuple] | None:
    """``graph``'s triples with each blank node renamed as thscp_kg.rdfio.canonical_bnodes names it
    (``canonical_renaming``), as a set of tuples rather than a new rdflib graph (building one was 21 of a
    report's 22 ms; issue 16). None when blank nodes refer to each other in a cycle."""
    from thscp_kg.rdfio import canonical_renaming

    triples = list(graph)
    rename = canonical_renaming(triples)
    return None if rename is None else {tuple(rename.get(n, n) for n in t) for t in triples}


def _raw(report) -> list[tuple]:
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    def one(r, p):
        v = report.value(r, p)
        return "_:complex" if isinstance(v, BNode) else ("" if v is None else v.n3())

    return sorted(tuple(one(r, p) for p in (SH.focusNode, SH.value, SH.resultPath, SH.sourceShape,
                                            SH.sourceConstraintComponent, SH.resultSeverity))
                  for r in report.subjects(RDF.type, SH.ValidationResult))


def test_check_file_engine_choice_gives_the_same_assessment() -> None:
    from thscp_kg.pipeline import check_file

    path = REQUIREMENT_FIXTURES / "WT23-LSP-01" / "fail.yaml"
    ref = check_file(path, engine="reference").assessment
    fast = check_file(path, engine="fast").assessment
    assert _comparable(ref.findings) == _comparable(fast.findings)
    assert [o.status for o in ref.outcomes] == [o.status for o in fast.outcomes]


def test_generated_store_same_findings_on_every_engine(tmp_path) -> None:
    from thscp_kg.store.graph_store import LocalStore, check_stored, data_files, load_files

    gen = _generator()
    manifest = gen.write(tmp_path / "data", partnerships=2, years=5)
    with LocalStore(tmp_path / "store") as backend:
        load_files(backend, data_files([tmp_path / "data"]))
    runs = {}
    with LocalStore(tmp_path / "store", read_only=True) as backend:
        for engine in ("reference", "memoised", "fast", "shacl"):
            # pySHACL as the yardstick, its parse and shapes kept (as on the fixtures above)
            with parsed_once() if engine == "reference" else contextlib.nullcontext():
                checks = check_stored(backend, engine=engine)
            runs[engine] = {c.year.key: _comparable(c.findings) for c in checks}
    assert runs["fast"] == runs["reference"]
    assert runs["shacl"] == runs["reference"]
    assert runs["memoised"] == runs["reference"]
    found = sorted((key, f["requirement"], f["shape"].removeprefix("scp-sh:"), f["focus"])
                   for key, fs in runs["fast"].items() for f in fs)
    want = sorted((f["file"].removesuffix(".yaml"), e["requirement"], e["shape"], e["focus"])
                  for f in manifest["files"] for e in f["expected"])
    assert found == want
    assert manifest["injected_gaps"] >= len(gen.GAPS)  # every kind of gap is injected at least once


def test_memoised_parse_is_scoped_to_its_run() -> None:
    from rdflib.plugins.sparql import processor

    from thscp_kg.validate.engines import memoised_sparql_parse

    stock = processor.SPARQLProcessor.query
    with memoised_sparql_parse():
        assert processor.SPARQLProcessor.query is not stock
    assert processor.SPARQLProcessor.query is stock


def test_unknown_engine_is_a_configuration_error(monkeypatch) -> None:
    from thscp_kg.errors import ConfigError
    from thscp_kg.validate.engines import resolve

    monkeypatch.setenv("THSCP_KG_ENGINE", "turbo")
    with pytest.raises(ConfigError):
        resolve(None)
    assert resolve("reference") == "reference"
