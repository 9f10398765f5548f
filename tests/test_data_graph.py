"""rdfio.DataGraph and its TripleIndex store, what a year's data graph is built in: the same answers as
rdflib's own graph, in the same order, and a Ctrl-C is never swallowed
(docs/decisions/0033-cold-check-data-graph-store.md)."""
from __future__ import annotations

import pytest
from conftest import REQUIREMENT_FIXTURES, ROOT, materialised
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.paths import Path as RDFPath

from thscp_kg.rdfio import DataGraph, TripleIndex, context_aware

YEARS = sorted((ROOT / "data").glob("*/20*.yaml"))
SOME_FIXTURES = sorted(p for p in REQUIREMENT_FIXTURES.glob("*/*.yaml") if p.name.startswith(("pass", "fail")))[::15]
ABSENT = URIRef("urn:test:absent")


def _questions(graph):
    triples = list(graph)
    subjects = {s for s, _, _ in triples} | {ABSENT}
    predicates = {p for _, p, _ in triples} | {ABSENT}
    objects = {o for _, _, o in triples} | {ABSENT, Literal("absent")}
    pairs = {(s, p) for s, p, _ in triples} | {(ABSENT, RDF.type), (next(iter(subjects)), ABSENT)}
    return triples, subjects, predicates, objects, pairs


@pytest.mark.parametrize("path", YEARS + SOME_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_data_graph_answers_as_rdflib_does(path):
    _, graph = materialised(path)
    assert type(graph) is DataGraph and isinstance(graph.store, TripleIndex)
    plain = Graph(store=graph.store)     # rdflib's own Graph methods over the same store: the same order
    default = Graph()                    # rdflib's default store: the same triples
    default += graph
    triples, subjects, predicates, objects, pairs = _questions(graph)
    assert len(graph) == len(default) == len(set(triples)) > 50
    assert set(graph) == set(default)
    for s, p in pairs:
        assert graph.value(s, p) == plain.value(s, p)
        assert graph.value(s, p, default=ABSENT) == plain.value(s, p, default=ABSENT)
        assert list(graph.objects(s, p)) == list(plain.objects(s, p))
        assert set(graph.objects(s, p)) == set(default.objects(s, p))
        assert list(graph.triples((s, p, None))) == list(plain.triples((s, p, None)))
    for s, p, o in triples[::7] + [(ABSENT, RDF.type, ABSENT)]:
        assert list(graph.subjects(p, o)) == list(plain.subjects(p, o))
        assert set(graph.subjects(p, o)) == set(default.subjects(p, o))
        assert ((s, p, o) in graph) is ((s, p, o) in default)
        assert ((s, p, Literal("absent")) in graph) is ((s, p, Literal("absent")) in default)
        assert set(graph.triples((None, None, o))) == set(default.triples((None, None, o)))
        assert set(graph.triples((s, None, None))) == set(default.triples((s, None, None)))
        assert set(graph.triples((s, None, o))) == set(default.triples((s, None, o)))
    for p in predicates:
        assert set(graph.triples((None, p, None))) == set(default.triples((None, p, None)))
        assert set(graph.subjects(p)) == set(default.subjects(p))
    path_ = RDF.type / RDFS.label   # a path, not an IRI: rdflib's own evaluation
    assert isinstance(path_, RDFPath)
    assert set(graph.objects(None, path_)) == set(default.objects(None, path_))


def test_removing_keeps_the_indexes_and_the_count_right():
    _, built = materialised(YEARS[-1])
    graph, default = DataGraph(), Graph()
    for t in built:
        graph.add(t)
        default.add(t)
    graph.add(next(iter(built)))   # a triple already there is not counted twice
    assert len(graph) == len(default)
    s, p, _ = next(iter(built))
    for pattern in ((s, p, None), (None, RDF.type, None), (None, None, Literal("absent"))):
        graph.remove(pattern)
        default.remove(pattern)
        assert len(graph) == len(default) and set(graph) == set(default)
        assert set(graph.triples((s, None, None))) == set(default.triples((s, None, None)))
    graph.set((s, p, Literal("one")))
    default.set((s, p, Literal("one")))
    assert graph.value(s, p) == Literal("one") and set(graph) == set(default)


def test_a_graph_may_be_added_to_while_it_is_read():
    graph = DataGraph()
    for i in range(5):
        graph.add((URIRef(f"urn:test:{i}"), RDF.type, RDFS.Class))
    for s in graph.subjects(RDF.type, RDFS.Class):
        graph.add((URIRef(f"{s}/copy"), RDF.type, RDFS.Class))
    for s, p, o in graph.triples((None, RDF.type, None)):
        graph.add((s, RDFS.label, Literal(str(s))))
    assert len(graph) == 20


class _InterruptedOnce(URIRef):
    """An IRI whose first hash is interrupted, as by a Ctrl-C arriving while ``URIRef.__hash__`` runs."""
    armed = True

    def __hash__(self):
        if type(self).armed:
            type(self).armed = False
            raise KeyboardInterrupt
        return super().__hash__()


@pytest.mark.parametrize("step", ["add", "value", "objects", "contains"])
def test_a_ctrl_c_inside_a_lookup_is_never_taken_for_a_missing_key(step):
    graph = DataGraph()
    node = _InterruptedOnce("urn:test:node")
    graph.add((URIRef("urn:test:other"), RDF.type, RDFS.Class))
    act = {"add": lambda: graph.add((node, RDF.type, RDFS.Class)),
           "value": lambda: graph.value(node, RDF.type),
           "objects": lambda: list(graph.objects(node, RDF.type)),
           "contains": lambda: (node, RDF.type, RDFS.Class) in graph}[step]
    _InterruptedOnce.armed = True
    with pytest.raises(KeyboardInterrupt):
        act()
    assert not _InterruptedOnce.armed


def test_pyshacl_is_given_a_copy_in_a_context_aware_store():
    _, graph = materialised(YEARS[-1])
    assert not graph.store.context_aware
    copy = context_aware(graph)
    assert copy.store.context_aware and set(copy) == set(graph)
    assert dict(copy.namespaces()) == dict(graph.namespaces())
    already = Graph()
    assert context_aware(already) is already
