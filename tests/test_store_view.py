"""NTriplesView (thscp_kg/store/ntriples_view.py) answers every read exactly as OxigraphView does.

check --store reads each stored year through NTriplesView (issue 16); OxigraphView (an in-memory
Oxigraph copy) is the yardstick. Both are fed the N-Triples the embedded store returns: rdflib's
(the snapshot literal) and Oxigraph's own dump.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import THSCP_2023_24
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace
from rdflib.namespace import RDF, RDFS

EX = "https://example.org/"
# Escapes, language tags (one in capitals), datatypes, xsd:string written out, a raw U+2028, text that
# looks like a line's end or a predicate, and a subject that is a prefix of another. No blank node: stored
# graphs have none (decision 0001), and Oxigraph renames them on loading.
AWKWARD = f"""
<{EX}a> <{EX}p> "say \\"hi\\" \\\\ back\\nslash\\ttab" .
<{EX}a> <{EX}p> "caf\\u00E9 \\U0001F600" .
<{EX}a> <{EX}p> "line\u2028separator" .
<{EX}a> <{EX}label> "Colour"@EN-GB .
<{EX}a> <{EX}label> "Couleur"@fr .
<{EX}a> <{EX}n> "12"^^<{namespace.XSD.integer}> .
<{EX}a> <{EX}n> "012"^^<{namespace.XSD.integer}> .
<{EX}a> <{EX}flag> "true"^^<{namespace.XSD.boolean}> .
<{EX}a> <{EX}s> "plain"^^<{namespace.XSD.string}> .
<{EX}a> <{EX}s> "ends <{EX}p> x ." .
<{EX}a> <{EX}q> <{EX}ab> .
<{EX}ab> <{EX}p> <{EX}a> .
<{EX}ab> <{RDF.type}> <{EX}Thing> .
<{EX}a> <{RDF.type}> <{EX}Thing> .
<{EX}c> <{EX}d> "2024-03-31"^^<{namespace.XSD.date}> .
"""


def _texts() -> dict[str, str]:
    from thscp_kg.store.graph_store import build_year

    store = ox.Store()
    store.load(AWKWARD, format=ox.RdfFormat.N_TRIPLES)
    awkward_ox = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()
    awkward_rdflib = Graph().parse(data=AWKWARD, format="nt").serialize(format="nt")
    thscp = build_year(THSCP_2023_24).ntriples  # what load keeps as the year's snapshot (rdflib)
    store = ox.Store()
    store.load(thscp, format=ox.RdfFormat.N_TRIPLES)
    thscp_ox = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()
    return {"awkward, Oxigraph": awkward_ox, "awkward, rdflib": awkward_rdflib, "THSCP 2023-24, rdflib": thscp,
            "THSCP 2023-24, Oxigraph": thscp_ox}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return _texts()


def _patterns(triples: list[tuple]) -> list[tuple]:
    out = {(None, None, None)}
    for s, p, o in triples:
        out |= {(s, p, None), (None, p, o), (s, None, None), (None, None, o), (s, p, o), (None, p, None),
                (s, None, o)}
    # absent terms, a literal equal in value but not in form, a plain literal asked as xsd:string
    out |= {(URIRef(EX + "nothing"), None, None), (None, URIRef(EX + "n"), Literal(12)),
            (None, URIRef(EX + "s"), Literal("plain", datatype=namespace.XSD.string)), (None, None, Literal("plain")),
            (URIRef(EX + "a"), URIRef(EX + "label"), Literal("Colour", lang="en-gb")), (BNode("nothing"), None, None)}
    return sorted(out, key=repr)


@pytest.mark.parametrize("name", ["awkward, Oxigraph", "awkward, rdflib", "THSCP 2023-24, rdflib",
                                  "THSCP 2023-24, Oxigraph"])
def test_every_pattern_gives_the_same_terms(texts, name) -> None:
    from thscp_kg.store.graph_store import OxigraphView
    from thscp_kg.store.ntriples_view import NTriplesView

    text = texts[name]
    want, got = OxigraphView.of_ntriples(text), NTriplesView(text)
    every = sorted(want)
    assert every and sorted(got) == every and len(got) == len(want)
    # the same Python types and values (a Literal's datatype and language included), not just equal terms
    def form(view) -> list[str]:
        return sorted(repr((type(t).__name__, str(t), getattr(t, "datatype", None), getattr(t, "language", None)))
                      for x in view for t in x)

    assert form(got) == form(want)
    sample = every if len(every) < 100 else every[::80]  # THSCP: ~30 of its ~2,500 triples
    for pattern in _patterns(sample):
        assert sorted(got.triples(pattern)) == sorted(want.triples(pattern)), pattern
        assert (pattern in got) == (pattern in want), pattern
    for s, p, o in sample:
        assert sorted(got.objects(s, p)) == sorted(want.objects(s, p))
        assert sorted(got.subjects(p, o)) == sorted(want.subjects(p, o))
        assert sorted(got.predicates(s, o)) == sorted(want.predicates(s, o))
        assert sorted(got.predicate_objects(s)) == sorted(want.predicate_objects(s))
        assert sorted(got.subject_objects(p)) == sorted(want.subject_objects(p))
        assert sorted(got.subject_predicates(o)) == sorted(want.subject_predicates(o))
        assert sorted(got.objects(s, p, unique=True)) == sorted(set(want.objects(s, p)))
        values = set(want.objects(s, p))
        assert got.value(s, p) in values and got.value(s, p) == got.value(s, p)  # asked twice: the cache
        if len(values) == 1:
            assert got.value(s, p) == want.value(s, p)
            assert got.value(s, p, any=False) == want.value(s, p, any=False)
    assert got.value(URIRef(EX + "nothing"), RDFS.label, default="none") == "none"


def test_awkward_literals_are_read_back_exactly(texts) -> None:
    from thscp_kg.store.ntriples_view import NTriplesView

    for name in ("awkward, Oxigraph", "awkward, rdflib"):
        view = NTriplesView(texts[name])
        a = URIRef(EX + "a")
        assert set(map(str, view.objects(a, URIRef(EX + "p")))) == {
            'say "hi" \\ back\nslash\ttab', "café \U0001F600", "line\u2028separator"}
        assert set(view.objects(a, URIRef(EX + "n"))) == {Literal("12", datatype=namespace.XSD.integer),
                                                          Literal("012", datatype=namespace.XSD.integer)}
        assert (a, URIRef(EX + "flag"), Literal(True)) in view
        assert view.value(URIRef(EX + "c"), URIRef(EX + "d")).toPython().isoformat() == "2024-03-31"


def test_check_stored_reads_through_the_sorted_lines_view(tmp_path, monkeypatch) -> None:
    """The embedded store's years go through NTriplesView, and give the findings OxigraphView gives."""
    from thscp_kg.store import graph_store, ntriples_view
    from thscp_kg.store.graph_store import LocalStore, check_stored, load_files

    store = tmp_path / "store"
    with LocalStore(store) as backend:
        load_files(backend, [THSCP_2023_24])
    made = []
    real = ntriples_view.NTriplesView.__init__

    def spy(self, text, lines=None):
        made.append((len(text), lines is not None and len(lines) == text.count("\n") + 1))
        real(self, text, lines)

    monkeypatch.setattr(ntriples_view.NTriplesView, "__init__", spy)
    with LocalStore(store, read_only=True) as backend:
        fast = check_stored(backend)
        assert made, "check --store did not read the year through NTriplesView"
        monkeypatch.setattr(graph_store, "LocalStore", type("Other", (), {}))  # so the view falls back
        slow = check_stored(backend)
    assert len(made) == 1 and made[0][1], "the view was not given the lines the store split"
    assert [f.to_json() for c in fast for f in c.findings] == [f.to_json() for c in slow for f in c.findings]
    assert any(c.findings for c in fast)
