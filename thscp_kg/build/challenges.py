"""Build step, challenge (and a multi-area partnership's agreement): gaps the partnership admits and concerns raised with it, their responses,
and the documents that answer them (``responds_to``)."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..namespaces import SCP
from .iris import iri


def add_area_agreement(b) -> None:
    """A multi-area partnership's host authority and agreement (CA04-16J-02)."""
    p, partnership = iri(b.pid, "partnership"), b.year.partnership
    if len(partnership.areas) > 1:
        b.add(p, RDF.type, SCP.MultiAreaPartnership)
    if partnership.host_authority:
        b.add(p, SCP.hostAuthority, b.org(partnership.host_authority))
    if partnership.agreement is not None:
        node = URIRef(f"{p}/agreement")
        b.add(node, RDF.type, SCP.AreaAgreement)
        b.add(p, SCP.areaAgreement, node)
        b.text(node, RDFS.label, partnership.agreement.title)
        b.date(node, DCTERMS.date, partnership.agreement.date)
        b.evidence(node, partnership.agreement.evidence)


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
