"""Namespaces (docs/decisions/0001-namespaces-and-iris.md)."""
from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD

BASE = "https://w3id.org/thscp-kg/"
SCP = Namespace(BASE + "def#")
SCP_SH = Namespace(BASE + "shapes#")
SCP_REQ = Namespace(BASE + "req/")
SCP_ID = Namespace(BASE + "id/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

PREFIXES = {
    "scp": SCP, "scp-sh": SCP_SH, "scp-req": SCP_REQ, "scp-id": SCP_ID, "org": ORG, "prov": PROV,
    "time": TIME, "dcterms": DCTERMS, "skos": SKOS, "foaf": FOAF, "owl": OWL, "rdf": RDF,
    "rdfs": RDFS, "xsd": XSD, "sh": SH,
}


def bind_all(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
