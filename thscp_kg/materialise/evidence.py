"""Materialise step, evidence: when a run requires evidence, mark the facts that must cite it (EVID-02)."""
from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD

from ..namespaces import SCP

# Entities with an id that are not facts about the partnership: the sources themselves, the year
# (its facts are its parts), the look-ups of quotations, and the national bodies the checker predefines.
NOT_FACTS = {SCP.SourceDocument, SCP.PartnershipYear, SCP.QuoteCheck, SCP.NationalBody}


def require_evidence(graph: Graph) -> Graph:
    """Type every fact of the data file (an entity with a data-file id) ``scp:EvidenceBearingFact``."""
    for year in graph.subjects(RDF.type, SCP.PartnershipYear):
        graph.add((year, SCP.evidenceRequired, Literal(True, datatype=XSD.boolean)))
    for node in set(graph.subjects(SCP.localId, None)):
        if not NOT_FACTS & set(graph.objects(node, RDF.type)):
            graph.add((node, RDF.type, SCP.EvidenceBearingFact))
    return graph
