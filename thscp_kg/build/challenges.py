"""Build step, challenge: gaps the partnership admits and concerns raised with it, their responses,
and the documents that answer them (``responds_to``)."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ..namespaces import SCP
from .iris import iri


def add_challenges(b) -> None:
    for c in b.year.challenges:
        node = b.entity(iri(b.pid, "challenge", c.id), SCP.Challenge, "challenge", c.id, c.summary, c.evidence)
        b.add(b.year_iri, SCP.hasChallenge, node)
        if c.is_external:
            b.add(node, RDF.type, SCP.ExternalChallenge)
        b.add(node, SCP.challengeKind, Literal(c.kind.value))
        b.add(node, SCP.raisedBy, Literal(c.raised_by, lang="en"))
        b.date(node, SCP.raisedOn, c.raised_on)
        if c.response is not None:
            r = c.response
            response = URIRef(f"{node}/response")
            b.add(response, RDF.type, SCP.ChallengeResponse)
            b.add(node, SCP.hasResponse, response)
            b.text(response, SCP.action, r.action)
            if r.owner:
                b.add(response, SCP.actionOwner, iri(b.pid, "post", r.owner))
            if r.priority:
                b.add(response, SCP.inPriority, iri(b.pid, "priority", r.priority))
            b.date(response, SCP.responseDue, r.due)
            b.evidence(response, r.evidence)
    for doc in b.year.documents:
        for ref in doc.responds_to:
            b.add(iri(b.pid, "document", doc.id), SCP.respondsTo, iri(b.pid, "challenge", ref))
