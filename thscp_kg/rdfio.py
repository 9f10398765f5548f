"""Deterministic Turtle: same graph, same bytes (blank nodes relabelled canonically first)."""
from __future__ import annotations

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from .namespaces import bind_all


def deterministic_turtle(graph: Graph) -> str:
    has_bnodes = any(n.__class__.__name__ == "BNode" for t in graph for n in t)
    source = to_canonical_graph(graph) if has_bnodes else graph
    out = bind_all(Graph())
    out += source
    return out.serialize(format="longturtle")
