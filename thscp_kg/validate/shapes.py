"""The shapes graph and the nodes its shapes target (which entities a requirement looked at).
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ..resources import parsed_turtle
from ..resources import resource_dir


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """Every Turtle file in shapes/, parsed once per process (and compiled once per edit: thscp_kg/resources.py)."""
    return parsed_turtle("shapes", resource_dir("shapes"))


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
