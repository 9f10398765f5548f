"""Namespaces (docs/decisions/0001-namespaces-and-iris.md)."""
from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD


class _Namespace(Namespace):
    """rdflib's ``Namespace``, with each term made once per process: ``SCP.localId`` and the like are read
    thousands of times in a check, and rdflib builds and validates a new, equal URIRef every time
    (decision 0030). The terms are rdflib's own (``Namespace.term``), kept in ``_TERMS``; a term read as an
    attribute (``SCP.partnership``) is then kept on the namespace itself, found without a call from then on
    (the governance graph reads ~120 a partnership-year, decision 0029)."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)   # rdflib's: refuses Python's special names
        self.__dict__[name] = term
        return term

    def term(self, name: str) -> URIRef:
        key = (self, name if isinstance(name, str) else "")
        found = _TERMS.get(key)
        if found is None:
            found = _TERMS[key] = super().term(name)
        return found


_TERMS: dict[tuple[str, str], URIRef] = {}

BASE = "https://w3id.org/thscp-kg/"
SCP = _Namespace(BASE + "def#")
SCP_SH = _Namespace(BASE + "shapes#")
SCP_REQ = _Namespace(BASE + "req/")
SCP_ID = _Namespace(BASE + "id/")
ORG = _Namespace("http://www.w3.org/ns/org#")
FOAF = _Namespace("http://xmlns.com/foaf/0.1/")

PREFIXES = {
    "scp": SCP, "scp-sh": SCP_SH, "scp-req": SCP_REQ, "scp-id": SCP_ID, "org": ORG, "prov": PROV,
    "time": TIME, "dcterms": DCTERMS, "skos": SKOS, "foaf": FOAF, "owl": OWL, "rdf": RDF,
    "rdfs": RDFS, "xsd": XSD, "sh": SH,
}


def bind_all(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
