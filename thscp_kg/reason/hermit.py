"""OWL consistency check of the ontology (and optionally data) with owlready2's HermiT reasoner.

HermiT runs on Java. OWL 2's datatype map has no ``xsd:date`` or ``xsd:gYear``, so the copy
handed to the reasoner types those literals and ranges as plain literals: the reasoner checks
the class and property structure (disjointness, domains, ranges, functional properties); date
semantics are SHACL's job (docs/decisions/0006-reasoner.md).
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDFS, XSD

from ..errors import ConfigError

_UNSUPPORTED = {XSD.date, XSD.gYear}


@dataclass(frozen=True)
class ReasonerResult:
    consistent: bool
    unsatisfiable: tuple[str, ...]
    detail: str = ""


def java_available() -> bool:
    return shutil.which("java") is not None


def _owl2_safe(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in _UNSUPPORTED:
            o = Literal(str(o))
        elif o in _UNSUPPORTED and p == RDFS.range:
            o = RDFS.Literal
        out.add((s, p, o))
    return out


def check_consistency(graph: Graph) -> ReasonerResult:
    """Run HermiT on ``graph``; raise ``ConfigError`` with a clear message when Java is missing."""
    if not java_available():
        raise ConfigError("the OWL reasoner needs Java, which is not installed.",
                          fix="install a Java runtime (Debian: apt-get install default-jre-headless); "
                              "every other check works without it.")
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        _owl2_safe(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasonerResult(False, (), str(exc)[:500])
        unsat = tuple(sorted(str(c.iri) for c in world.inconsistent_classes()
                             if isinstance(getattr(c, "iri", None), str)))
        return ReasonerResult(not unsat, unsat)
