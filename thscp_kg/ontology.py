"""The ontology as an rdflib graph, parsed once per process."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from .resources import parsed_turtle
from .resources import resource_dir


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """Every Turtle file in ontology/: scp.ttl (core), one file per extension area, vocab, reused terms."""
    return parsed_turtle("ontology", resource_dir("ontology"))


@lru_cache(maxsize=1)
def subclass_closure() -> dict[URIRef, frozenset[URIRef]]:
    """For each class, itself and all its (transitive) subclasses (from the compiled cache, keyed by the
    ontology files' contents like the parsed graph: materialising needs only this table, not the graph)."""
    import rdflib

    from .resources import cached, key_of

    files = sorted(resource_dir("ontology").glob("*.ttl"))
    return cached("subclasses", key_of(files, "subclass-closure-1", "rdflib " + rdflib.__version__),
                  lambda: _subclass_closure(ontology_graph()))


def _subclass_closure(onto: Graph) -> dict[URIRef, frozenset[URIRef]]:
    children: dict[URIRef, set[URIRef]] = {}
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            children.setdefault(sup, set()).add(sub)
    closure: dict[URIRef, frozenset[URIRef]] = {}
    for cls in set(children) | {s for v in children.values() for s in v}:
        todo, seen = [cls], {cls}
        while todo:
            for sub in children.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = frozenset(seen)
    return closure


@lru_cache(maxsize=1)
def _label_table() -> dict[URIRef, tuple]:
    import rdflib

    from .resources import cached, key_of

    def build() -> dict[URIRef, tuple]:
        table: dict[URIRef, list] = {}
        for subject, label in ontology_graph().subject_objects(RDFS.label):
            table.setdefault(subject, []).append(label)
        return {k: tuple(v) for k, v in table.items()}

    files = sorted(resource_dir("ontology").glob("*.ttl"))
    return cached("labels", key_of(files, "ontology-labels-1", "rdflib " + rdflib.__version__), build)


def ontology_label(node):
    """``ontology_graph().value(node, RDFS.label)``, from a table in the compiled cache (keyed by the
    ontology files' contents) when the node has one label, so reports need not load the whole graph;
    a node with several labels is asked of the graph itself, exactly as before."""
    labels = _label_table().get(node, ())
    if len(labels) == 1:
        return labels[0]
    return ontology_graph().value(node, RDFS.label) if labels else None
