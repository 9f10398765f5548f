"""Build step for what documents state about themselves (document-consistency checks, area DOC).

Each ``statements:`` entry of a document becomes a node under the document's IRI
(``…/document/<id>/statement/<n>``) typed by its kind, with the text as written, the as-at date
when given, and its evidence. Nothing is interpreted here: parsing periods, looking up guidance
editions and former bodies, and turning dates into day numbers is ``materialise.documents``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ..model_values import StatementKind
from ..namespaces import SCP

if TYPE_CHECKING:
    from .graph import GraphBuilder

STATEMENT_CLASS = {
    StatementKind.stated_period: (SCP.StatedPeriodStatement, SCP.statesPeriod),
    StatementKind.presents_period: (SCP.PresentedPeriodStatement, SCP.statesPeriod),
    StatementKind.cites_guidance: (SCP.GuidanceCitation, SCP.citesGuidance),
    StatementKind.names_body: (SCP.BodyNaming, SCP.namesBody),
    StatementKind.figure: (SCP.FigureStatement, SCP.statesFigure),
}


def statement_iri(document: URIRef, index: int) -> URIRef:
    return URIRef(f"{document}/statement/{index}")


def add_document_statements(b: "GraphBuilder") -> None:
    """Statements documents make: stated periods, guidance cited, bodies named, dated figures."""
    from .iris import iri

    for doc in b.year.documents:
        document = iri(b.pid, "document", doc.id)
        for i, statement in enumerate(doc.statements, start=1):
            node = statement_iri(document, i)
            cls, prop = STATEMENT_CLASS[statement.kind]
            b.add(node, RDF.type, cls)
            b.add(document, prop, node)
            b.add(node, SCP.statementText, Literal(statement.value))
            b.date(node, SCP.asAt, statement.as_at)
            b.evidence(node, statement.evidence)
