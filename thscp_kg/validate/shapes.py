"""The shapes graph and the nodes its shapes target (which entities a requirement looked at).
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Callable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ..resources import parsed_turtle
from ..resources import resource_dir


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """Every Turtle file in shapes/, parsed once per process (and compiled once per edit: thscp_kg/resources.py)."""
    return parsed_turtle("shapes", resource_dir("shapes"))


def shapes_ntriples(shapes: Graph) -> str:
    """``rdfio.ntriples(shapes)``: for the bundled shapes graph (``shapes_graph()``), from the compiled cache,
    keyed by the shapes files' contents like the graph itself, so a cold check does not write the
    ~2,500 triples out again before the ``shacl`` engine reads them (decision 0033)."""
    from ..rdfio import ntriples

    if not (shapes_graph.cache_info().currsize and shapes is shapes_graph()):
        return ntriples(shapes)
    import rdflib

    from ..resources import cached, key_of

    files = sorted(resource_dir("shapes").glob("*.ttl"))
    return cached("shapes-nt", key_of(files, "shapes-ntriples-1", "rdflib " + rdflib.__version__),
                  lambda: ntriples(shapes))


def count_targets(shape: URIRef, shapes: Graph, data: Graph) -> int:
    """How many focus nodes a shape's declared targets select (so 'met' means 'checked')."""
    return len(target_nodes(shape, shapes, data))


def target_nodes(shape: URIRef, shapes: Graph, data: Graph) -> set:
    """The focus nodes a shape's declared targets select in ``data``."""
    nodes = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes.update(data.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    nodes.update(shapes.objects(shape, SH.targetNode))
    return nodes


_compiled: dict[tuple[str, int], tuple[Graph, object]] = {}
_compile_lock = threading.Lock()


def compiled_once(engine: str, shapes: Graph, compile_: Callable[[Graph], object]):
    """``engine``'s compiled form of ``shapes``, built by ``compile_`` once per shapes graph per
    process (thread-safe): every run of every partnership-year reuses it."""
    with _compile_lock:
        hit = _compiled.get((engine, id(shapes)))
        if hit is not None and hit[0] is shapes:
            return hit[1]
        program = compile_(shapes)
        _compiled[(engine, id(shapes))] = (shapes, program)  # keeps the graph alive, so its id is not reused
        return program
