"""Ontology hygiene and consistency (owlready2 + HermiT)."""
from __future__ import annotations

import pytest
from conftest import REQUIREMENT_FIXTURES, THSCP_2023_24, materialised
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from thscp_kg.namespaces import SCP, SCP_ID
from thscp_kg.ontology import ontology_graph
from thscp_kg.reason.hermit import ReasonerResult, check_consistency, java_available

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


def _scp_terms(graph: Graph) -> set[URIRef]:
    return {t for t in graph.all_nodes() if isinstance(t, URIRef) and str(t).startswith(str(SCP))}


def test_every_term_has_label_and_definition():
    onto = ontology_graph()
    defined = {s for t in TERM_TYPES for s in onto.subjects(RDF.type, t)} | set(onto.subjects(RDF.type, None))
    missing = sorted(str(t) for t in defined if str(t).startswith(str(SCP))
                     and (onto.value(t, RDFS.label) is None or onto.value(t, SKOS.definition) is None))
    assert missing == []


def _built_graphs():
    for path in [THSCP_2023_24, *sorted(REQUIREMENT_FIXTURES.glob("*/*.yaml"))]:
        if path.name == "expected.yaml":
            continue
        yield path, materialised(path)[1]  # built once per run (tests/conftest.py)


def test_every_scp_term_used_is_defined(shapes):
    """Brick's namespace rule: nothing in the shapes or in built graphs uses an undefined scp: term."""
    onto = ontology_graph()
    defined = {t for t in _scp_terms(onto) if onto.value(t, RDFS.label) is not None}
    used = _scp_terms(shapes)
    for _, graph in _built_graphs():
        used |= {t for t in _scp_terms(graph)}
    assert sorted(str(t) for t in used - defined) == []


def test_ontology_parses_without_network(monkeypatch):
    import socket
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: (_ for _ in ()).throw(OSError("no network")))
    ontology_graph.cache_clear()
    assert len(ontology_graph()) > 500


needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs Java (installed by .ci/run)")


@needs_java
@pytest.mark.reasoner
def test_ontology_is_consistent_under_hermit():
    result = check_consistency(ontology_graph())
    assert result.consistent, result
    assert result.unsatisfiable == ()


@pytest.fixture(scope="session")   # not module: xdist may interleave files on a worker, and a module
def thscp_under_hermit():              # fixture is built again each time the worker comes back to the file
    """The ontology with THSCP 2023-24's materialised graph, and HermiT's verdict on it: one reasoner run
    (about 50 s on the 2-core machine) for the two tests that need it (issue 16). Both tests still
    assert what they did: the verdict, and that ``thscp-kg reason`` reasons over exactly this graph."""
    graph = Graph()
    graph += ontology_graph()
    _, thscp = next(_built_graphs())
    graph += thscp
    return graph, check_consistency(graph)


@needs_java
@pytest.mark.reasoner
def test_ontology_with_thscp_data_is_consistent(thscp_under_hermit):
    _, result = thscp_under_hermit
    assert result.consistent and result.unsatisfiable == ()


def _ontology_with(*triples) -> Graph:
    graph = Graph()
    graph += ontology_graph()
    for triple in triples:
        graph.add(triple)
    return graph


@needs_java
@pytest.mark.reasoner
def test_reasoner_detects_an_inconsistent_graph():
    """The consistency check has teeth: a person who is also an organisation is impossible."""
    node = SCP_ID["test/person/both"]
    graph = _ontology_with((node, RDF.type, SCP.Person), (node, RDF.type, SCP.LocalAuthority))
    assert not check_consistency(graph).consistent


@needs_java
@pytest.mark.reasoner
def test_reasoner_names_an_unsatisfiable_class():
    """A class under two disjoint classes can have no member: HermiT names it, and only it."""
    both = SCP["TestPersonAuthority"]
    graph = _ontology_with((both, RDF.type, OWL.Class), (both, RDFS.subClassOf, SCP.Person),
                           (both, RDFS.subClassOf, SCP.LocalAuthority))
    result = check_consistency(graph)
    assert result == ReasonerResult(False, (str(both),))


def test_a_reasoner_that_gives_no_answer_is_a_clear_error():
    from thscp_kg.errors import ConfigError
    from thscp_kg.reason.hermit import unsatisfiable_classes

    answer = f"Classes equivalent to '{OWL.Nothing}':\n\t{OWL.Nothing}\n\thttp://a/B\n"
    assert unsatisfiable_classes(answer) == ("http://a/B",)
    with pytest.raises(ConfigError, match="HermiT gave no answer: Error: out of memory"):
        unsatisfiable_classes("Error: out of memory\n")


@needs_java
def test_a_java_failure_is_a_clear_error(monkeypatch):
    from thscp_kg.errors import ConfigError
    from thscp_kg.reason import hermit

    monkeypatch.setattr(hermit, "hermit_command", lambda path: ["java", "-cp", str(path.parent), "NoSuchMain"])
    with pytest.raises(ConfigError, match="HermiT stopped with exit 1: .*NoSuchMain"):
        hermit.check_consistency(Graph())


def test_missing_java_is_a_clear_error(monkeypatch):
    from thscp_kg.reason import hermit as reasoning
    from thscp_kg.errors import ConfigError

    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    with pytest.raises(ConfigError, match="needs Java"):
        reasoning.check_consistency(Graph())


@needs_java
@pytest.mark.reasoner
def test_reason_command_on_thscp(thscp_under_hermit, monkeypatch, capsys):
    """The command reasons over the ontology with the year's materialised graph, triple for triple the graph
    HermiT judged in ``thscp_under_hermit``, and reports that verdict (the run is shared, not repeated)."""
    from rdflib.compare import isomorphic

    from thscp_kg.cli import main
    from thscp_kg.reason import hermit

    judged, result = thscp_under_hermit
    given = []

    def same_graph(graph):
        # The same triples (blank nodes included: both graphs take them from the one ontology graph) is
        # the same graph; only if they differ is rdflib's isomorphism (3 s on these 6,500 triples) asked.
        # Compared once, and the answer kept for the assertion below (it was computed twice).
        same = set(graph) == set(judged) or isomorphic(graph, judged)
        given.append(same)
        return result if same else hermit.ReasonerResult(False, (), "a different graph")

    monkeypatch.setattr(hermit, "check_consistency", same_graph)
    assert main(["reason", str(THSCP_2023_24)]) == 0
    out = capsys.readouterr().out.strip()
    assert given == [True]
    assert out == "Consistent: the ontology with data/tower-hamlets/2023-24.yaml " \
                  f"({len(judged)} triples) under HermiT.", out


def test_reason_command_without_java_is_exit_2_with_one_line(monkeypatch, capsys):
    from thscp_kg.reason import hermit as reasoning
    from thscp_kg.cli import main

    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    assert main(["reason"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs Java" in err[0] and "every other check works without it" in err[0]


def test_project_namespaces_give_rdflib_s_terms_once():
    """namespaces._Namespace: the terms rdflib's Namespace gives, each made once (decisions 0029, 0030)."""
    from rdflib import Namespace

    from thscp_kg.namespaces import ORG

    for ns in (SCP, ORG):
        plain = Namespace(str(ns))
        for name in ("partnership", "postIn"):
            term = getattr(ns, name)
            assert term == getattr(plain, name) and type(term) is URIRef
            assert getattr(ns, name) is term and ns[name] is term
        assert ns["a-b"] == plain["a-b"] and ns["a-b"] is ns["a-b"]
        assert ns.title == plain.title   # rdflib's own property (for dcterms:title), left as it is
    with pytest.raises(AttributeError):
        SCP.__not_a_term__
