"""The ``shacl`` engine: the PyPI ``shacl`` package (a Rust SHACL validator), behind our interface.

It compiles the shapes once per process (``Shapes.from_text``; immutable, shared by threads
without a lock; it holds the GIL for most of a call, decision 0024) and parses N-Triples natively. Its
results are plain records (focus node, value and path in N-Triples/SPARQL syntax, source shape,
component, severity), not a report graph, so ``report_graph`` writes them as the sh:ValidationResult
nodes that ``validate.results.findings_from_results`` reads: focus, value, path, source shape,
component and severity, the fields our findings come from. The messages people read are ours
(the shape's ``sh:message`` filled in from the data by ``findings_from_results``), never the
engine's. Differences from pySHACL's report graph: no ``sh:resultMessage`` and no
``sh:sourceConstraint``, and a complex ``sh:resultPath`` is a blank node with no structure; so
``validation-report.ttl`` is written from a pySHACL-compatible engine (docs/decisions/0017).

Selected shapes (``use_shapes``): the package validates every shape; results whose source shape
is not selected are dropped, which is what pySHACL's ``use_shapes`` gives for our shapes (every
requirement shape is a named, top-level shape; tests/test_engine_parity.py checks it).
"""
from __future__ import annotations

from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

def compiled(shapes: Graph):
    """The package's compiled form of ``shapes``, built once per shapes graph per process."""
    import shacl

    from .shapes import compiled_once, shapes_ntriples

    return compiled_once("shacl", shapes, lambda g: shacl.Shapes.from_text(shapes_ntriples(g), format="ntriples"))


def validate(data, shapes: Graph, shape_iris: Iterable[URIRef] | None = None) -> list:
    """The raw results for ``data`` (N-Triples text, or an rdflib graph), only those of the
    selected shapes. Safe to call from several threads at once."""
    program = compiled(shapes)
    from ..rdfio import ntriples

    text = data if isinstance(data, str) else ntriples(data)
    report = program.validate_text(text, format="ntriples")
    results = report.results
    if shape_iris is not None and results:
        wanted = {f"<{s}>" for s in shape_iris}
        results = [r for r in results if r.source_shape in wanted]
    return results


def report_graph(results: list) -> Graph:
    """pySHACL's report shape for ``results`` (the fields findings are made of; see the module)."""
    from ..rdfio import data_graph

    report, node = data_graph(), BNode()   # read back by findings_from_results: the lean store (rdfio)
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(not results)))  # pySHACL: warnings and infos count too
    for r in results:
        res = BNode()
        report.add((node, SH.result, res))
        report.add((res, RDF.type, SH.ValidationResult))
        report.add((res, SH.focusNode, term(r.focus_node)))
        report.add((res, SH.sourceShape, term(r.source_shape) if r.source_shape else BNode()))
        report.add((res, SH.sourceConstraintComponent, URIRef(r.component_iri)))
        report.add((res, SH.resultSeverity, URIRef(r.severity_iri)))
        if r.value is not None:
            report.add((res, SH.value, term(r.value)))
        if r.path is not None:
            simple = r.path.startswith("<") and r.path.endswith(">") and " " not in r.path
            report.add((res, SH.resultPath, URIRef(r.path[1:-1]) if simple else BNode()))
    return report


def term(text: str):
    """An rdflib term from its N-Triples form (IRI, blank node or literal)."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    from rdflib.util import from_n3

    return from_n3(text)
