"""Materialise step, names: the partnership's own name and its groups' names against the bodies
that no longer exist (DOC-06-b), without anyone restating them as document statements.

A name in a year's file is the name the body went by during that year, so it is judged at the
end of the period: a partnership still called a "Safeguarding Children Board" in a year ending
after the boards were replaced, or a group still named for a clinical commissioning group after
June 2022. The patterns and dates are the profile's ``documents.former_bodies`` (as DOC-06).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import SCP
from . import workdays
from .documents import add_former_body, former_bodies_named

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..rules.profile import Profile


def materialise_own_names(graph: Graph, year, profile: Profile, period_end) -> None:
    rules = profile.documents
    if rules is None or period_end is None:
        return
    entities = [graph.value(year, SCP.partnership)] + sorted(graph.objects(year, SCP.hasGroup))
    for entity in filter(None, entities):
        names = [str(n) for n in (graph.value(entity, RDFS.label), graph.value(entity, SCP.shortName)) if n]
        for i, name in enumerate(dict.fromkeys(names), start=1):
            for body in former_bodies_named(name, rules):
                node = URIRef(f"{entity}/own-name/{i}")
                former = add_former_body(graph, body)
                graph.add((entity, SCP.hasOwnName, node))
                graph.add((node, RDF.type, SCP.OwnName))
                graph.set((node, SCP.statementText, Literal(name)))
                graph.add((node, SCP.namesFormerBody, former))
                graph.set((node, SCP.judgedAtDayNumber, Literal(workdays.day_number(period_end))))
