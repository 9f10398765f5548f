"""rdfio.ntriples: the N-Triples text the shacl engine reads, the same text as rdflib's serializer
(docs/decisions/0030-cold-check-collector-and-order.md)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REQUIREMENT_FIXTURES, ROOT, materialised
from rdflib import BNode, Graph, Literal, URIRef

from thscp_kg.rdfio import ntriples

FIXTURES = sorted(p for p in REQUIREMENT_FIXTURES.glob("*/*.yaml") if p.name.startswith(("pass", "fail")))
YEARS = sorted((ROOT / "data").glob("*/20*.yaml"))


def test_the_fixtures_and_bundled_years_give_rdflib_text():
    assert len(FIXTURES) > 100 and YEARS
    for path in FIXTURES + YEARS:
        _, graph = materialised(path)
        assert ntriples(graph) == graph.serialize(format="nt"), path


def test_the_shapes_and_ontology_give_rdflib_text(shapes):
    from thscp_kg.ontology import ontology_graph

    for graph in (shapes, ontology_graph()):
        assert len(graph) > 1000
        assert ntriples(graph) == graph.serialize(format="nt")


def test_every_kind_of_term_gives_rdflib_text():
    from rdflib.namespace import XSD

    g = Graph()
    s, b = URIRef("http://example.org/a"), BNode("http://example.org/a")   # an IRI and a blank node alike
    p = URIRef("http://example.org/p")
    for o in (Literal("plain"), Literal("Mixed", lang="EN-gb"), Literal("mixed", lang="en-GB"),
              Literal('quote " back \\ line\nreturn\r tab\t é ☃ 𝄞'), Literal("12", datatype=XSD.integer),
              Literal("2024-03-31", datatype=XSD.date), Literal("x", datatype=URIRef("http://example.org/dt")),
              URIRef("http://example.org/a"), b, Literal("http://example.org/a")):
        g.add((s, p, o))
        g.add((b, p, o))
    assert ntriples(g) == g.serialize(format="nt")
    assert ntriples(Graph()) == Graph().serialize(format="nt") == ""


def test_what_rdflib_cannot_write_raises_as_in_rdflib():
    g = Graph()
    g.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("lone \ud800 surrogate")))
    with pytest.raises(UnicodeEncodeError):
        g.serialize(format="nt")
    with pytest.raises(UnicodeEncodeError):
        ntriples(g)
    g = Graph()
    g.add((URIRef("http://example.org/with space"), URIRef("http://example.org/p"), Literal("x")))
    with pytest.raises(Exception, match="does not look like a valid URI") as by_rdflib:
        g.serialize(format="nt")
    with pytest.raises(type(by_rdflib.value), match="does not look like a valid URI"):
        ntriples(g)
